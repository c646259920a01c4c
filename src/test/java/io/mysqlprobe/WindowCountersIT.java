package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 7 on the packaged probe capturing {@code lo}: a steady JDBC load (two connections, text and
 * server-side prepared statements) for 8 s with 1 s windows; every window's {@code capture.statements} equals the
 * sum of its templates' counts, the windows add up to what the client ran, and the packets attributed to windows
 * add up to the probe's cumulative packet counter.
 */
class WindowCountersIT {

    static MariaDbServer db;
    static ProbeProcess probe;
    static Path work;

    static final String POINT = "select name from t where id = ?";
    static final String RANGE = "select count(*) from t where id between ? and ?";
    static final String UPDATE = "update t set n = n + ? where id = ?";

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-window-counters-");
        db = MariaDbServer.start();
        int http = MariaDbServer.freePort();
        probe = ProbeProcess.start("""
                serverport: %d
                interval: 1
                probe:
                  device: lo
                  port: %d
                  workers: 2
                report:
                  backlog: 120
                """.formatted(http, db.port()), http, work);
        HttpResponse<String> ready = probe.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body() + "\n" + probe.log());
    }

    @AfterAll
    static void stop() throws Exception {
        if (probe != null) {
            probe.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyWindowsStatementsAreItsTemplatesAndTheWindowsAddUp() throws Exception {
        try (Connection root = db.connect();
                Statement s = root.createStatement()) {
            s.execute("CREATE DATABASE w");
            s.execute("USE w");
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(32), n INT)");
            s.execute("INSERT INTO t SELECT seq, CONCAT('n', seq), 0 FROM seq_1_to_1000");
        }
        Map<String, LongAdder> ran = new ConcurrentHashMap<>();
        for (String t : List.of(POINT, RANGE, UPDATE)) {
            ran.put(t, new LongAdder());
        }
        long loadStart = System.currentTimeMillis();
        long loadEnd = loadStart + 8_000;
        ExecutorService clients = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            int seed = c;
            done.add(clients.submit(() -> {
                try (Connection conn =
                                DriverManager.getConnection(db.jdbcUrl("w") + "?useServerPrepStmts=true", "root", "");
                        Statement text = conn.createStatement();
                        PreparedStatement update = conn.prepareStatement("UPDATE t SET n = n + ? WHERE id = ?")) {
                    for (int i = seed; System.currentTimeMillis() < loadEnd; i += 2) {
                        int id = 1 + i % 1000;
                        try (ResultSet rs = text.executeQuery("SELECT name FROM t WHERE id = " + id)) {
                            assertTrue(rs.next());
                        }
                        ran.get(POINT).increment();
                        if (i % 3 == 0) {
                            text.executeQuery("SELECT COUNT(*) FROM t WHERE id BETWEEN " + id + " AND " + (id + 9))
                                    .close();
                            ran.get(RANGE).increment();
                        }
                        if (i % 5 == 0) {
                            update.setInt(1, 1);
                            update.setInt(2, id);
                            update.executeUpdate();
                            ran.get(UPDATE).increment();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        clients.shutdown();

        List<Report> reports = new ArrayList<>();
        long[] metricPackets = {-1};
        try (ProbeProcess.Subscriber collector = probe.subscribe("/collector?since=0")) {
            // every window of the load published, then the quiet windows after it: the windows' packets must come
            // to the cumulative counter (no packet lost or counted twice by the attribution)
            Await.until("the windows' packets to add up to mysqlprobe_packets_total", Duration.ofSeconds(30), () -> {
                for (String m; (m = collector.next(Duration.ofMillis(200))) != null; ) {
                    reports.add(ReportJson.read(m));
                }
                if (reports.isEmpty()
                        || reports.get(reports.size() - 1).window().startMs() < loadEnd + 2_000) {
                    return false;
                }
                metricPackets[0] = metric(probe.get("/q/metrics").body(), "mysqlprobe_packets_total");
                return metricPackets[0]
                        == reports.stream()
                                .mapToLong(r -> r.capture().packets())
                                .sum();
            });
        }

        int busy = 0;
        Map<String, Long> reported = new TreeMap<>();
        for (Report r : reports) {
            long templates =
                    r.templates().stream().mapToLong(TemplateSnapshot::count).sum();
            assertEquals(
                    templates, r.capture().statements(), "window " + r.window().startMs() + ": " + r.capture());
            if (r.window().startMs() >= loadStart && r.window().endMs() <= loadEnd && templates > 0) {
                busy++;
            }
            r.templates().forEach(t -> reported.merge(t.template(), t.count(), Long::sum));
        }
        System.out.printf(
                "WindowCountersIT: %d windows (%d under load), statements per window %s, client ran %s,"
                        + " %d packets in windows = mysqlprobe_packets_total %d%n",
                reports.size(),
                busy,
                reports.stream()
                        .map(r -> r.capture().statements())
                        .filter(n -> n > 0)
                        .toList(),
                ran,
                reports.stream().mapToLong(r -> r.capture().packets()).sum(),
                metricPackets[0]);
        assertTrue(busy >= 6, busy + " whole windows under load");
        for (String t : List.of(POINT, RANGE, UPDATE)) {
            assertEquals(ran.get(t).sum(), reported.getOrDefault(t, 0L), t + " in " + reported);
        }
        long dropped = reports.stream()
                .mapToLong(r -> r.capture().kernelDropped()
                        + r.capture().queueDropped()
                        + r.capture().streamGaps())
                .sum();
        assertEquals(0, dropped, "nothing lost on loopback");
        assertTrue(metricPackets[0] > 0);
    }

    private static long metric(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(body);
        long sum = 0;
        boolean found = false;
        while (m.find()) {
            sum += (long) Double.parseDouble(m.group(1));
            found = true;
        }
        assertTrue(found, name + " not in /q/metrics");
        return sum;
    }
}
