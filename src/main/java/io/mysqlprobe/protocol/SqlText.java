package io.mysqlprobe.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The little SQL the protocol stage needs to understand: {@code USE db} and splitting a
 * multi-statement COM_QUERY on top-level {@code ;} (outside quotes and comments).
 */
final class SqlText {

    private SqlText() {}

    /** The schema of a {@code USE db} statement (backticks handled), or null when it is not one. */
    static String useStatementSchema(String sql) {
        int i = skipSpaceAndComments(sql, 0);
        if (i >= sql.length() || (sql.charAt(i) | 0x20) != 'u' || !sql.regionMatches(true, i, "use", 0, 3)) {
            return null;
        }
        i += 3;
        int afterKeyword = i;
        i = skipSpaceAndComments(sql, i);
        if (i == afterKeyword || i >= sql.length()) {
            return null;
        }
        StringBuilder db = new StringBuilder();
        if (sql.charAt(i) == '`') {
            i++;
            while (true) {
                if (i >= sql.length()) {
                    return null;
                }
                char c = sql.charAt(i++);
                if (c == '`') {
                    if (i < sql.length() && sql.charAt(i) == '`') {
                        db.append('`');
                        i++;
                        continue;
                    }
                    break;
                }
                db.append(c);
            }
        } else {
            while (i < sql.length()
                    && !Character.isWhitespace(sql.charAt(i))
                    && sql.charAt(i) != ';'
                    && sql.charAt(i) != '/'
                    && sql.charAt(i) != '#') {
                db.append(sql.charAt(i++));
            }
        }
        i = skipSpaceAndComments(sql, i);
        while (i < sql.length() && sql.charAt(i) == ';') {
            i = skipSpaceAndComments(sql, i + 1);
        }
        return i == sql.length() && db.length() > 0 ? db.toString() : null;
    }

    static int skipSpaceAndComments(String s, int i) {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#'
                    || (c == '-' && s.startsWith("-- ", i))
                    || (c == '-'
                            && s.startsWith("--", i)
                            && i + 2 < s.length()
                            && Character.isWhitespace(s.charAt(i + 2)))) {
                int nl = s.indexOf('\n', i);
                i = nl < 0 ? s.length() : nl + 1;
            } else if (c == '/' && s.startsWith("/*", i)) {
                int close = s.indexOf("*/", i + 2);
                i = close < 0 ? s.length() : close + 2;
            } else {
                break;
            }
        }
        return i;
    }

    /**
     * Splits on {@code ;} outside quotes, backticks and comments; empty pieces are dropped.
     * Returns a single element (the whole text) when there is at most one statement.
     */
    static List<String> splitTopLevel(String sql) {
        List<String> parts = new ArrayList<>(2);
        int start = 0;
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int skipped = skipQuotedOrComment(sql, i);
            if (skipped > i) {
                i = skipped;
            } else if (c == ';') {
                addPart(parts, sql.substring(start, i));
                start = ++i;
            } else {
                i++;
            }
        }
        addPart(parts, sql.substring(start));
        if (parts.size() <= 1) {
            return List.of(sql);
        }
        return parts;
    }

    private static void addPart(List<String> parts, String s) {
        String t = s.strip();
        if (!t.isEmpty()) {
            parts.add(t);
        }
    }

    /**
     * Where the quoted string or comment starting at {@code i} ends ({@code '…'}, {@code "…"}, {@code `…`},
     * {@code # …}, {@code -- …}, {@code /* … *}{@code /}); {@code i} itself when none starts there.
     */
    static int skipQuotedOrComment(String sql, int i) {
        int n = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            return skipQuoted(sql, i, c);
        }
        if (c == '#'
                || (c == '-' && i + 2 < n && sql.charAt(i + 1) == '-' && Character.isWhitespace(sql.charAt(i + 2)))) {
            int nl = sql.indexOf('\n', i);
            return nl < 0 ? n : nl + 1;
        }
        if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
            int close = sql.indexOf("*/", i + 2);
            return close < 0 ? n : close + 2;
        }
        return i;
    }

    static int skipQuoted(String s, int i, char quote) {
        i++;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\\' && quote != '`') {
                i += 2;
            } else if (c == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return s.length();
    }

    /** Number of {@code ?} placeholders outside quotes and comments. */
    static int countPlaceholders(String sql) {
        int n = 0;
        for (int i = nextPlaceholder(sql, 0); i >= 0; i = nextPlaceholder(sql, i + 1)) {
            n++;
        }
        return n;
    }

    /**
     * The SQL with each {@code ?} placeholder (outside quotes and comments) replaced by the next value;
     * placeholders beyond the values are kept.
     */
    static String substitutePlaceholders(String sql, List<String> values) {
        StringBuilder out = new StringBuilder(sql.length() + values.size() * 8);
        int from = 0;
        int v = 0;
        for (int i = nextPlaceholder(sql, 0); i >= 0 && v < values.size(); i = nextPlaceholder(sql, i + 1)) {
            out.append(sql, from, i).append(values.get(v++));
            from = i + 1;
        }
        return out.append(sql, from, sql.length()).toString();
    }

    /** Index of the next {@code ?} placeholder at or after {@code i}, or -1. */
    private static int nextPlaceholder(String sql, int i) {
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '?') {
                return i;
            } else {
                int skipped = skipQuotedOrComment(sql, i);
                i = skipped > i ? skipped : i + 1;
            }
        }
        return -1;
    }
}
