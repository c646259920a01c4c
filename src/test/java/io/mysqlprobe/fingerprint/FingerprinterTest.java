package io.mysqlprobe.fingerprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FingerprinterTest {

    @Test
    void sameTemplateIsServedFromTheCache() throws Exception {
        Fingerprinter f = new Fingerprinter(100, 8192, 10_000);
        Fingerprint a = f.fingerprint("SELECT c FROM sbtest1 WHERE id=5021");
        Fingerprint b = f.fingerprint("select c from sbtest1 where id = 7".replace(" = ", "="));
        assertSame(a, b);
        assertEquals("select c from sbtest1 where id=?", a.template());
        assertEquals(Digest.of(a.template()), a.id());
        assertEquals("select", a.statementType());
        assertEquals(List.of("sbtest1"), a.tables());
        f.awaitParses(5000); // jsqlparser confirms the tables in the background
        assertSame(a, f.fingerprint("SELECT c FROM sbtest1 WHERE id=1"), "same tables: the entry is kept");
        Fingerprinter.Stats s = f.stats();
        assertEquals(2, s.cacheHits());
        assertEquals(1, s.cacheMisses());
        assertEquals(1, s.cached());
        assertEquals(1, s.parsed());
    }

    @Test
    void unparseableStatementsFallBackToTheLexerAndAreCounted() throws Exception {
        // unbalanced: not even given to the parser
        Fingerprinter g = new Fingerprinter();
        assertEquals(
                List.of("t1"),
                g.fingerprint("SELECT a FROM t1 WHERE ((( garbage").tables());
        assertEquals(1, g.stats().parseSkipped());

        Fingerprinter f = new Fingerprinter(100, 8192, 10_000);
        Fingerprint fp = f.fingerprint("SELECT a FROM t1 JOIN t2 ON WHERE garbage garbage");
        assertEquals("select", fp.statementType());
        assertEquals(List.of("t1", "t2"), fp.tables());
        f.awaitParses(5000);
        assertEquals(1, f.stats().parseFailures());

        Fingerprint kill = f.fingerprint("KILL QUERY 42");
        assertEquals("kill", kill.statementType());
        assertEquals("kill query ?", kill.template());
        Fingerprint begin = f.fingerprint("START TRANSACTION");
        assertEquals("begin", begin.statementType());
        assertEquals(2, f.stats().parseSkipped());
    }

    @Test
    void longStatementsAreNotParsed() {
        Fingerprinter f = new Fingerprinter(100, 50);
        Fingerprint fp = f.fingerprint("SELECT " + "col, ".repeat(20) + "x FROM big_table WHERE b = 'x'");
        assertEquals(List.of("big_table"), fp.tables());
        assertEquals(1, f.stats().parseSkipped());
        assertEquals(0, f.stats().parsed());
    }

    @Test
    void aPathologicalParseNeverHoldsUpTheCallerAndTheLexerAnswers() throws Exception {
        // jsqlparser 5.3 backtracks for hundreds of ms on this 70-char statement
        String sql = "select (limit limit )use anot -, in use t1/*+NULL`limit t/*--values/*?` from t9";
        Fingerprinter f = new Fingerprinter(10, 8192, 1);
        f.fingerprint("select a from t");
        f.awaitParses(5000);
        assertEquals(1, f.stats().parsed());
        long start = System.nanoTime();
        Fingerprint fp = f.fingerprint(sql);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals("select", fp.statementType());
        assertTrue(millis < 100, "the caller waited " + millis + " ms for a parse");
    }

    @Test
    void parsedTablesReplaceTheLexersWhenTheyDiffer() throws Exception {
        Fingerprinter f = new Fingerprinter(100, 8192);
        // a statement where the lexer and the parser may disagree: the cached entry ends with the parser's view
        Fingerprint first = f.fingerprint("SELECT * FROM a WHERE x IN (SELECT y FROM b)");
        f.awaitParses(5000);
        Fingerprint later = f.fingerprint("SELECT * FROM a WHERE x IN (SELECT y FROM b)");
        assertEquals(first.id(), later.id());
        assertEquals(List.of("a", "b"), later.tables());
    }

    @Test
    void longTemplatesAreCutButKeepDistinctIds() {
        Fingerprinter f = new Fingerprinter(100, 8192, 10_000, 100);
        String head = "SELECT " + "a_long_column_name, ".repeat(10);
        Fingerprint one = f.fingerprint(head + "x FROM t1");
        Fingerprint two = f.fingerprint(head + "x FROM t2");
        assertEquals(100 + Fingerprinter.TRUNCATED_MARK.length(), one.template().length());
        assertTrue(one.template().endsWith(Fingerprinter.TRUNCATED_MARK));
        assertEquals(one.template(), two.template());
        assertTrue(one.id() != two.id(), "ids are digests of the whole template");
        assertEquals(Digest.of(new SqlNormalizer().normalize(head + "x FROM t1")), one.id());
        assertEquals(List.of("t1"), one.tables());
        assertSame(one, f.fingerprint(head + "x FROM t1 -- again"));
        assertEquals(1, f.stats().cacheHits());
    }

    @Test
    void statementsOfAKnownShapeGetTheParsersTablesOnceTheyArrive() throws InterruptedException {
        Fingerprinter f = new Fingerprinter(100, 8192);
        String sql = "select * from t1 left join (t2 cross join t3) on t1.a = t2.a and t1.b = 5";
        Fingerprint lexed = f.fingerprint(sql);
        assertEquals(List.of("t1", "t3"), lexed.tables(), "the lexer misses t2 here; jsqlparser does not");
        f.awaitParses(5000);
        // same shape, another literal: served by this thread's shape table, which must not keep the lexer's view
        Fingerprint later = f.fingerprint(sql.replace("= 5", "= 7"));
        assertEquals(lexed.id(), later.id());
        assertEquals(List.of("t1", "t2", "t3"), later.tables());
        assertSame(later, f.fingerprint(sql.replace("= 5", "= 8")));
        assertEquals(2, f.stats().cacheHits());
    }

    @Test
    void theCacheIsBoundedAndCountsEvictions() {
        Fingerprinter f = new Fingerprinter(3, 8192);
        for (int i = 0; i < 10; i++) {
            f.fingerprint("select c" + i + " from t");
        }
        Fingerprinter.Stats s = f.stats();
        assertEquals(3, s.cached());
        assertEquals(7, s.evictions());
        assertEquals(10, s.cacheMisses());
        // the most recent survive (LRU)
        f.fingerprint("select c9 from t");
        assertEquals(1, f.stats().cacheHits());
        f.fingerprint("select c0 from t");
        assertEquals(11, f.stats().cacheMisses());
    }

    @Test
    void stripedCacheKeepsItsGlobalBound() {
        Fingerprinter f = new Fingerprinter(2048, 0); // maxParseChars 0: lexer only, fast
        for (int i = 0; i < 10_000; i++) {
            f.fingerprint("select c" + i + " from t");
        }
        Fingerprinter.Stats s = f.stats();
        assertTrue(s.cached() <= 2048, "cached " + s.cached());
        assertEquals(10_000 - s.cached(), s.evictions());
    }

    @Test
    void nothingIsDropped() {
        Fingerprinter f = new Fingerprinter();
        for (String sql : new String[] {null, "", "\u0000\u0001\uffff", "'", "/*", "select", ")))((("}) {
            Fingerprint fp = f.fingerprint(sql);
            assertTrue(fp != null && fp.template() != null && fp.statementType() != null && fp.tables() != null);
        }
        assertEquals("unknown", f.fingerprint("").statementType());
    }

    @Test
    void sharedByConcurrentWorkers() throws Exception {
        Fingerprinter f = new Fingerprinter(10_000, 8192, 10_000);
        List<Corpus.Entry> corpus = Corpus.entries();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (Corpus.Entry e : corpus) {
                            Fingerprint fp = f.fingerprint(e.sql());
                            if (!fp.template().equals(e.template())
                                    || !fp.statementType().equals(e.type())) {
                                throw new AssertionError(e + " → " + fp);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> fu : futures) {
                fu.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Fingerprinter.Stats s = f.stats();
        assertEquals(4L * 50 * corpus.size(), s.cacheHits() + s.cacheMisses());
        long distinct = corpus.stream().map(Corpus.Entry::template).distinct().count();
        assertEquals(distinct, s.cached());
    }

    @Test
    void noTemplateTextIsEverEmpty() {
        Fingerprinter f = new Fingerprinter(100, 8192, 10_000);
        Fingerprint comment = f.fingerprint("-- x");
        assertEquals(Fingerprinter.COMMENT_ONLY, comment.template());
        assertSame(comment, f.fingerprint("/* only a comment */"), "every comment-only text shares one template");
        assertSame(comment, f.local().fingerprint("# another\n"));
        Fingerprint empty = f.fingerprint("");
        assertEquals(Fingerprinter.EMPTY_STATEMENT, empty.template());
        assertSame(empty, f.fingerprint(null));
        assertSame(empty, f.fingerprint("  \n "));
        assertSame(empty, f.ofTemplate(""), "enforced where templates are made");
        assertTrue(comment.id() != empty.id() && comment.id() != Digest.of(""));
        for (String sql : List.of("", " ", "--", "-- x", "/**/", "/*", "#", ";", "/*!*/")) {
            assertTrue(!f.fingerprint(sql).template().isEmpty(), sql);
            assertTrue(!f.templateOf(sql).isEmpty(), sql);
        }
    }
}
