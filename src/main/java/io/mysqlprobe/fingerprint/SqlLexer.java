package io.mysqlprobe.fingerprint;

/**
 * A single-pass, allocation-free MySQL tokenizer shared by {@link SqlNormalizer} and {@link Redactor}.
 *
 * <p>Call {@link #next()} until it returns {@link #EOF}; after each call {@link #start}, {@link #end} and
 * {@link #spaceBefore} describe the token. The lexer never throws: unterminated strings, identifiers and
 * comments run to the end of the input, unknown characters become one-character {@link #PUNCT} tokens,
 * control characters count as whitespace.
 *
 * <p>Comments are skipped (they set {@link #spaceBefore}), with two exceptions that follow MySQL:
 * <ul>
 *   <li>optimizer hints {@code /*+ ... *}{@code /} come back as {@link #HINT_OPEN}, the tokens inside, then
 *       {@link #HINT_CLOSE}, because a hint changes the plan;</li>
 *   <li>executable (version) comments {@code /*!40101 ... *}{@code /} and MariaDB's {@code /*M!100100 ...}
 *       are code to the server: their marker and closing are dropped, their content is lexed inline.</li>
 * </ul>
 * Double-quoted text is a string (MySQL's default; ANSI_QUOTES is not assumed).
 */
final class SqlLexer {

    /** End of input. */
    static final int EOF = 0;
    /** Identifier or keyword: letters, digits, {@code _}, {@code $}, any non-ASCII char. */
    static final int WORD = 1;
    /** Backtick-quoted identifier. */
    static final int QUOTED_IDENT = 2;
    /** A string literal, optionally with a charset introducer or {@code N}/{@code X}/{@code B} prefix glued on. */
    static final int STRING = 3;
    /** A numeric literal: integer, decimal, exponent, {@code 0x..}, {@code 0b..} (no sign). */
    static final int NUMBER = 4;
    /** A {@code ?} placeholder. */
    static final int PLACEHOLDER = 5;
    /** A user or system variable: {@code @x}, {@code @'x'}, {@code @@session.x}. */
    static final int VARIABLE = 6;
    /** Any other single character. */
    static final int PUNCT = 7;
    /** {@code /*+} — start of an optimizer hint. */
    static final int HINT_OPEN = 8;
    /** The {@code *}{@code /} closing an optimizer hint. */
    static final int HINT_CLOSE = 9;

    final String s;
    private final int n;
    private int pos;
    private boolean inHint;
    private int versionDepth;
    /** Bounds of the token seen by the last {@link #peekType()}. */
    int peekStart;

    int peekEnd;

    /** Start (inclusive) of the current token in {@link #s}. */
    int start;
    /** End (exclusive) of the current token in {@link #s}. */
    int end;
    /** Type of the current token. */
    int type;
    /** Whitespace or a comment came between the previous token and this one. */
    boolean spaceBefore;

    SqlLexer(String s) {
        this.s = s;
        this.n = s.length();
    }

    /** The type of the token after the current one, without consuming it. */
    int peekType() {
        int savedPos = pos, savedStart = start, savedEnd = end, savedType = type, savedDepth = versionDepth;
        boolean savedSpace = spaceBefore, savedHint = inHint;
        int t = next();
        peekStart = start;
        peekEnd = end;
        pos = savedPos;
        start = savedStart;
        end = savedEnd;
        type = savedType;
        versionDepth = savedDepth;
        spaceBefore = savedSpace;
        inHint = savedHint;
        return t;
    }

    /** Whether the token after the current one is the single character {@code c}. */
    boolean peekPunct(char c) {
        return peekType() == PUNCT && s.charAt(peekStart) == c;
    }

    boolean inHint() {
        return inHint;
    }

    /** Advances to the next token and returns its type. */
    int next() {
        spaceBefore = skipSpaceAndComments();
        start = pos;
        if (pos >= n) {
            end = n;
            return type = EOF;
        }
        char c = s.charAt(pos);
        switch (c) {
            case '\'':
            case '"':
                pos = skipQuoted(pos + 1, c, true);
                return finish(STRING);
            case '`':
                pos = skipQuoted(pos + 1, '`', false);
                return finish(QUOTED_IDENT);
            case '?':
                pos++;
                return finish(PLACEHOLDER);
            case '@':
                pos = skipVariable(pos + 1);
                return finish(VARIABLE);
            case '/':
                if (pos + 2 < n && s.charAt(pos + 1) == '*' && s.charAt(pos + 2) == '+') {
                    pos += 3;
                    inHint = true;
                    return finish(HINT_OPEN);
                }
                pos++;
                return finish(PUNCT);
            case '*':
                if (inHint && pos + 1 < n && s.charAt(pos + 1) == '/') {
                    pos += 2;
                    inHint = false;
                    return finish(HINT_CLOSE);
                }
                pos++;
                return finish(PUNCT);
            case '.':
                if (pos + 1 < n
                        && isDigit(s.charAt(pos + 1))
                        && (pos == 0 || !isIdentChar(s.charAt(pos - 1)) && s.charAt(pos - 1) != '`')) {
                    return number();
                }
                pos++;
                return finish(PUNCT);
            default:
                if (isDigit(c)) {
                    return number();
                }
                if (isIdentChar(c)) {
                    return word();
                }
                pos++;
                return finish(PUNCT);
        }
    }

    private int finish(int t) {
        end = pos;
        return type = t;
    }

