package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.LatencySketch;
import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.report.ReportMerger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportMergeTest {

    private final ReportMerger merger = new ReportMerger(3);

    private Report merge(Report... parts) {
        Map<String, Report> m = new LinkedHashMap<>();
        for (Report r : parts) {
            m.put(r.node() + "-addr", r);
        }
        return merger.merge("master", "master", "g", 0, 1000, m, 0);
    }

    private static TemplateSnapshot find(Report r, String server, String db) {
        return r.templates().stream()
                .filter(t -> t.server().equals(server) && t.db().equals(db))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void sameDbOnDifferentServersStaysApart() {
        Report a = Reports.report("s1", 0, Reports.template("aa", "10.0.0.1:3306", "shop", "c1", 100, 200));
        Report b = Reports.report("s2", 0, Reports.template("aa", "10.0.0.2:3306", "shop", "c2", 300));
        Report m = merge(a, b);
        assertEquals(2, m.templates().size());
        assertEquals(2, find(m, "10.0.0.1:3306", "shop").count());
        assertEquals(1, find(m, "10.0.0.2:3306", "shop").count());
        assertEquals(300, find(m, "10.0.0.2:3306", "shop").latencyUs().max());
    }

    @Test
    void sameKeyIsSummedNeverOverwritten() {
        Report a = Reports.report("s1", 0, Reports.template("aa", "db:3306", "shop", "c1", 100, 200));
        Report b = Reports.report("s2", 0, Reports.template("aa", "db:3306", "shop", "c2", 50, 300, 400));
        TemplateSnapshot t = merge(a, b).templates().get(0);
        assertEquals(5, t.count());
        assertEquals(2, t.errors());
        assertEquals(Map.of("1062", 2L), t.errorCodes());
        assertEquals(1050, t.latencyUs().sum());
        assertEquals(50, t.latencyUs().min());
        assertEquals(400, t.latencyUs().max());
        assertEquals(Map.of("c1", 2L, "c2", 3L), t.clients());
        assertEquals(Map.of("app", 5L), t.users());
        assertEquals(50, t.bytesIn());
        assertEquals(
                List.of(400L, 300L, 200L),
                t.slow().stream().map(SlowSample::latencyUs).toList(),
                "the slowest 3 of both");
    }

    @Test
    void mergedHistogramEqualsTheHistogramOfTheUnion() {
        long[] x = new long[500];
        long[] y = new long[700];
        LatencySketch union = new LatencySketch();
        for (int i = 0; i < x.length; i++) {
            x[i] = 100 + i * 7L;
            union.record(x[i]);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = 5000 + i * 31L;
            union.record(y[i]);
        }
        Report m = merge(
                Reports.report("s1", 0, Reports.template("aa", "db", "d", "c", x)),
                Reports.report("s2", 0, Reports.template("aa", "db", "d", "c", y)));
        TemplateSnapshot.Latency l = m.templates().get(0).latencyUs();
        assertEquals(union.encode(), l.histogram());
        assertEquals(Math.max(100, Math.min(y[y.length - 1], union.quantile(0.5))), l.p50());
        assertEquals(Math.min(y[y.length - 1], union.quantile(0.99)), l.p99());
        assertTrue(l.p50() > 5000, "the union's median lies in the slower slave's range: " + l.p50());
    }

    @Test
    void capturesAreSummedAndKeptPerSource() throws Exception {
        Report m = merge(
                Reports.report("s1", 0, Reports.template("aa", "db", "d", "c", 1)),
                Reports.report("s2", 0, Reports.template("bb", "db", "d", "c", 1, 2)));
        assertEquals(20, m.capture().packets());
        assertEquals(3, m.capture().statements());
        assertEquals(Map.of("bad_packet", 4L), m.capture().decodeErrorsByKind());
        assertEquals(2, m.sources().size());
        assertEquals("s1", m.sources().get(0).node());
        assertEquals("s1-addr", m.sources().get(0).address());
        assertEquals(10, m.sources().get(1).capture().packets());
        Report back = ReportJson.read(ReportJson.write(m));
        assertEquals(m, back, "a merged report survives its JSON form");
    }
}
