package io.mysqlprobe.fingerprint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Statement type and table names from the tokens of a template, for what jsqlparser cannot or need not
 * parse (transactions, SET, SHOW, KILL, FLUSH, LOCK TABLES, ...) and when it fails.
 *
 * <p>Type: the first keyword, with {@code START TRANSACTION} / {@code BEGIN} → {@code begin},
 * {@code DESC} → {@code describe}, {@code WITH ...} → the first top-level select/insert/update/delete/replace
 * after the common table expressions; a statement not starting with a keyword is {@code unknown}.
 * Tables: the names after FROM, JOIN, INTO, a leading UPDATE, TABLE, LOCK TABLES and the ON of CREATE/DROP
 * INDEX (comma lists after FROM, DROP TABLE and LOCK TABLES), backticks removed, otherwise as written, in
 * order of appearance, de-duplicated.
 */
final class LexerClassifier {

    static final String UNKNOWN = "unknown";

    private static final Set<String> AFTER_WITH = Set.of("select", "insert", "update", "delete", "replace");
    /** Words that may sit between a table-introducing keyword and the name. */
    private static final Set<String> NAME_MODIFIERS = Set.of(
            "low_priority",
            "ignore",
            "if",
            "not",
            "exists",
            "temporary",
            "quick",
            "only",
            "delayed",
            "high_priority",
            "table");

    private static final Set<String> LOCK_TYPES = Set.of("read", "write", "local", "low_priority");

    private LexerClassifier() {}

