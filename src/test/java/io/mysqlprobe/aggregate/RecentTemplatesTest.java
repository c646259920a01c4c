package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.protocol.StatementRecord;
import io.mysqlprobe.tcp.FlowKey;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The aggregator's shortcuts (the statistics of recent statements found by identity, the window of the last
 * statement kept while the clock's rules stay) give what the key lookup and the clock give.
 */
class RecentTemplatesTest {

    private static final FlowKey A = new FlowKey(0, 0xFFFF7F000001L, 40000, 0, 0xFFFF7F000001L, 3306);
    private static final FlowKey B = new FlowKey(0, 0xFFFF7F000001L, 40002, 0, 0xFFFF7F000001L, 3306);

    private final WindowClock clock = new WindowClock(1000);
    private final WindowAggregator agg = new WindowAggregator(
            clock,
            new SqlTemplater(new Fingerprinter()),
            () -> new AggregateSettings(100_000, false, 3, 2, 5),
            new LongAdder());

    private static StatementRecord ending(FlowKey conn, long endUs, String db, String sql, long latencyUs) {
        return WindowAggregatorTest.statement(conn, endUs, db, sql, latencyUs, 1);
    }

    @Test
    void aTableKeptForOneWindowAnswersNothingForAnother() {
        RecentTemplates recent = new RecentTemplates();
        WindowData w1 = new WindowData(0, 1000);
        WindowData w2 = new WindowData(1000, 2000);
        var fp = new Fingerprinter().fingerprint("select 1");
        ConnectionNames n = ConnectionNames.of(A);
        TemplateStats s = new TemplateStats(fp, 2, 5);
        recent.put(w1, fp, n, "d", s);
        assertSame(s, recent.get(w1, fp, n, "d"));
        assertNull(recent.get(w1, fp, n, new String("d")), "another schema instance: the key lookup decides");
        assertNull(recent.get(w1, fp, ConnectionNames.of(A), "d"), "another connection's names");
        assertNull(recent.get(w2, fp, n, "d"), "another window");
        assertNull(recent.get(w1, fp, n, "d"), "asked about another window, it forgot the first");
        recent.put(w1, fp, n, "d", s);
        recent.forget();
        assertNull(recent.get(w1, fp, n, "d"));
    }

    @Test
    void statementsOfOneTemplateAndConnectionInTwoWindowsStayInTheirWindows() {
        for (int i = 0; i < 3; i++) { // without a drain between the windows: only the window tells them apart
            agg.accept(ending(A, 10_100_000 + i, "d", "select c from t where id=" + i, 100));
            agg.accept(ending(B, 10_200_000 + i, "d", "select c from t where id=" + i, 100));
        }
        agg.accept(ending(A, 11_100_000, "d", "select c from t where id=7", 5000));
        agg.accept(ending(A, 10_900_000, "d", "select c from t where id=8", 300)); // back to the first window
        List<WindowSnapshot> ws = agg.drainAll();
        ws.sort(Comparator.comparingLong(WindowSnapshot::startMs));
        assertEquals(2, ws.size());
        TemplateSnapshot first = ws.get(0).templates().get(0);
        TemplateSnapshot second = ws.get(1).templates().get(0);
        assertEquals(1, ws.get(0).templates().size());
        assertEquals(7, first.count());
        assertEquals(300, first.latencyUs().max());
        assertEquals(7, first.rowsSent());
        assertEquals(1, second.count());
        assertEquals(5000, second.latencyUs().min());
        assertEquals(first.id(), second.id());
    }

    @Test
    void aWindowIsTakenAfreshOnceTheClocksIntervalChanges() {
        WindowClock tens = new WindowClock(10_000);
        WindowAggregator a = new WindowAggregator(
                tens,
                new SqlTemplater(new Fingerprinter()),
                () -> new AggregateSettings(100_000, false, 3, 2, 5),
                new LongAdder());
        a.accept(ending(A, 10_500_000, "d", "select 1", 100)); // [10 s, 20 s)
        tens.changeInterval(1000, 5_000); // 1 s windows from 10 s on
        a.accept(ending(A, 12_500_000, "d", "select 1", 100)); // now in [12 s, 13 s), not the open 10 s window
        List<WindowSnapshot> ws = a.drainAll();
        ws.sort(Comparator.comparingLong(WindowSnapshot::startMs));
        assertEquals(
                List.of(10_000L, 12_000L),
                ws.stream().map(WindowSnapshot::startMs).toList());
        assertEquals(13_000L, ws.get(1).endMs());
        assertEquals(1, ws.get(1).aggregatedStatements());
    }

    @Test
    void anOverflowedTemplateCountsAsOverflowedAtEveryStatement() {
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5; i++) { // 5 templates, 3 kept
                agg.accept(ending(A, 10_100_000 + round * 10 + i, "d", "select c" + i + " from t", 100));
            }
        }
        WindowSnapshot w = agg.drainAll().get(0);
        assertEquals(15, w.aggregatedStatements());
        assertEquals(6, w.overflowedStatements());
        assertEquals(4, w.templates().size());
    }
}
