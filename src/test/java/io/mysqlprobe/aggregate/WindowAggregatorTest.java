package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.protocol.Command;
import io.mysqlprobe.protocol.StatementRecord;
import io.mysqlprobe.tcp.FlowKey;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** A window's statement count is the count of what went into its templates, overflow and late ones included. */
class WindowAggregatorTest {

    private final LongAdder all = new LongAdder();
    private final WindowAggregator agg = new WindowAggregator(
            new WindowClock(1000),
            new SqlTemplater(new Fingerprinter()),
            () -> new AggregateSettings(100_000, false, 3, 2, 5),
            all);

    private static StatementRecord ending(long endUs, String sql) {
        return statement(null, endUs, "d", sql, 50, 0);
    }

    /** A successful COM_QUERY of {@code conn} whose last response byte came at {@code endUs}. */
    static StatementRecord statement(FlowKey conn, long endUs, String db, String sql, long latencyUs, long rowsSent) {
        return new StatementRecord(
                conn,
                1,
                "u",
                db,
                Command.COM_QUERY,
                sql,
                endUs - latencyUs,
                endUs - 10,
                endUs,
                true,
                0,
                null,
                null,
                rowsSent,
                0,
                0,
                0,
                10,
                10,
                null,
                false);
    }

    private static long templateCounts(WindowSnapshot w) {
        return w.templates().stream().mapToLong(TemplateSnapshot::count).sum();
    }

    @Test
    void statementsGoToTheWindowOfTheirLastResponseByteAndAreCountedThere() {
        agg.accept(ending(10_999_999, "select 1"));
        agg.accept(ending(11_000_000, "select 2")); // the next window's first microsecond
        agg.accept(ending(11_500_000, "select 3"));
        List<WindowSnapshot> ws = agg.drainBefore(12_000);
        assertEquals(2, ws.size());
        assertEquals(1, ws.get(0).aggregatedStatements());
        assertEquals(2, ws.get(1).aggregatedStatements());
        for (WindowSnapshot w : ws) {
            assertEquals(templateCounts(w), w.aggregatedStatements());
        }
        assertEquals(3, all.sum());
    }

    @Test
    void overflowedStatementsAreCountedLikeAnyOther() {
        for (int i = 0; i < 10; i++) {
            agg.accept(ending(10_100_000 + i, "select c" + i + " from t")); // 10 templates, 3 allowed
        }
        WindowSnapshot w = agg.drainBefore(11_000).get(0);
        assertEquals(10, w.aggregatedStatements());
        assertEquals(7, w.overflowedStatements());
        assertEquals(10, templateCounts(w));
    }

    @Test
    void aLateStatementCountsInTheWindowItIsPutIn() {
        agg.accept(ending(10_100_000, "select 1"));
        WindowSnapshot first = agg.drainBefore(11_000).get(0);
        agg.accept(ending(10_900_000, "select 2")); // its window was handed over: late
        agg.accept(ending(11_200_000, "select 3"));
        WindowSnapshot second = agg.drainBefore(12_000).get(0);
        assertEquals(1, first.aggregatedStatements());
        assertEquals(11_000, second.startMs());
        assertEquals(2, second.aggregatedStatements());
        assertEquals(1, second.lateStatements());
        assertEquals(templateCounts(second), second.aggregatedStatements());
    }

    @Test
    void mergingWindowsOfTwoWorkersAddsTheirCounts() {
        WindowAggregator other = new WindowAggregator(
                new WindowClock(1000),
                new SqlTemplater(new Fingerprinter()),
                () -> new AggregateSettings(100_000, false, 3, 2, 5),
                all);
        agg.accept(ending(10_100_000, "select 1"));
        other.accept(ending(10_200_000, "select 1"));
        other.accept(ending(10_300_000, "select 9"));
        WindowSnapshot w = WindowMerge.merge(
                10_000,
                11_000,
                List.of(
                        agg.drainBefore(11_000).get(0),
                        other.drainBefore(11_000).get(0)),
                2,
                5);
        assertEquals(3, w.aggregatedStatements());
        assertEquals(3, templateCounts(w));
    }
}