    /** The lower-case statement type of a template. */
    static String statementType(String template) {
        SqlLexer lx = new SqlLexer(template);
        String first = null;
        int depth = 0;
        int t;
        while ((t = lx.next()) != SqlLexer.EOF) {
            if (t == SqlLexer.PUNCT) {
                char c = template.charAt(lx.start);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                }
                continue;
            }
            if (t == SqlLexer.HINT_OPEN || t == SqlLexer.HINT_CLOSE || lx.inHint()) {
                continue;
            }
            String kw = t == SqlLexer.WORD ? Keywords.lookup(template, lx.start, lx.end) : null;
            if (first == null) {
                if (kw == null) {
                    return UNKNOWN;
                }
                first = kw;
                switch (kw) {
                    case "with":
                        continue; // find the statement after the CTEs
                    case "start":
                        boolean transaction = lx.next() == SqlLexer.WORD
                                && "transaction".equals(Keywords.lookup(template, lx.start, lx.end));
                        return transaction ? "begin" : "start";
                    case "desc":
                        return "describe";
                    default:
                        return kw;
                }
            }
            // first == "with"
            if (depth == 0 && kw != null && AFTER_WITH.contains(kw)) {
                return kw;
            }
        }
        return first == null ? UNKNOWN : "select";
    }

    /** Table names the template mentions, as written (backticks removed). */
    static List<String> tables(String template, String statementType) {
        SqlLexer lx = new SqlLexer(template);
        Set<String> found = new LinkedHashSet<>();
        boolean first = true;
        boolean sawIndex = false;
        int t;
        while ((t = lx.next()) != SqlLexer.EOF) {
            boolean atStart = first;
            first = false;
            if (t != SqlLexer.WORD) {
                continue;
            }
            String kw = Keywords.lookup(template, lx.start, lx.end);
            if (kw == null) {
                continue;
            }
            switch (kw) {
                case "from":
                case "join":
                case "straight_join":
                case "into":
                case "table":
                    // comma lists: FROM a, b and DROP TABLE a, b
                    readNames(
                            lx,
                            template,
                            found,
                            kw.equals("from") || (kw.equals("table") && "drop".equals(statementType)),
                            false);
                    break;
                case "update":
                    if (atStart) {
                        readNames(lx, template, found, true, false);
                    }
                    break;
                case "index":
                    sawIndex = true;
                    break;
                case "on":
                    if (sawIndex && ("create".equals(statementType) || "drop".equals(statementType))) {
                        readNames(lx, template, found, false, false); // CREATE INDEX i ON t, DROP INDEX i ON t
                    }
                    break;
                case "tables":
                    if ("lock".equals(statementType)) {
                        readNames(lx, template, found, true, true);
                    }
                    break;
                case "describe":
                case "desc":
                case "truncate":
                    if (atStart) {
                        readNames(lx, template, found, false, false);
                    }
                    break;
                default:
                    break;
            }
        }
        if (!found.isEmpty() && "with".equals(firstKeyword(template))) {
            found.removeAll(cteNames(template));
        }
        return List.copyOf(new ArrayList<>(found));
    }

    private static String firstKeyword(String template) {
        SqlLexer lx = new SqlLexer(template);
        return lx.next() == SqlLexer.WORD ? Keywords.lookup(template, lx.start, lx.end) : null;
    }

    /** Names defined as common table expressions: {@code name AS (}. */
    private static Set<String> cteNames(String template) {
        Set<String> names = new LinkedHashSet<>();
        SqlLexer lx = new SqlLexer(template);
        String last = null;
        int t;
        while ((t = lx.next()) != SqlLexer.EOF) {
            if (t == SqlLexer.WORD && "as".equals(Keywords.lookup(template, lx.start, lx.end))) {
                if (last != null && lx.peekPunct('(')) {
                    names.add(last);
                }
                last = null;
            } else if (t == SqlLexer.WORD && Keywords.lookup(template, lx.start, lx.end) == null) {
                last = template.substring(lx.start, lx.end);
            } else if (t == SqlLexer.QUOTED_IDENT) {
                last = template.substring(lx.start + 1, Math.max(lx.start + 1, lx.end - 1));
            } else {
                last = null;
            }
        }
        return names;
    }

    /** Reads one name (or a comma list of names with optional aliases) after the current token. */
    private static void readNames(SqlLexer lx, String sql, Set<String> found, boolean list, boolean lockList) {
        while (true) {
            int t = lx.next();
            while (t == SqlLexer.WORD && NAME_MODIFIERS.contains(lower(sql, lx.start, lx.end))) {
                t = lx.next();
            }
            String name = readQualifiedName(lx, sql, t);
            if (name == null) {
                return;
            }
            found.add(name);
            if (!list) {
                return;
            }
            // skip an alias and lock types, then continue on a comma
            while (true) {
                int p = lx.peekType();
                if (p == SqlLexer.PUNCT && lx.peekPunct(',')) {
                    lx.next();
                    break;
                }
                if (p == SqlLexer.QUOTED_IDENT) {
                    lx.next();
                    continue;
                }
                if (p != SqlLexer.WORD) {
                    return;
                }
                String kw = Keywords.lookup(sql, lx.peekStart, lx.peekEnd);
                if (kw == null || kw.equals("as") || (lockList && LOCK_TYPES.contains(kw))) {
                    lx.next();
                    continue;
                }
                return;
            }
        }
    }

    private static String readQualifiedName(SqlLexer lx, String sql, int t) {
        StringBuilder name = new StringBuilder();
        while (true) {
            if (t == SqlLexer.QUOTED_IDENT) {
                name.append(sql, lx.start + 1, Math.max(lx.start + 1, lx.end - 1));
            } else if (t == SqlLexer.WORD && (Keywords.lookup(sql, lx.start, lx.end) == null || name.length() > 0)) {
                name.append(sql, lx.start, lx.end);
            } else {
                return name.length() == 0 ? null : name.toString();
            }
            if (!lx.peekPunct('.')) {
                return name.toString();
            }
            lx.next();
            name.append('.');
            t = lx.next();
        }
    }

    private static String lower(String s, int start, int end) {
        StringBuilder b = new StringBuilder(end - start);
        SqlNormalizer.appendLower(b, s, start, end);
        return b.toString();
    }
}
