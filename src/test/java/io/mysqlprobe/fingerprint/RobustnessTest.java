package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Garbage, truncated and adversarial input never throws and always yields something. */
class RobustnessTest {

    private static final String ALPHABET =
            "'\"`\\/*-+#!?@()[],;.:=<>_ \n\t\r0123456789xXbBeEnNaselctfromwhinvuMD\u00e9\u6771\u0000";
    private static final String[] WORDS = {
        "select ",
        "from ",
        "where ",
        " in ",
        "values",
        "(",
        ")",
        ",",
        "'",
        "\"",
        "`",
        "/*",
        "*/",
        "/*!40101",
        "/*+",
        "--",
        "-- ",
        "#",
        "\n",
        "NULL",
        "is ",
        "not ",
        "_utf8mb4",
        "0x",
        "X'",
        "1",
        "-",
        "?",
        "@",
        "@@",
        "\\",
        ";",
        "use ",
        "limit "
    };

    private final SqlNormalizer normalizer = new SqlNormalizer();
    private final Redactor redactor = new Redactor();

    @Test
    void hundredThousandRandomInputs() {
        SplittableRandom rnd = new SplittableRandom(20261121);
        for (int i = 0; i < 100_000; i++) {
            String s = (i & 1) == 0 ? randomChars(rnd) : randomWords(rnd);
            check(s);
        }
    }

    @Test
    void everyPrefixOfEveryCorpusStatement() {
        List<Corpus.Entry> corpus = Corpus.entries();
        for (Corpus.Entry e : corpus) {
            for (int i = 0; i <= e.sql().length(); i++) {
                check(e.sql().substring(0, i));
                check(e.sql().substring(i));
            }
        }
    }

    @Test
    void randomBinaryFingerprints() {
        Fingerprinter f = new Fingerprinter(1000, 8192);
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            char[] c = new char[rnd.nextInt(200)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) rnd.nextInt(0x10000); // includes lone surrogates
            }
            Fingerprint fp = f.fingerprint(new String(c));
            assertNotNull(fp.template());
            assertNotNull(fp.statementType());
        }
        // a few thousand random "select ..." to exercise the jsqlparser fallback path
        for (int i = 0; i < 2_000; i++) {
            Fingerprint fp = f.fingerprint("select " + randomWords(rnd));
            assertTrue(fp.statementType().equals("select"), fp.toString());
        }
        assertTrue(f.stats().parseFailures() > 0);
    }

    private void check(String s) {
        String t = normalizer.normalize(s);
        assertNotNull(t);
        assertTrue(t.length() <= s.length() + 8 || t.contains("(?+)"), () -> "grew: " + s + " → " + t);
        assertNotNull(redactor.redact(s));
        assertNotNull(LexerClassifier.statementType(t));
        assertNotNull(LexerClassifier.tables(t, "lock"));
    }

    private static String randomChars(SplittableRandom rnd) {
        char[] c = new char[rnd.nextInt(60)];
        for (int i = 0; i < c.length; i++) {
            c[i] = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
        }
        return new String(c);
    }

    private static String randomWords(SplittableRandom rnd) {
        StringBuilder b = new StringBuilder();
        int n = rnd.nextInt(30);
        for (int i = 0; i < n; i++) {
            b.append(WORDS[rnd.nextInt(WORDS.length)]);
        }
        return b.toString();
    }
}
