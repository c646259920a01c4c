package io.mysqlprobe.protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SQL-level prepared statements of one connection
 * (https://mariadb.com/kb/en/prepare-statement/, https://dev.mysql.com/doc/refman/8.0/en/sql-prepared-statements.html):
 * {@code PREPARE name FROM 'text'} remembers the text when the server says OK, {@code EXECUTE name [USING …]} is
 * reported under that text's template with the USING expressions as parameters, {@code DEALLOCATE | DROP PREPARE
 * name} forgets it. Bounded like the binary statement table; an EXECUTE of a name whose PREPARE was not seen (or
 * was prepared from a user variable) is reported as {@code /* unknown prepared statement name=… *\/}. Names are
 * case-insensitive, as in the server.
 */
final class TextPreparedStatements {

    static final int MAX_NAMES = 1024;
    static final long MAX_CHARS = 1L << 20;
    /** Marks a name prepared from a user variable: its text is not on the wire. */
    private static final String FROM_VARIABLE = "";

    private final ProtocolStats stats;
    private final Map<String, String> byName = new HashMap<>();
    private long chars;

    TextPreparedStatements(ProtocolStats stats) {
        this.stats = stats;
    }

    /** A COM_QUERY record (one statement) after its result: learns PREPARE/DEALLOCATE, resolves EXECUTE. */
    StatementRecord apply(StatementRecord r) {
        String sql = r.sql();
        int i = SqlText.skipSpaceAndComments(sql, 0);
        if (i >= sql.length()) {
            return r;
        }
        char first = Character.toLowerCase(sql.charAt(i));
        if (first != 'p' && first != 'e' && first != 'd') {
            return r; // the common case: one character looked at
        }
        Cursor c = new Cursor(sql, i);
        if (c.keyword("prepare")) {
            String name = c.identifier();
            if (name != null && c.keyword("from") && r.ok()) {
                String text = c.stringLiteral();
                remember(name, text == null ? FROM_VARIABLE : text);
            }
            return r;
        }
        if (c.keyword("deallocate") || c.keyword("drop")) {
            if (c.keyword("prepare")) {
                String name = c.identifier();
                if (name != null && r.ok()) {
                    forget(name);
                }
            }
            return r;
        }
        if (!c.keyword("execute")) {
            return r;
        }
        if (c.keyword("immediate")) { // MariaDB EXECUTE IMMEDIATE 'text' [USING …]
            String text = c.stringLiteral();
            return text == null ? r : r.withSql(text, c.usingList());
        }
        String name = c.identifier();
        if (name == null) {
            return r;
        }
        String text = byName.get(name.toLowerCase(Locale.ROOT));
        if (text == null || text.equals(FROM_VARIABLE)) {
            stats.unknownStatementIds.increment();
            return r; // counted under its own text (EXECUTE name ...), never an empty template
        }
        return r.withSql(text, c.usingList());
    }

    private void remember(String name, String text) {
        String key = name.toLowerCase(Locale.ROOT);
        String old = byName.get(key);
        long next = chars - (old == null ? 0 : old.length()) + text.length();
        if ((old == null && byName.size() >= MAX_NAMES) || next > MAX_CHARS) {
            stats.statementTableOverflows.increment();
            return;
        }
        byName.put(key, text); // a PREPARE of an existing name replaces it, as in the server
        chars = next;
    }

    private void forget(String name) {
        String old = byName.remove(name.toLowerCase(Locale.ROOT));
        if (old != null) {
            chars -= old.length();
        }
    }

    void clear() {
        byName.clear();
        chars = 0;
    }

    int size() {
        return byName.size();
    }

    /** A little lexer over one statement. */
    private static final class Cursor {
        private final String s;
        private int i;

        Cursor(String s, int i) {
            this.s = s;
            this.i = i;
        }

        boolean keyword(String k) {
            int at = SqlText.skipSpaceAndComments(s, i);
            int end = at + k.length();
            if (!s.regionMatches(true, at, k, 0, k.length()) || (end < s.length() && isIdentChar(s.charAt(end)))) {
                return false;
            }
            i = end;
            return true;
        }

        String identifier() {
            i = SqlText.skipSpaceAndComments(s, i);
            if (i < s.length() && s.charAt(i) == '`') {
                int end = SqlText.skipQuoted(s, i, '`');
                String name = s.substring(i + 1, Math.max(i + 1, end - 1)).replace("``", "`");
                i = end;
                return name.isEmpty() ? null : name;
            }
            int start = i;
            while (i < s.length() && isIdentChar(s.charAt(i))) {
                i++;
            }
            return i > start ? s.substring(start, i) : null;
        }

        /** A quoted string (an optional _charset introducer skipped), unescaped; null when not a literal. */
        String stringLiteral() {
            i = SqlText.skipSpaceAndComments(s, i);
            if (i < s.length() && s.charAt(i) == '_') {
                int j = i + 1;
                while (j < s.length() && isIdentChar(s.charAt(j))) {
                    j++;
                }
                i = j;
            }
            if (i >= s.length() || (s.charAt(i) != '\'' && s.charAt(i) != '"')) {
                return null;
            }
            char q = s.charAt(i);
            StringBuilder out = new StringBuilder();
            int j = i + 1;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < s.length()) {
                    out.append(unescape(s.charAt(j + 1)));
                    j += 2;
                } else if (c == q) {
                    if (j + 1 < s.length() && s.charAt(j + 1) == q) {
                        out.append(q);
                        j += 2;
                    } else {
                        i = j + 1;
                        return out.toString();
                    }
                } else {
                    out.append(c);
                    j++;
                }
            }
            return null; // unterminated
        }

        /** {@code USING e1, e2, …}: the expressions, split on top-level commas; null when absent. */
        List<String> usingList() {
            if (!keyword("using")) {
                return null;
            }
            List<String> out = new ArrayList<>();
            int depth = 0;
            int start = i;
            int j = i;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\'' || c == '"' || c == '`') {
                    j = SqlText.skipQuoted(s, j, c);
                    continue;
                }
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == ',' && depth == 0) {
                    out.add(s.substring(start, j).strip());
                    start = j + 1;
                } else if (c == ';') {
                    break;
                }
                j++;
            }
            String last = s.substring(start, j).strip();
            if (!last.isEmpty()) {
                out.add(last);
            }
            return out.isEmpty() ? null : out;
        }

        private static char unescape(char c) {
            return switch (c) {
                case 'n' -> '\n';
                case 't' -> '\t';
                case 'r' -> '\r';
                case '0' -> '\0';
                default -> c;
            };
        }

        private static boolean isIdentChar(char c) {
            return Character.isLetterOrDigit(c) || c == '_' || c == '$';
        }
    }
}