    private int word() {
        int p = pos;
        char c = s.charAt(p);
        // X'0A', B'01', N'text' literals: one letter glued to a quote
        if (p + 1 < n
                && s.charAt(p + 1) == '\''
                && (c == 'x' || c == 'X' || c == 'b' || c == 'B' || c == 'n' || c == 'N')) {
            pos = skipQuoted(p + 2, '\'', true);
            return finish(STRING);
        }
        p = skipIdent(p);
        // _utf8mb4'abc' : charset introducer glued to a string
        if (c == '_' && p < n && (s.charAt(p) == '\'' || s.charAt(p) == '"')) {
            pos = skipQuoted(p + 1, s.charAt(p), true);
            return finish(STRING);
        }
        pos = p;
        return finish(WORD);
    }

    private int number() {
        int p = pos;
        if (s.charAt(p) == '0' && p + 1 < n) {
            char x = s.charAt(p + 1);
            if (x == 'x' || x == 'X' || x == 'b' || x == 'B') {
                int q = p + 2;
                boolean hex = x == 'x' || x == 'X';
                while (q < n && (hex ? isHexDigit(s.charAt(q)) : (s.charAt(q) == '0' || s.charAt(q) == '1'))) {
                    q++;
                }
                if (q > p + 2 && (q >= n || !isIdentChar(s.charAt(q)))) {
                    pos = q;
                    return finish(NUMBER);
                }
            }
        }
        while (p < n && isDigit(s.charAt(p))) {
            p++;
        }
        if (p < n && s.charAt(p) == '.') {
            p++;
            while (p < n && isDigit(s.charAt(p))) {
                p++;
            }
        }
        if (p < n && (s.charAt(p) == 'e' || s.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < n && (s.charAt(q) == '+' || s.charAt(q) == '-')) {
                q++;
            }
            if (q < n && isDigit(s.charAt(q))) {
                p = q;
                while (p < n && isDigit(s.charAt(p))) {
                    p++;
                }
            }
        }
        if (p < n && isIdentChar(s.charAt(p)) && s.charAt(pos) != '.') {
            // MySQL identifiers may start with digits: 1st_table, 123abc
            pos = skipIdent(p);
            return finish(WORD);
        }
        pos = p;
        return finish(NUMBER);
    }

    private int skipIdent(int p) {
        while (p < n && isIdentChar(s.charAt(p))) {
            p++;
        }
        return p;
    }

    private int skipVariable(int p) {
        if (p < n && s.charAt(p) == '@') {
            p++;
        }
        if (p < n) {
            char q = s.charAt(p);
            if (q == '\'' || q == '"' || q == '`') {
                return skipQuoted(p + 1, q, q != '`');
            }
        }
        while (p < n) {
            char c = s.charAt(p);
            if (isIdentChar(c) || c == '.') {
                p++;
            } else {
                break;
            }
        }
        return p;
    }

    /** From just after an opening quote, returns the index after the closing quote (or n). */
    private int skipQuoted(int p, char quote, boolean backslash) {
        int end = endOfQuoted(s, p, quote, backslash);
        return end < 0 ? n : end;
    }

    /**
     * From just after an opening quote in {@code s}, the index after the closing quote, or -1 when the quote is
     * never closed. A backslash escapes the next character when {@code backslash}; a doubled quote is one quote.
     * Shared with {@link ShapeCache}, which must delimit strings exactly as the lexer does.
     */
    static int endOfQuoted(String s, int p, char quote, boolean backslash) {
        int n = s.length();
        while (p < n) {
            char c = s.charAt(p);
            if (c == '\\' && backslash) {
                p += 2;
            } else if (c == quote) {
                if (p + 1 < n && s.charAt(p + 1) == quote) {
                    p += 2; // doubled quote
                } else {
                    return p + 1;
                }
            } else {
                p++;
            }
        }
        return -1;
    }

    /** Skips whitespace and comments; returns whether anything was skipped. */
    private boolean skipSpaceAndComments() {
        int begin = pos;
        while (pos < n) {
            char c = s.charAt(pos);
            if (c <= ' ' || c == 0x7f || c == '\u00a0') {
                pos++;
            } else if (c == '#') {
                pos = lineEnd(pos);
            } else if (c == '-'
                    && pos + 1 < n
                    && s.charAt(pos + 1) == '-'
                    && (pos + 2 >= n || s.charAt(pos + 2) <= ' ')) {
                pos = lineEnd(pos);
            } else if (c == '/' && pos + 1 < n && s.charAt(pos + 1) == '*') {
                if (pos + 2 < n && s.charAt(pos + 2) == '+') {
                    break; // optimizer hint: a token
                }
                int v = versionCommentBody(pos + 2);
                if (v >= 0) {
                    versionDepth++;
                    pos = v;
                } else {
                    int close = s.indexOf("*/", pos + 2);
                    pos = close < 0 ? n : close + 2;
                }
            } else if (c == '*' && versionDepth > 0 && !inHint && pos + 1 < n && s.charAt(pos + 1) == '/') {
                versionDepth--;
                pos += 2;
            } else {
                break;
            }
        }
        return pos > begin;
    }

    /** If {@code /*} at p-2 opens an executable comment ({@code !NNNNN} or {@code M!NNNNN}), its body start. */
    private int versionCommentBody(int p) {
        if (p < n && s.charAt(p) == 'M' && p + 1 < n && s.charAt(p + 1) == '!') {
            p++;
        }
        if (p >= n || s.charAt(p) != '!') {
            return -1;
        }
        p++;
        int digits = 0;
        while (p < n && digits < 6 && isDigit(s.charAt(p))) {
            p++;
            digits++;
        }
        return p;
    }

    private int lineEnd(int p) {
        while (p < n && s.charAt(p) != '\n' && s.charAt(p) != '\r') {
            p++;
        }
        return p;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isIdentChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '$'
                || (c >= 0x80 && c != '\u00a0');
    }
}
