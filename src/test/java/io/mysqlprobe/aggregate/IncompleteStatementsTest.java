package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.fingerprint.Fingerprint;
import io.mysqlprobe.protocol.Command;
import io.mysqlprobe.protocol.StatementRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A statement whose response never came counts under its template, outside its latency figures. */
class IncompleteStatementsTest {

    static final Fingerprint FP = new Fingerprint(42, "select sleep(?)", "select", List.of());
    static final TemplateKey KEY = new TemplateKey("127.0.0.1:3306", "shop", 42);

    static StatementRecord record(long requestUs, long responseUs, boolean incomplete) {
        return new StatementRecord(
                null,
                0,
                "app",
                "shop",
                Command.COM_QUERY,
                "select sleep(1)",
                requestUs,
                responseUs,
                responseUs,
                true,
                0,
                null,
                null,
                0,
                0,
                0,
                0,
                20,
                responseUs == 0 ? 0 : 50,
                null,
                incomplete);
    }

    static TemplateStats stats(StatementRecord... records) {
        TemplateStats t = new TemplateStats(FP, 5, 10);
        for (StatementRecord r : records) {
            t.add(r, ConnectionNames.UNKNOWN, StatementRecord::sql, 0);
        }
        return t;
    }

    @Test
    void countedButLeftOutOfLatencyAndSlowSamples() {
        // a complete one of 1 s, an incomplete one whose partial response spans 5 s: the latter's time is unknown
        TemplateSnapshot s = stats(record(1_000_000, 2_000_000, false), record(3_000_000, 8_000_000, true))
                .snapshot(KEY);
        assertEquals(2, s.count());
        assertEquals(1_000_000, s.latencyUs().sum());
        assertEquals(1_000_000, s.latencyUs().min());
        assertEquals(1_000_000, s.latencyUs().max());
        assertEquals(1, LatencySketch.decode(s.latencyUs().histogram()).count());
        assertEquals(1, s.slow().size());
        assertEquals(40, s.bytesIn());
    }

    @Test
    void aTemplateOfIncompleteStatementsOnlyReportsNoLatencyAndMergesWithoutOne() {
        TemplateSnapshot only = stats(record(3_000_000, 0, true)).snapshot(KEY);
        assertEquals(1, only.count());
        assertEquals(0, only.latencyUs().min());
        assertEquals(0, only.latencyUs().max());
        assertEquals(0, only.latencyUs().p99());
        // a master restores the slaves' snapshots and merges them: the incomplete one brings no minimum of 0
        TemplateStats merged = TemplateStats.restore(only, 5, 10);
        merged.merge(
                TemplateStats.restore(stats(record(1_000_000, 1_500_000, false)).snapshot(KEY), 5, 10));
        TemplateSnapshot m = merged.snapshot(KEY);
        assertEquals(2, m.count());
        assertEquals(500_000, m.latencyUs().min());
        assertEquals(500_000, m.latencyUs().max());
    }
}
