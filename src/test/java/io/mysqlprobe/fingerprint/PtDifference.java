package io.mysqlprobe.fingerprint;

import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The named, deliberate differences between our templates and pt-fingerprint 3.2.1's. Each rule erases
 * exactly one kind of difference: {@link #ours} rewrites our template the way pt would have written it,
 * {@link #pt} undoes a pt quirk. A corpus line lists the rules it needs; the test checks that with them
 * (and only with all of them) the two outputs become equal. Rules apply in declaration order.
 */
enum PtDifference {

    /** {@code IS [NOT] NULL} and DDL {@code NOT NULL}/{@code DEFAULT NULL} keep {@code null}; pt writes ?. */
    IS_NULL(s -> replace(s, "\\bnull\\b", "?"), UnaryOperator.identity()),

    /** Row-constructor IN lists {@code (a,b) in ((1,2),(3,4))} collapse too; pt only collapses flat lists. */
    ROW_IN_LIST(UnaryOperator.identity(), s -> replace(s, " in \\(\\([?,() ]*\\)\\)", " in(?+)")),

    /**
     * Multi-row INSERT keeps its ON DUPLICATE KEY UPDATE clause; pt cuts everything after the first row
     * (its shortcut for mysqldump-size inserts), which merges statements that differ in the update clause.
     */
    ODKU_KEPT(s -> replace(s, " on duplicate key update .*$", ""), UnaryOperator.identity()),

    /** Trailing {@code ;} and the whitespace a stripped trailing comment leaves are removed; pt keeps them. */
    TRAILING_JUNK(UnaryOperator.identity(), s -> replace(s, "[; ]+$", "")),

    /** Optimizer hints {@code /*+ ... *}{@code /} are kept: they change the plan. pt strips all comments. */
    HINT_KEPT(s -> replace(s, "/\\*\\+ .*?\\*/ ", ""), UnaryOperator.identity()),

    /**
     * Executable comments {@code /*!40101 ... *}{@code /} are unwrapped: their content is code to the server.
     * pt keeps the comment markers (and rewrites the version number).
     */
    VERSION_COMMENT(UnaryOperator.identity(), s -> replace(replace(s, "/\\*!\\?? ?", ""), " ?\\*/", "")),

    /** {@code 'it''s'} is one string; pt's regex sees two and writes {@code ??}. */
    DOUBLED_QUOTE(UnaryOperator.identity(), s -> replace(s, "\\?\\?", "?")),

    /** {@code 'a\\'} (escaped backslash at the end) is a string; pt mis-lexes it and leaves the literal. */
    BACKSLASH_END(UnaryOperator.identity(), s -> replace(s, "'[^']*$", "?")),

    /** Charset introducers belong to the literal: {@code _utf8mb4'x'} → ?. pt leaves {@code _utf?m??}. */
    CHARSET_INTRODUCER(UnaryOperator.identity(), s -> replace(s, "\\b_[a-z0-9?]+ ?\\?", "?")),

    /** Hex and bit literals {@code 0xDEADBEEF}, {@code X'0A'} → ?; pt leaves {@code ?deadbeef} and {@code x?}. */
    HEX_LITERAL(UnaryOperator.identity(), s -> replace(replace(s, "\\?[0-9a-f]+\\b", "?"), "\\bx\\?", "?")),

    /** {@code LIMIT ?, ?} and {@code LIMIT ? OFFSET ?} keep their form (the offset shapes the plan). */
    LIMIT_FORM(s -> replace(s, "limit \\?(, \\?| offset \\?)", "limit ?"), UnaryOperator.identity()),

    /** {@code ORDER BY a ASC} keeps ASC (a plain token rule); pt drops the default ASC. */
    ORDER_ASC(s -> replace(s, " asc\\b", ""), UnaryOperator.identity()),

    /** CALL keeps its argument list with literals as ?; pt cuts after the procedure name. */
    CALL_ARGS(s -> replace(s, "^(call \\S+?)\\(.*$", "$1"), UnaryOperator.identity()),

    /** Repeated {@code SELECT .. UNION SELECT ..} branches stay written out; pt folds them into a comment. */
    UNION_REPEAT(
            s -> replace(s, "\\b(select\\s.*?)(?:(\\sunion(?:\\sall)?)\\s\\1)+", "$1 /*repeat$2*/"),
            UnaryOperator.identity()),

    /**
     * pt's "anything vaguely resembling numbers" regex {@code [0-9+-][0-9a-f.xb+-]*} also rewrites digits
     * inside identifiers (sbtest1 → sbtest?, t1.id → t?id), the binary + and - operators and {@code ->}. We
     * lex numbers as tokens and keep identifiers intact. Simulated by running pt's regexes over our template
     * (sparing our {@code (?+)}, which pt writes after that step).
     */
    PT_NUMBER_REGEX(PtDifference::ptNumberRegex, UnaryOperator.identity()),

    /** Identifiers keep their case (DESIGN §2); pt lower-cases everything. */
    IDENT_CASE(s -> s.toLowerCase(java.util.Locale.ROOT), UnaryOperator.identity());

    private final UnaryOperator<String> ours;
    private final UnaryOperator<String> pt;

    PtDifference(UnaryOperator<String> ours, UnaryOperator<String> pt) {
        this.ours = ours;
        this.pt = pt;
    }

    String ours(String template) {
        return ours.apply(template);
    }

    String pt(String template) {
        return pt.apply(template);
    }

    private static String ptNumberRegex(String s) {
        String spared = s.replace("(?+)", "\0");
        spared = replace(replace(spared, "[0-9+-][0-9a-f.xb+-]*\\??", "?"), "[xb.+-]\\?", "?");
        return spared.replace("\0", "(?+)");
    }

    private static String replace(String s, String regex, String replacement) {
        return Pattern.compile(regex).matcher(s).replaceAll(replacement);
    }
}
