package io.mysqlprobe.fingerprint;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the fixtures of src/test/resources/fingerprint (format in its README.md). */
final class Corpus {

    /** One corpus line: the SQL and what we expect of it. */
    record Entry(int line, String sql, String template, String type, List<String> tables, Set<PtDifference> rules) {
        @Override
        public String toString() {
            return "corpus.tsv:" + line + " " + (sql.length() > 60 ? sql.substring(0, 60) + "…" : sql);
        }
    }

    private Corpus() {}

    static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        List<String[]> rows = rows("corpus.tsv");
        for (String[] r : rows) {
            int line = Integer.parseInt(r[0]);
            if (r.length != 6) {
                throw new IllegalStateException("corpus.tsv:" + line + ": expected 5 columns, got " + (r.length - 1));
            }
            List<String> tables = r[4].equals("-") ? List.of() : Arrays.asList(r[4].split(","));
            Set<PtDifference> rules = EnumSet.noneOf(PtDifference.class);
            if (!r[5].equals("-")) {
                for (String name : r[5].split(",")) {
                    rules.add(PtDifference.valueOf(name.trim()));
                }
            }
            out.add(new Entry(line, unescape(r[1]), unescape(r[2]), r[3], tables, rules));
        }
        return out;
    }

    /** pt-fingerprint's output by (unescaped) SQL. */
    static Map<String, String> ptReference() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] r : rows("pt-fingerprint.tsv")) {
            out.put(unescape(r[1]), unescape(r[2]));
        }
        return out;
    }

    /** Rows of a TSV fixture, each prefixed with its 1-based line number; comments and blank lines skipped. */
    private static List<String[]> rows(String name) {
        InputStream in = Corpus.class.getResourceAsStream("/fingerprint/" + name);
        if (in == null) {
            throw new IllegalStateException("missing fixture " + name);
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String l;
            int n = 0;
            while ((l = r.readLine()) != null) {
                n++;
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                String[] cols = l.split("\t", -1);
                String[] row = new String[cols.length + 1];
                row[0] = Integer.toString(n);
                System.arraycopy(cols, 0, row, 1, cols.length);
                rows.add(row);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }

    /** Undoes the fixture escapes: {@code \\}, {@code \n}, {@code \t}, {@code \r}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case '\\' -> b.append('\\');
                    default -> b.append('\\').append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
