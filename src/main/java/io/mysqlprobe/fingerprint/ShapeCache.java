package io.mysqlprobe.fingerprint;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Templates remembered by the statement's <em>shape</em>: its text with each number and string literal
 * replaced by a one-character marker (one per kind: number, '-string, "-string), everything else kept as it is. Statements of one shape differ only in
 * literal values, and the normaliser turns every literal into {@code ?} whatever its value, so they share a
 * template: an OLTP workload sends a handful of shapes millions of times, and finding the shape is one tight
 * pass over the text where normalising is a lexer, keyword lookups and a new String (a third of a decode
 * worker's time under sysbench).
 *
 * <p>The shape scan accepts only text whose literals it delimits exactly as {@link SqlLexer} does: plain
 * decimal numbers ({@code 12}, {@code 1.5}, {@code 3.}) not glued to a letter, dot or exponent, quoted
 * strings (backslash escapes, doubled quotes), backtick identifiers kept verbatim, printable ASCII
 * elsewhere. Anything else (comments, hints, variables, hex/bit/exponent numbers, {@code .5}, {@code --},
 * non-ASCII or control characters outside strings, unterminated quotes, text over {@value #MAX_CHARS}
 * characters) is "no shape" and the caller normalises as before. {@code ShapeCacheTest} checks the
 * equivalence against the normaliser on generated statements of shared shapes.
 *
 * <p>Each shape also keeps its {@link Fingerprint}, valid while the {@link Fingerprinter}'s generation (bumped
 * whenever a cached fingerprint is replaced by the parser's tables) is the one it was found in: a statement
 * of a known shape then costs the scan and nothing else.
 *
 * <p>One instance per thread (no locking): a direct-mapped table of {@value #SLOTS} shapes, a colliding
 * shape replaces the older one. Memory is bounded by {@value #SLOTS} × {@value #MAX_CHARS} chars.
 */
final class ShapeCache {

    static final char NUMBER = '\u0001';
    /** Strings keep their quote in the shape: {@code N'x'} is one literal, {@code N"x"} a name and a string. */
    static final char SINGLE_QUOTED = '\u0002';

    static final char DOUBLE_QUOTED = '\u0003';
    static final int SLOTS = 512;
    static final int MAX_CHARS = 512;

    private final char[] key = new char[MAX_CHARS];
    /** Length of the shape in {@link #key}; -1 when the last text had none. */
    private int keyLength = -1;

    private int keyHash;
    private final char[][] shapes = new char[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private final String[] templates = new String[SLOTS];
    /** The shape's fingerprint and the {@link Fingerprinter} generation it was looked up in. */
    private final Fingerprint[] fingerprints = new Fingerprint[SLOTS];

    private final int[] generations = new int[SLOTS];
    /** The slot of the last looked-up shape; -1 when the text had none. */
    private int lastSlot = -1;

    long hits;
    long noShape;
    /** Fingerprints served from this table (written by its thread, read by {@link Fingerprinter#stats}). */
    final AtomicLong fingerprintHits = new AtomicLong();

    /** The template remembered for {@code sql}'s shape, or null (then {@link #remember} may store it). */
    String lookup(String sql) {
        if (!shape(sql)) {
            keyLength = -1;
            lastSlot = -1;
            noShape++;
            return null;
        }
        int slot = slot(keyHash);
        lastSlot = slot;
        char[] s = shapes[slot];
        if (s != null
                && hashes[slot] == keyHash
                && s.length == keyLength
                && Arrays.equals(s, 0, keyLength, key, 0, keyLength)) {
            hits++;
            return templates[slot];
        }
        return null;
    }

    /** Remembers {@code template} for the shape of the text given to the last {@link #lookup}, if it had one. */
    void remember(String template) {
        if (keyLength < 0) {
            return;
        }
        int slot = slot(keyHash);
        shapes[slot] = Arrays.copyOf(key, keyLength);
        hashes[slot] = keyHash;
        templates[slot] = template;
        fingerprints[slot] = null;
        keyLength = -1;
    }

    /** After a {@link #lookup} that found the shape: its fingerprint, if one was kept in {@code generation}. */
    Fingerprint fingerprint(int generation) {
        int slot = lastSlot;
        return slot >= 0 && generations[slot] == generation ? fingerprints[slot] : null;
    }

    /**
     * Keeps {@code fp} (the fingerprint of the template of the last looked-up shape, found in the shared
     * cache in {@code generation}) for that shape, if it had one.
     */
    void rememberFingerprint(Fingerprint fp, int generation) {
        int slot = lastSlot;
        if (slot >= 0 && templates[slot] != null) {
            fingerprints[slot] = fp;
            generations[slot] = generation;
        }
    }

    private static int slot(int h) {
        return (h * 0x9E3779B9 >>> 20) & (SLOTS - 1);
    }

    /** Writes the shape of {@code sql} to {@link #key}; false when it has none. */
    private boolean shape(String sql) {
        int n = sql.length();
        if (n > MAX_CHARS) {
            return false;
        }
        char[] k = key;
        int len = 0;
        int h = 0;
        boolean afterIdent = false; // the previous char continues an identifier (a digit there is no number)
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isIdentChar(c)) {
                if (c <= '9' && !afterIdent) { // a number starts
                    int p = i + 1;
                    while (p < n && isDigit(sql.charAt(p))) {
                        p++;
                    }
                    if (p < n && sql.charAt(p) == '.') {
                        p++;
                        while (p < n && isDigit(sql.charAt(p))) {
                            p++;
                        }
                    }
                    if (p < n && (isIdentChar(sql.charAt(p)) || sql.charAt(p) == '.' || sql.charAt(p) >= 0x80)) {
                        return false; // exponent, hex, 1st_table, 1.2.3: the lexer's call
                    }
                    c = NUMBER;
                    i = p;
                    afterIdent = false;
                } else { // the whole name at once, verbatim
                    int p = i;
                    do {
                        k[len++] = c;
                        h = 31 * h + c;
                        p++;
                    } while (p < n && isIdentChar(c = sql.charAt(p)));
                    i = p;
                    afterIdent = true;
                    continue;
                }
            } else if (c == '\'' || c == '"') {
                int end = SqlLexer.endOfQuoted(sql, i + 1, c, true);
                if (end < 0) {
                    return false; // unterminated
                }
                c = c == '\'' ? SINGLE_QUOTED : DOUBLE_QUOTED;
                i = end;
                afterIdent = false;
            } else if (c == '`') {
                int end = SqlLexer.endOfQuoted(sql, i + 1, '`', false);
                if (end < 0) {
                    return false;
                }
                if (len + (end - i) > MAX_CHARS) {
                    return false;
                }
                for (int j = i; j < end; j++) { // a quoted name is kept verbatim, backticks included
                    char b = sql.charAt(j);
                    k[len++] = b;
                    h = 31 * h + b;
                }
                i = end;
                afterIdent = false;
                continue;
            } else if (!plain(c, sql, i, n)) {
                return false;
            } else {
                i++;
                afterIdent = false;
            }
            k[len++] = c;
            h = 31 * h + c;
        }
        keyLength = len;
        keyHash = h;
        return true;
    }

    /** Punctuation and whitespace the lexer treats the same whatever follows, except comment and number starts. */
    private static boolean plain(char c, String sql, int i, int n) {
        if (c >= 0x7f || (c < ' ' && c != '\t' && c != '\n' && c != '\r')) {
            return false;
        }
        char next = i + 1 < n ? sql.charAt(i + 1) : 0;
        switch (c) {
            case '#':
            case '@':
                return false;
            case '-':
                return next != '-';
            case '/':
                return next != '*';
            case '.':
                return !isDigit(next);
            default:
                return true;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII identifier characters (non-ASCII ones end the scan in {@link #plain}). */
    private static boolean isIdentChar(char c) {
        return c < 128 && IDENT[c];
    }

    private static final boolean[] IDENT = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            IDENT[c] =
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
        }
    }
}
