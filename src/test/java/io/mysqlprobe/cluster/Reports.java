package io.mysqlprobe.cluster;

import io.mysqlprobe.aggregate.LatencySketch;
import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small hand-made slave reports for merge tests. */
final class Reports {

    private Reports() {}

    static Report.CaptureSection capture(long packets, long statements) {
        return new Report.CaptureSection(
                packets, packets * 100, 1, 0, 0, 0, 2, Map.of("bad_packet", 2L), 0, 0, 0, 3, 1, 0, statements, 0, 0, 0);
    }

    /** A template with one latency per element of {@code latencies}. */
    static TemplateSnapshot template(String id, String server, String db, String client, long... latencies) {
        LatencySketch s = new LatencySketch();
        long sum = 0;
        long min = Long.MAX_VALUE;
        long max = 0;
        List<SlowSample> slow = new ArrayList<>();
        for (long l : latencies) {
            s.record(l);
            sum += l;
            min = Math.min(min, l);
            max = Math.max(max, l);
            slow.add(new SlowSample(l, l + 1, l, client, "select " + l, 0, 1));
        }
        int n = latencies.length;
        return new TemplateSnapshot(
                id,
                "select ?",
                "select",
                List.of("t"),
                server,
                db,
                n,
                1,
                Map.of("1062", 1L),
                new TemplateSnapshot.Latency(
                        sum,
                        min,
                        max,
                        s.quantile(0.5),
                        s.quantile(0.95),
                        s.quantile(0.99),
                        s.quantile(0.999),
                        s.encode()),
                n,
                0,
                0,
                10L * n,
                20L * n,
                0,
                0,
                0,
                1000,
                2000,
                Map.of(client, (long) n),
                Map.of("app", (long) n),
                "select 1",
                slow);
    }

    static Report report(String node, long start, TemplateSnapshot... ts) {
        long statements = 0;
        for (TemplateSnapshot t : ts) {
            statements += t.count();
        }
        return new Report(
                node,
                "slave",
                "standalone",
                new Report.Window(start, start + 1000),
                capture(10, statements),
                List.of(ts),
                null,
                null);
    }
}
