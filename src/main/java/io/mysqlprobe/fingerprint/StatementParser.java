package io.mysqlprobe.fingerprint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Table names of a statement through jsqlparser 5.3, run once per new template (cache miss).
 *
 * <p>Only data and DDL statements are given to the parser ({@link #PARSED_TYPES}): jsqlparser cannot parse
 * START TRANSACTION, BEGIN, KILL, FLUSH, LOCK TABLES, SET SESSION TRANSACTION, many SHOW forms, and those
 * name no tables worth a parse anyway. The original SQL (the first statement seen for the template) is parsed,
 * not the template, whose {@code in(?+)} jsqlparser cannot read; the direct
 * {@code newParser(sql).Statement()} path is used (≈4× faster than {@code CCJSqlParserUtil.parse}, which
 * retries with complex parsing on a thread pool). Statements longer than {@code maxParseChars} are not
 * parsed (the generated parser's cost grows badly on huge or deeply nested input). Any failure, including
 * errors thrown by the generated parser, returns {@code null} and the caller falls back to the lexer.
 */
final class StatementParser {

    /** Default length bound for parsing, in chars. */
    static final int DEFAULT_MAX_PARSE_CHARS = 8192;

    /** Statement types worth a parse. */
    static final Set<String> PARSED_TYPES = Set.of("select", "insert", "update", "delete", "replace", "create",
            "alter", "drop", "truncate", "rename");

    private final int maxParseChars;
    private final LongAdder parsed = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    StatementParser(int maxParseChars) {
        this.maxParseChars = maxParseChars;
    }

    /**
     * Tables named by {@code sql} (backticks and double quotes removed, {@code DUAL} left out) in order of
     * appearance, or null when not parsed.
     */
    List<String> tables(String sql, String statementType) {
        if (!PARSED_TYPES.contains(statementType) || sql.length() > maxParseChars) {
            skipped.increment();
            return null;
        }
        try {
            Statement st = CCJSqlParserUtil.newParser(sql)
                    .withBackslashEscapeCharacter(true)
                    .withSquareBracketQuotation(false)
                    .Statement();
            Set<String> names = new TablesNamesFinder<Void>().getTables(st);
            Set<String> clean = new LinkedHashSet<>();
            for (String name : names) {
                String n = unquote(name);
                if (!n.equalsIgnoreCase("dual")) {
                    clean.add(n);
                }
            }
            List<String> ordered = new ArrayList<>(clean);
            // the finder returns a hash set: order by first appearance in the text, for stable reports
            ordered.sort(Comparator.comparingInt((String n) -> position(sql, n)).thenComparing(n -> n));
            parsed.increment();
            return List.copyOf(ordered);
        } catch (VirtualMachineError e) {
            if (!(e instanceof StackOverflowError)) {
                throw e;
            }
        } catch (Exception | Error e) {
            // ParseException, TokenMgrException, UnsupportedOperationException from the finder, ...
        }
        failures.increment();
        return null;
    }

    private static int position(String sql, String name) {
        int dot = name.lastIndexOf('.');
        int p = sql.indexOf(dot < 0 ? name : name.substring(dot + 1));
        return p < 0 ? Integer.MAX_VALUE : p;
    }

    private static String unquote(String name) {
        if (name.indexOf('`') < 0 && name.indexOf('"') < 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c != '`' && c != '"') {
                b.append(c);
            }
        }
        return b.toString();
    }

    long parsed() {
        return parsed.sum();
    }

    long failures() {
        return failures.sum();
    }

    long skipped() {
        return skipped.sum();
    }
}
