package io.mysqlprobe.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.monitor.LogRows.PingLogRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogTableTest {

    private static PingLogRow row(String host, long t) {
        return new PingLogRow(host, 3306, t, 100, null);
    }

    @Test
    void purgeDropsRowsOlderThanCutoff() {
        LogTable<PingLogRow> t = new LogTable<>("mysql_server_ping_log", 1000);
        for (long i = 1; i <= 10; i++) {
            t.add(row("a", i * 1_000_000));
        }
        assertEquals(4, t.purgeOlderThan(5_000_000));
        assertEquals(6, t.size());
        assertEquals(5_000_000, t.query(null, null, null, 100).get(5).timeStartUs());
    }

    @Test
    void rowCapDropsOldest() {
        LogTable<PingLogRow> t = new LogTable<>("x", 3);
        for (long i = 1; i <= 5; i++) {
            t.add(row("a", i));
        }
        assertEquals(3, t.size());
        assertEquals(
                List.of(5L, 4L, 3L),
                t.query(null, null, null, 10).stream()
                        .map(PingLogRow::timeStartUs)
                        .toList());
        assertEquals(2, t.purgedRows());
    }

    @Test
    void queryFiltersNewestFirstWithLimit() {
        LogTable<PingLogRow> t = new LogTable<>("x", 100);
        t.add(row("a", 1));
        t.add(row("b", 2));
        t.add(row("a", 4));
        t.add(row("a", 3)); // completed out of order
        assertEquals(
                List.of(4L, 3L, 1L),
                t.query("a", null, null, 10).stream()
                        .map(PingLogRow::timeStartUs)
                        .toList());
        assertEquals(
                List.of(4L, 3L),
                t.query("a", 3306, 3L, 10).stream().map(PingLogRow::timeStartUs).toList());
        assertEquals(1, t.query(null, null, null, 1).size());
        assertEquals(0, t.query(null, 3307, null, 10).size());
    }

    @Test
    void enginePurgeUsesEffectiveHistory() {
        MonitorEngine e = new MonitorEngine();
        // history 1000 ms, but 3 failures + 1 at 2000 ms apart need 8000 ms
        e.apply(MonitorConfig.parse(Map.of("history", 1000, "ping_interval", 2000, "ping_max_failures", 3)));
        long now = 100_000_000_000L;
        e.pingLog().add(row("a", now - 9_000_000)); // 9 s old: purged
        e.pingLog().add(row("a", now - 7_000_000)); // 7 s old: kept although history is 1 s
        e.connectLog().add(new LogRows.ConnectLogRow("a", 3306, now - 9_000_000, 0, "x"));
        assertEquals(2, e.purgeLogs(now));
        assertEquals(1, e.pingLog().size());
        assertEquals(0, e.connectLog().size());
        e.stop();
    }
}
