package io.mysqlprobe.fingerprint;

/**
 * SQL text → template, in one pass of {@link SqlLexer} (no regular expressions). Thread-safe and stateless.
 *
 * <p>Rules (differences from {@code pt-fingerprint} are listed in {@code src/test/resources/fingerprint/README.md}):
 * <ul>
 *   <li>string, numeric, hex ({@code 0x1F}, {@code X'1F'}), bit ({@code b'01'}), {@code N'..'} literals and
 *       charset-introduced strings ({@code _utf8mb4'x'}, {@code _binary 0x00}) → {@code ?}; {@code "..."} is a
 *       string (ANSI_QUOTES is not assumed); backtick identifiers are kept verbatim;</li>
 *   <li>a {@code +}/{@code -} sign before a number is part of the literal when it follows an operator, a
 *       keyword, {@code (} or {@code ,} ({@code a=-5} → {@code a=?}, but {@code a-1} → {@code a-?});</li>
 *   <li>{@code NULL} → {@code ?}, except after {@code IS}, {@code NOT} and {@code DEFAULT} where it is syntax
 *       ({@code is null}, {@code is not null}, DDL's {@code not null} and {@code default null});
 *       {@code TRUE}/{@code FALSE} are kept as keywords (as pt does);</li>
 *   <li>comments are stripped; optimizer hints {@code /*+ .. *}{@code /} are kept (they change the plan), hint
 *       names lower-cased, literals in them replaced; executable comments {@code /*!40101 .. *}{@code /} are
 *       unwrapped (their content is code);</li>
 *   <li>whitespace runs fold to one space, trailing {@code ;} and spaces are removed;</li>
 *   <li>keywords (see {@link Keywords}) and variable names are lower-cased, identifiers keep their case;</li>
 *   <li>{@code IN (..)} / {@code VALUES (..)} groups holding only literals collapse to {@code in(?+)} /
 *       {@code values(?+)}; in a multi-row {@code VALUES}, rows after the first are dropped whatever they
 *       hold, so a batch insert of any size has one template;</li>
 *   <li>{@code LIMIT 10, 20} → {@code limit ?, ?} (offset form kept); {@code USE db} → {@code use ?}.</li>
 * </ul>
 * Never throws on any input (null gives "").
 */
public final class SqlNormalizer {

    private static final int MAX_DEPTH = 64;

    // previous significant token, for sign and NULL decisions
    private static final int P_NONE = 0;
    private static final int P_LITERAL = 1;
    private static final int P_IDENT = 2;
    private static final int P_KEYWORD = 3;
    private static final int P_OPEN = 4;
    private static final int P_CLOSE = 5;
    private static final int P_COMMA = 6;
    private static final int P_OP = 7;

    // what a '(' at some depth does when it closes
    private static final byte OPEN_PLAIN = 0;
    private static final byte OPEN_IN_LIST = 1;
    private static final byte OPEN_VALUES_ROW = 2;
    private static final byte OPEN_DROPPED_ROW = 3;

    // multi-row VALUES tracking
    private static final int ROWS_NONE = 0;
    private static final int ROWS_AFTER_ROW = 1;
    private static final int ROWS_AFTER_COMMA = 2;

