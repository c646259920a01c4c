package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The shape cache must never change a template: every text below goes through a cache that has already seen
 * other texts of the same shape, and its template must equal what the normaliser makes of it alone.
 */
class ShapeCacheTest {

    private final SqlNormalizer normalizer = new SqlNormalizer();

    /** templateOf as {@link Fingerprinter} does it, on one cache. */
    private String viaCache(ShapeCache cache, String sql) {
        String t = cache.lookup(sql);
        if (t == null) {
            t = normalizer.normalize(sql);
            cache.remember(t);
        }
        return t;
    }

    @Test
    void sameShapeSameTemplateInstance() {
        ShapeCache cache = new ShapeCache();
        String a = viaCache(cache, "SELECT c FROM sbtest1 WHERE id=5021");
        String b = viaCache(cache, "SELECT c FROM sbtest1 WHERE id=17");
        assertEquals("select c from sbtest1 where id=?", a);
        assertSame(a, b);
        assertEquals(1, cache.hits);
        // a digit glued to a name is part of the name: another table, another shape
        assertEquals("select c from sbtest2 where id=?", viaCache(cache, "SELECT c FROM sbtest2 WHERE id=17"));
        assertEquals(1, cache.hits);
    }

    @Test
    void textsTheScanDoesNotDelimitAreNormalisedEveryTime() {
        ShapeCache cache = new ShapeCache();
        for (String sql : List.of(
                "select 1e5",
                "select 0x1F",
                "select .5",
                "select a -- c",
                "select /* 1 */ 1",
                "select @a",
                "select 1st_col",
                "select 'open",
                "select é",
                "select 1.2.3",
                "select t.5")) {
            assertNull(cache.lookup(sql), sql);
            cache.remember(normalizer.normalize(sql));
            assertNull(cache.lookup(sql), sql);
        }
        assertEquals(0, cache.hits);
        assertEquals(22, cache.noShape);
    }

    @Test
    void corpusWithOtherLiteralsKeepsItsTemplates() {
        ShapeCache cache = new ShapeCache();
        Random rnd = new Random(7);
        int checked = 0;
        for (int round = 0; round < 20; round++) {
            for (Corpus.Entry e : Corpus.entries()) {
                String sql = round == 0 ? e.sql() : mutateLiterals(e.sql(), rnd);
                assertEquals(normalizer.normalize(sql), viaCache(cache, sql), sql);
                checked++;
            }
        }
        assertTrue(cache.hits > checked / 2, "hits " + cache.hits + " of " + checked);
    }

    /**
     * Random statements built from fragments (keywords, names, glued and spaced literals of every kind,
     * comments, quotes, signs, dots), each pattern filled with different literals many times.
     */
    @Test
    void generatedStatementsOfSharedShapes() {
        Random rnd = new Random(42);
        ShapeCache cache = new ShapeCache();
        int n = 0;
        for (int p = 0; p < 6000; p++) {
            List<String> pattern = pattern(rnd);
            for (int k = 0; k < 8; k++) {
                StringBuilder sql = new StringBuilder();
                for (String f : pattern) {
                    sql.append(f.equals("#N") ? number(rnd) : f.equals("#S") ? string(rnd) : f);
                }
                String s = sql.toString();
                assertEquals(normalizer.normalize(s), viaCache(cache, s), s);
                n++;
            }
        }
        assertTrue(cache.hits > n / 10, "hits " + cache.hits + " of " + n);
    }

    private static final String[] WORDS = {
        "select", "from", "where", "in", "IN", "values", "VALUES", "null", "NULL", "is", "not", "default", "limit",
        "use", "and", "between", "t1", "sbtest1", "`a b`", "`x``y`", "`1`", "1st", "_utf8", "_binary", "x", "X", "b",
        "n", "N", "$a", "e", "E", "0x", "id", "c"
    };
    private static final String[] PUNCT = {
        "(",
        ")",
        ",",
        "=",
        "-",
        "+",
        "*",
        "/",
        ".",
        ";",
        "?",
        "<",
        ">",
        "!",
        "--",
        "'",
        "\"",
        "\\",
        "@",
        "@@",
        "#",
        "/* c 1 */",
        "-- 1\n",
        "# 2\n",
        "/*+ BKA(t1) */",
        "/*!40101 ",
        "*/",
        ".5"
    };
    private static final String[] SPACE = {" ", " ", " ", "", "", "\t", "\n", "  "};

    private static List<String> pattern(Random rnd) {
        List<String> out = new ArrayList<>();
        int len = 1 + rnd.nextInt(12);
        for (int i = 0; i < len; i++) {
            int r = rnd.nextInt(10);
            if (r < 3) {
                out.add(WORDS[rnd.nextInt(WORDS.length)]);
            } else if (r < 5) {
                out.add("#N");
            } else if (r < 7) {
                out.add("#S");
            } else {
                out.add(PUNCT[rnd.nextInt(PUNCT.length)]);
            }
            out.add(SPACE[rnd.nextInt(SPACE.length)]);
        }
        return out;
    }

    private static String number(Random rnd) {
        switch (rnd.nextInt(9)) {
            case 0:
                return Integer.toString(rnd.nextInt(10));
            case 1:
                return Long.toString(rnd.nextLong() & Long.MAX_VALUE);
            case 2:
                return rnd.nextInt(1000) + "." + rnd.nextInt(1000);
            case 3:
                return rnd.nextInt(100) + ".";
            case 4:
                return "0x" + Integer.toHexString(rnd.nextInt());
            case 5:
                return rnd.nextInt(9) + "e" + (rnd.nextBoolean() ? "+" : "") + rnd.nextInt(9);
            case 6:
                return "-" + rnd.nextInt(100);
            case 7:
                return "0b101";
            default:
                return "." + rnd.nextInt(100);
        }
    }

    private static String string(Random rnd) {
        String q = rnd.nextInt(4) == 0 ? "\"" : "'";
        switch (rnd.nextInt(8)) {
            case 0:
                return q + q;
            case 1:
                return q + "a" + q + q + "b" + q;
            case 2:
                return q + "a\\" + q + "b" + q;
            case 3:
                return q + "ünï 12 -- /* " + q;
            case 4:
                return q + rnd.nextInt(1000) + q;
            case 5:
                return "_utf8mb4" + q + "x" + q;
            case 6:
                return "X'" + Integer.toHexString(rnd.nextInt(255)) + "'";
            default:
                return q + "tab\there`" + q;
        }
    }

    /** Every digit run not glued to a name gets other digits; every quoted string other content. */
    private static String mutateLiterals(String sql, Random rnd) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            boolean glued = i > 0 && (Character.isLetterOrDigit(sql.charAt(i - 1)) || sql.charAt(i - 1) == '_');
            if (c >= '0' && c <= '9' && !glued) {
                while (i < n && sql.charAt(i) >= '0' && sql.charAt(i) <= '9') {
                    i++;
                }
                out.append(1 + rnd.nextInt(99999));
            } else if (c == '\'') {
                int p = i + 1;
                while (p < n && sql.charAt(p) != '\'' && sql.charAt(p) != '\\') {
                    p++;
                }
                if (p < n && sql.charAt(p) == '\'') {
                    out.append("'v").append(rnd.nextInt(1000)).append('\'');
                    i = p + 1;
                } else {
                    out.append(c);
                    i++;
                }
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
