package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import io.mysqlprobe.testsupport.Tcpdump;
import io.mysqlprobe.testsupport.TemplateSums;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packaged probe with its default reader, the kernel's ring read by {@link RingReader}, on {@code lo} and on
 * {@code any} (root or CAP_NET_RAW) under a real mariadbd load of 100-row results of about 12 KiB each (frames of up
 * to 64 KiB on {@code lo}) and updates from two connections: its counts equal the server's own ({@code Com_select},
 * {@code Com_update}), every row is reported, nothing is lost or cut, it was the ring reader that ran, not libpcap,
 * and it took each packet once: no more than {@code tcpdump -i lo} (libpcap, which drops lo's sent copy) captured
 * with the same filter from before the probe started until its reports were read, and at least what tcpdump
 * captured during the load (on {@code any} each packet on {@code lo} passes the socket twice, as sent and as
 * received; a frame mis-framed would not decode).
 */
class RingReaderIT {

    static final String RANGE = "select id, name, n from t where id between ? and ?";
    static final String UPDATE = "update t set n = n + ? where id = ?";

    @ParameterizedTest(name = "device {0}")
    @ValueSource(strings = {"lo", "any"})
    void theRingReaderCountsWhatTheServerCounts(String device) throws Exception {
        Path work = Files.createTempDirectory("probe-ring-");
        try (MariaDbServer db = MariaDbServer.start()) {
            try (Connection root = db.connect();
                    Statement s = root.createStatement()) {
                s.execute("CREATE DATABASE r");
                s.execute("CREATE TABLE r.t (id INT PRIMARY KEY, name VARCHAR(200), n INT)");
                s.execute("USE r");
                s.execute("INSERT INTO r.t SELECT seq, CONCAT(REPEAT('x', 100), seq), 0 FROM seq_1_to_1000");
            }
            int http = MariaDbServer.freePort();
            Path pcap = work.resolve("lo.pcap");
            try (Tcpdump tcpdump = Tcpdump.start(pcap, LiveCapture.filter(db.port()), 160);
                    ProbeProcess probe = ProbeProcess.start("""
                    serverport: %d
                    interval: 1
                    probe:
                      device: %s
                      port: %d
                      workers: 2
                    report:
                      backlog: 120
                    """.formatted(http, device, db.port()), http, work)) {
                HttpResponse<String> ready = probe.get("/q/health/ready");
                assertEquals(200, ready.statusCode(), ready.body() + "\n" + probe.log());
                String log = probe.log();
                assertTrue(log.contains("capturing on " + device + " tcp port " + db.port() + " (ring reader"), log);
                assertFalse(log.contains("reading with libpcap"), log);

                Map<String, LongAdder> ran = Map.of(RANGE, new LongAdder(), UPDATE, new LongAdder());
                long[] before;
                long[] after;
                long loadStartMicros;
                long loadEndMicros;
                try (Connection a = DriverManager.getConnection(db.jdbcUrl("r"), "root", "");
                        Connection b = DriverManager.getConnection(db.jdbcUrl("r"), "root", "")) {
                    before = serverCounts(db); // after the connections' set-up statements
                    loadStartMicros = System.currentTimeMillis() * 1000;
                    load(List.of(a, b), ran);
                    loadEndMicros = System.currentTimeMillis() * 1000;
                    after = serverCounts(db);
                }

                List<Report> reports = new ArrayList<>();
                Map<String, TemplateSnapshot> seen = new HashMap<>();
                try (ProbeProcess.Subscriber collector = probe.subscribe("/collector?since=0")) {
                    Await.until("the probe reports what the server ran", Duration.ofSeconds(30), () -> {
                        for (String m; (m = collector.next(Duration.ofMillis(200))) != null; ) {
                            Report r = ReportJson.read(m);
                            reports.add(r);
                            r.templates().forEach(t -> seen.merge(t.template(), t, TemplateSums::sum));
                        }
                        return count(seen, RANGE) >= ran.get(RANGE).sum()
                                && count(seen, UPDATE) >= ran.get(UPDATE).sum();
                    });
                }
                assertEquals(0, tcpdump.stop(), "tcpdump's kernel drops: its count is the reference");
                long selects = after[0] - before[0];
                long updates = after[1] - before[1];
                System.out.printf(
                        "RingReaderIT: server Com_select %d, Com_update %d; probe %s%n",
                        selects,
                        updates,
                        seen.values().stream()
                                .map(t -> t.template() + " ×" + t.count() + " rows " + t.rowsSent())
                                .toList());
                assertEquals(ran.get(RANGE).sum(), selects, "the client's selects, as the server counts them");
                assertEquals(selects, count(seen, RANGE), "selects: the probe counts what the server counts");
                assertEquals(updates, count(seen, UPDATE), "updates: the probe counts what the server counts");
                assertEquals(100 * selects, seen.get(RANGE).rowsSent(), "rows sent: 100 a select");
                long lost = reports.stream()
                        .mapToLong(r -> r.capture().kernelDropped()
                                + r.capture().queueDropped()
                                + r.capture().streamGaps()
                                + r.capture().decodeErrors()
                                + r.capture().otherSkipped())
                        .sum();
                assertEquals(0, lost, "nothing dropped, cut, skipped or undecodable");
                long probePackets =
                        reports.stream().mapToLong(r -> r.capture().packets()).sum();
                long[] reference = packets(pcap, loadStartMicros, loadEndMicros);
                System.out.printf(
                        "RingReaderIT %s: probe %d packets; tcpdump -i lo %d in all, %d during the load%n",
                        device, probePackets, reference[0], reference[1]);
                assertTrue(probePackets <= reference[0], "each packet once: " + probePackets + " > " + reference[0]);
                assertTrue(probePackets >= reference[1], "every packet: " + probePackets + " < " + reference[1]);
                String metrics = probe.get("/q/metrics").body();
                assertEquals(0, metric(metrics, "mysqlprobe_capture_batch_fallbacks_total"), "no fallback");
                assertFalse(probe.log().contains("ring block"), "no ring block found cut");
            }
        }
    }

    /** The packets in {@code pcap}: all of them, and those from {@code fromMicros} to {@code toMicros}. */
    private static long[] packets(Path pcap, long fromMicros, long toMicros) throws Exception {
        long[] n = new long[2];
        OfflineCapture.read(
                pcap,
                f -> {
                    n[0]++;
                    if (f.tsMicros() >= fromMicros && f.tsMicros() <= toMicros) {
                        n[1]++;
                    }
                },
                new CaptureCounters());
        return n;
    }

    /** Each connection for 4 s: 100-row range selects and, every third, an update. */
    private static void load(List<Connection> connections, Map<String, LongAdder> ran) throws Exception {
        long end = System.currentTimeMillis() + 4_000;
        ExecutorService clients = Executors.newFixedThreadPool(connections.size());
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < connections.size(); c++) {
            int seed = c;
            Connection conn = connections.get(c);
            done.add(clients.submit(() -> {
                try (Statement s = conn.createStatement()) {
                    for (int i = seed; System.currentTimeMillis() < end; i += connections.size()) {
                        int from = 1 + (i * 37) % 900;
                        int rows = 0;
                        try (ResultSet rs = s.executeQuery(
                                "SELECT id, name, n FROM t WHERE id BETWEEN " + from + " AND " + (from + 99))) {
                            while (rs.next()) {
                                rows++;
                            }
                        }
                        assertEquals(100, rows);
                        ran.get(RANGE).increment();
                        if (i % 3 == 0) {
                            s.executeUpdate("UPDATE t SET n = n + 1 WHERE id = " + from);
                            ran.get(UPDATE).increment();
                        }
                    }
                }
                return null;
            }));
        }
        try {
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
    }

    /** The server's Com_select and Com_update (SHOW STATUS is neither a select nor an update). */
    private static long[] serverCounts(MariaDbServer db) throws Exception {
        Map<String, Long> v = new HashMap<>();
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_select', 'Com_update')")) {
            while (rs.next()) {
                v.put(rs.getString(1), rs.getLong(2));
            }
        }
        return new long[] {v.get("Com_select"), v.get("Com_update")};
    }

    private static long count(Map<String, TemplateSnapshot> seen, String template) {
        TemplateSnapshot t = seen.get(template);
        return t == null ? 0 : t.count();
    }

    private static long metric(String body, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+]+)$")
                .matcher(body);
        assertTrue(m.find(), name + " not in /q/metrics");
        return (long) Double.parseDouble(m.group(1));
    }
}