    /** The template of {@code sql}; "" for null or blank input. */
    public String normalize(String sql) {
        if (sql == null || sql.isEmpty()) {
            return "";
        }
        SqlLexer lx = new SqlLexer(sql);
        StringBuilder out = new StringBuilder(Math.min(sql.length(), 4096) + 16);
        byte[] openKind = null; // allocated at the first '(' and grown up to MAX_DEPTH
        int[] openPos = null;
        int depth = 0;
        int prev = P_NONE;
        String prevKw = null;
        int listPos = -1; // output length just after IN / VALUES, while the next token may open its list
        boolean listIsValues = false;
        int rows = ROWS_NONE;
        int rowsDepth = 0;
        int rowCut = 0;
        boolean useStatement = false;

        int t;
        while ((t = lx.next()) != SqlLexer.EOF) {
            int start = lx.start;
            int end = lx.end;
            boolean space = lx.spaceBefore;
            boolean isPunct = t == SqlLexer.PUNCT;
            char pc = isPunct ? sql.charAt(start) : 0;

            int pendingList = listPos;
            listPos = -1;
            if (rows == ROWS_AFTER_ROW && !(pc == ',' && depth == rowsDepth)) {
                rows = ROWS_NONE;
            } else if (rows == ROWS_AFTER_COMMA && pc != '(') {
                rows = ROWS_NONE;
            }

            String kw = null;
            int cat;
            switch (t) {
                case SqlLexer.WORD: {
                    kw = Keywords.lookup(sql, start, end);
                    if (useStatement && prevKw == Keywords.USE && prev == P_KEYWORD) {
                        space(out, space);
                        out.append('?');
                        cat = P_LITERAL;
                    } else if (kw == null && sql.charAt(start) == '_' && isLiteral(lx.peekType())) {
                        // charset introducer with a space: _latin1 'x', _binary 0x00
                        lx.next();
                        space(out, space);
                        out.append('?');
                        cat = P_LITERAL;
                    } else if (kw == Keywords.NULL) {
                        space(out, space);
                        if (prevKw == Keywords.IS || prevKw == Keywords.NOT || prevKw == Keywords.DEFAULT) {
                            out.append("null");
                            cat = P_KEYWORD;
                        } else {
                            out.append('?');
                            cat = P_LITERAL;
                            kw = null;
                        }
                    } else if (kw != null) {
                        space(out, space);
                        out.append(kw);
                        cat = P_KEYWORD;
                        if (kw == Keywords.IN || kw == Keywords.VALUES || kw == Keywords.VALUE) {
                            listPos = out.length();
                            listIsValues = kw != Keywords.IN;
                        } else if (kw == Keywords.USE && out.length() == 3) {
                            useStatement = true;
                        }
                    } else {
                        space(out, space);
                        if (lx.inHint() && lx.peekPunct('(')) {
                            appendLower(out, sql, start, end); // hint name: BKA(t1) → bka(t1)
                        } else {
                            out.append(sql, start, end);
                        }
                        cat = P_IDENT;
                    }
                    break;
                }
                case SqlLexer.STRING:
                case SqlLexer.NUMBER:
                case SqlLexer.PLACEHOLDER:
                    space(out, space);
                    out.append('?');
                    cat = P_LITERAL;
                    break;
                case SqlLexer.QUOTED_IDENT:
                    space(out, space);
                    if (useStatement && prevKw == Keywords.USE && prev == P_KEYWORD) {
                        out.append('?');
                    } else {
                        out.append(sql, start, end);
                    }
                    cat = P_IDENT;
                    break;
                case SqlLexer.VARIABLE:
                    space(out, space);
                    appendLower(out, sql, start, end);
                    cat = P_IDENT;
                    break;
                case SqlLexer.HINT_OPEN:
                    space(out, space);
                    out.append("/*+");
                    cat = P_OP;
                    break;
                case SqlLexer.HINT_CLOSE:
                    space(out, space);
                    out.append("*/");
                    cat = P_OP;
                    break;
                default: { // PUNCT
                    if ((pc == '-' || pc == '+') && signAllowed(prev) && lx.peekType() == SqlLexer.NUMBER) {
                        lx.next();
                        space(out, space);
                        out.append('?');
                        cat = P_LITERAL;
                        break;
                    }
                    if (pc == '(') {
                        int cut = out.length();
                        space(out, space);
                        out.append('(');
                        depth++;
                        if (depth < MAX_DEPTH) {
                            if (openKind == null || depth >= openKind.length) {
                                int size = openKind == null ? 8 : Math.min(MAX_DEPTH, openKind.length * 2);
                                openKind = openKind == null ? new byte[size] : java.util.Arrays.copyOf(openKind, size);
                                openPos = openPos == null ? new int[size] : java.util.Arrays.copyOf(openPos, size);
                            }
                            if (rows == ROWS_AFTER_COMMA) {
                                openKind[depth] = OPEN_DROPPED_ROW;
                                openPos[depth] = rowCut;
                            } else if (pendingList >= 0) {
                                openKind[depth] = listIsValues ? OPEN_VALUES_ROW : OPEN_IN_LIST;
                                openPos[depth] = pendingList;
                            } else {
                                openKind[depth] = OPEN_PLAIN;
                                openPos[depth] = cut;
                            }
                        }
                        rows = ROWS_NONE;
                        cat = P_OPEN;
                    } else if (pc == ')') {
                        space(out, space);
                        out.append(')');
                        if (depth > 0) {
                            if (depth < MAX_DEPTH && openKind != null) {
                                byte kind = openKind[depth];
                                int p = openPos[depth];
                                if (kind == OPEN_IN_LIST || kind == OPEN_VALUES_ROW) {
                                    if (onlyLiterals(out, p)) {
                                        out.setLength(p);
                                        out.append("(?+)");
                                    }
                                    if (kind == OPEN_VALUES_ROW) {
                                        rows = ROWS_AFTER_ROW;
                                        rowsDepth = depth - 1;
                                    }
                                } else if (kind == OPEN_DROPPED_ROW) {
                                    out.setLength(p);
                                    rows = ROWS_AFTER_ROW;
                                    rowsDepth = depth - 1;
                                }
                            }
                            depth--;
                        }
                        cat = P_CLOSE;
                    } else if (pc == ',') {
                        if (rows == ROWS_AFTER_ROW) {
                            rowCut = out.length();
                            rows = ROWS_AFTER_COMMA;
                        }
                        space(out, space);
                        out.append(',');
                        cat = P_COMMA;
                    } else {
                        space(out, space);
                        out.append(pc);
                        cat = P_OP;
                    }
                    break;
                }
            }
            prev = cat;
            prevKw = kw;
        }
        int len = out.length();
        while (len > 0 && (out.charAt(len - 1) == ';' || out.charAt(len - 1) == ' ')) {
            len--;
        }
        out.setLength(len);
        return out.toString();
    }

    private static boolean isLiteral(int type) {
        return type == SqlLexer.STRING || type == SqlLexer.NUMBER;
    }

    /** A sign belongs to the number when the previous token cannot end an operand. */
    private static boolean signAllowed(int prev) {
        return prev == P_NONE || prev == P_KEYWORD || prev == P_OPEN || prev == P_COMMA || prev == P_OP;
    }

    private static void space(StringBuilder out, boolean space) {
        if (space && out.length() > 0) {
            out.append(' ');
        }
    }

    /** Whether out[from..] holds only ?, commas, parentheses and spaces (and at least one ?). */
    private static boolean onlyLiterals(StringBuilder out, int from) {
        boolean any = false;
        for (int i = from, n = out.length(); i < n; i++) {
            char c = out.charAt(i);
            if (c == '?') {
                any = true;
            } else if (c != ',' && c != ' ' && c != '(' && c != ')') {
                return false;
            }
        }
        return any;
    }

    static void appendLower(StringBuilder out, String s, int start, int end) {
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
    }
}
