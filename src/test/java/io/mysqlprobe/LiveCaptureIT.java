package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import io.mysqlprobe.testsupport.TemplateSums;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The packaged probe capturing live on {@code lo} (needs root or CAP_NET_RAW) while a real JDBC client runs
 * statements against a throw-away mariadbd; the websocket reports are checked exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveCaptureIT {

    static MariaDbServer db;
    static ProbeProcess probe;
    static ProbeProcess.Subscriber collector;
    static Path work;
    static final List<Report> reports = new ArrayList<>();
    static long clientSleepUs;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-it-");
        db = MariaDbServer.start();
        int http = MariaDbServer.freePort();
        probe = ProbeProcess.start("""
                serverport: %d
                interval: 1
                slowthresholdms: 100
                probe:
                  device: lo
                  port: %d
                  workers: 2
                report:
                  backlog: 30
                monitor:
                  enabled: true
                  username: root
                  password: ""
                  ping_interval: 500
                  read_only_interval: 500
                  servers: [{hostgroup: 0, host: 127.0.0.1, port: %d}]
                """.formatted(http, db.port(), db.port()), http, work);
        HttpResponse<String> ready = probe.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body() + "\n" + probe.log());
        collector = probe.subscribe("/collector");
    }

    @AfterAll
    static void stop() throws Exception {
        if (collector != null) {
            collector.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** Sums each template's count over the reports received until {@code done} holds or 20 s pass. */
    static Map<String, TemplateSnapshot> collectUntil(java.util.function.Predicate<Map<String, Long>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            String msg = collector.next(Duration.ofMillis(500));
            if (msg != null) {
                reports.add(ReportJson.read(msg));
            }
            if (done.test(counts())) {
                break;
            }
        }
        Map<String, TemplateSnapshot> last = new HashMap<>();
        for (Report r : reports) {
            r.templates().forEach(t -> last.merge(t.template() + "@" + t.db(), t, TemplateSums::sum));
        }
        return last;
    }

    static Map<String, Long> counts() {
        Map<String, Long> m = new HashMap<>();
        for (Report r : reports) {
            r.templates().forEach(t -> m.merge(t.template() + "@" + t.db(), t.count(), Long::sum));
        }
        return m;
    }

    @Test
    @Order(1)
    void everyStatementOfARealClientIsReportedExactly() throws Exception {
        try (Connection root = db.connect();
                Statement s = root.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE USER 'app'@'%' IDENTIFIED BY 's3cret'");
            s.execute("GRANT ALL ON shop.* TO 'app'@'%'");
            s.execute("CREATE TABLE shop.users (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64), "
                    + "email VARCHAR(128), KEY idx_name(name))");
        }
        try (Connection app = db.connect("shop", "app", "s3cret");
                Statement s = app.createStatement()) {
            for (int i = 0; i < 50; i++) {
                s.executeUpdate("INSERT INTO users (name, email) VALUES ('user" + i + "', 'u" + i + "@example.com')");
            }
            assertEquals(
                    3, s.executeUpdate("INSERT INTO users (name, email) VALUES ('a', 'x'), ('b', 'y'), ('c', 'z')"));
            for (int i = 0; i < 30; i++) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM users WHERE name = 'user" + i + "'")) {
                    assertTrue(rs.next());
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT * FROM users WHERE email LIKE '%example.com'")) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertEquals(50, n);
            }
            for (int i = 0; i < 7; i++) {
                try {
                    s.executeQuery("SELECT * FROM missing_table WHERE id = " + i);
                } catch (SQLException expected) {
                    assertEquals(1146, expected.getErrorCode());
                }
            }
            assertEquals(10, s.executeUpdate("UPDATE users SET email = 'changed' WHERE id <= 10"));
            assertEquals(5, s.executeUpdate("DELETE FROM users WHERE id > 48"));
            long t0 = System.nanoTime();
            s.executeQuery("SELECT SLEEP(0.2)").close();
            clientSleepUs = (System.nanoTime() - t0) / 1000;
        }
        Map<String, TemplateSnapshot> t = collectUntil(c -> c.getOrDefault("select SLEEP(?)@shop", 0L) >= 1);
        String insert = "insert into users (name, email) values(?+)@shop";
        assertEquals(51, t.get(insert).count(), t.keySet().toString());
        assertEquals(53, t.get(insert).rowsAffected());
        assertEquals(Map.of("app", 51L), t.get(insert).users());

        TemplateSnapshot byName = t.get("select * from users where name = ?@shop");
        assertEquals(30, byName.count());
        assertEquals(30, byName.rowsSent());
        assertEquals(0, byName.noIndexUsed());

        TemplateSnapshot scan = t.get("select * from users where email like ?@shop");
        assertEquals(1, scan.count());
        assertEquals(50, scan.rowsSent());
        assertEquals(1, scan.noIndexUsed(), "full scan: SERVER_STATUS_NO_INDEX_USED from the final packet");

        TemplateSnapshot missing = t.get("select * from missing_table where id = ?@shop");
        assertEquals(7, missing.count());
        assertEquals(7, missing.errors());
        assertEquals(Map.of("1146", 7L), missing.errorCodes());

        assertEquals(10, t.get("update users set email = ? where id <= ?@shop").rowsAffected());
        assertEquals(5, t.get("delete from users where id > ?@shop").rowsAffected());

        TemplateSnapshot sleep = t.get("select SLEEP(?)@shop");
        assertEquals(1, sleep.count());
        long lat = sleep.latencyUs().max();
        // the wire sees the request leave and the response arrive, strictly inside what the client measured
        assertTrue(
                lat >= 200_000 && lat <= clientSleepUs && clientSleepUs - lat < 5_000,
                "SLEEP(0.2): probe " + lat + " µs, client " + clientSleepUs + " µs");

        assertNotNull(t.get("create database shop@null"), t.keySet().toString());
        long dropped = 0;
        for (Report r : reports) {
            dropped += r.capture().kernelDropped()
                    + r.capture().queueDropped()
                    + r.capture().streamGaps()
                    + r.capture().decodeErrors();
        }
        assertEquals(0, dropped, "nothing lost on an idle loopback");
    }

    @Test
    @Order(2)
    void windowsAreAlignedConsecutiveAndReplayableWithSince() throws Exception {
        collectUntil(c -> false == reports.size() < 3);
        Report first = reports.get(0);
        for (Report r : reports) {
            assertEquals(0, r.window().startMs() % 1000, "aligned to the 1 s interval");
            assertEquals("slave", r.role());
        }
        for (int i = 1; i < reports.size(); i++) {
            assertEquals(
                    reports.get(i - 1).window().endMs(), reports.get(i).window().startMs(), "no gap in windows");
        }
        try (ProbeProcess.Subscriber replay =
                probe.subscribe("/collector?since=" + (first.window().startMs() - 1))) {
            String msg = replay.next(Duration.ofSeconds(5));
            assertNotNull(msg);
            assertEquals(
                    first.window().startMs(),
                    ReportJson.read(msg).window().startMs(),
                    "the backlog replays from the first window after since");
        }
    }

    @Test
    @Order(3)
    void configUpdateChangesTheWindowAndRejectsBadValues() throws Exception {
        HttpResponse<String> bad = probe.get("/config/update?report_period_ms=abc");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("report_period_ms: \\\"abc\\\" is not allowed"), bad.body());
        assertEquals(400, probe.get("/config/update?report_period_ms=50").statusCode());
        assertEquals(400, probe.get("/config/update?colour=blue").statusCode());
        HttpResponse<String> ok = probe.get("/config/update?report_period_ms=2000");
        assertEquals(200, ok.statusCode(), ok.body());
        long from =
                ReportJson.mapper().readTree(ok.body()).get("applies_from_ms").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        Report two = null;
        while (two == null && System.nanoTime() < deadline) {
            String m = collector.next(Duration.ofMillis(500));
            if (m != null) {
                Report r = ReportJson.read(m);
                if (r.window().startMs() > from) {
                    two = r;
                }
            }
        }
        assertNotNull(two, "a window after the change");
        assertEquals(2000, two.window().endMs() - two.window().startMs());
        assertEquals(0, two.window().startMs() % 2000);
    }

    @Test
    @Order(4)
    void healthAndListNodesAnswer() throws Exception {
        assertEquals(200, probe.get("/q/health/live").statusCode());
        assertEquals(200, probe.get("/q/health/ready").statusCode());
        assertEquals(200, probe.get("/q/health/started").statusCode());
        HttpResponse<String> servers = probe.get("/monitor/servers");
        assertEquals(200, servers.statusCode());
        assertTrue(servers.body().contains("\"status\":\"ONLINE\""), servers.body());
        HttpResponse<String> pings = probe.get("/monitor/ping_log?limit=5");
        assertEquals(200, pings.statusCode());
        assertTrue(pings.body().contains("\"ping_success_time_us\""), pings.body());
        Report last = reports.get(reports.size() - 1);
        assertNotNull(last.monitor(), "the report carries the monitor's server states");
        assertTrue(ReportJson.write(last).contains("\"status\":\"ONLINE\""), ReportJson.write(last));
        HttpResponse<String> nodes = probe.get("/cluster/listnodes");
        assertEquals(200, nodes.statusCode());
        assertTrue(nodes.body().contains("\"mode\":\"standalone\""), nodes.body());
        assertTrue(nodes.body().contains("\"devices\":[\"lo\"]"), nodes.body());
    }

    /** mysqlprobe_statements_total from /q/metrics. */
    static long statementsCounted() throws Exception {
        for (String line : probe.get("/q/metrics").body().split("\n")) {
            if (line.startsWith("mysqlprobe_statements_total")) {
                return (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no mysqlprobe_statements_total in /q/metrics");
    }

    @Test
    @Order(5)
    void sigtermPublishesThePartialWindowBeforeExit() throws Exception {
        collectUntil(c -> true);
        // a command still waiting for its response when the probe stops: counted as an incomplete statement
        long[] sleepId = {0};
        Thread sleeper = new Thread(() -> {
            try (Connection c = db.connect("shop", "app", "s3cret");
                    Statement s = c.createStatement()) {
                s.executeQuery("SELECT SLEEP(20) /* in flight at shutdown */").close();
            } catch (SQLException e) {
                // KILL QUERY ends it once the probe has stopped
            }
        });
        sleeper.start();
        try (Connection c = db.connect("shop", "app", "s3cret");
                Statement s = c.createStatement()) {
            Await.until("the server to run the SLEEP", Duration.ofSeconds(5), () -> {
                try (ResultSet rs = s.executeQuery(
                        "SELECT ID FROM information_schema.PROCESSLIST" + " WHERE INFO LIKE 'SELECT SLEEP(20)%'")) {
                    sleepId[0] = rs.next() ? rs.getLong(1) : 0;
                    return sleepId[0] != 0;
                }
            });
            // captured after the SLEEP's request: once its statement is reported, the request was read too
            s.executeQuery("SELECT 'after the sleep' AS marker").close();
        }
        collectUntil(c -> c.getOrDefault("select ? as marker@shop", 0L) >= 1);
        long before = statementsCounted();
        try (Connection app = db.connect("shop", "app", "s3cret");
                Statement s = app.createStatement()) {
            for (int i = 0; i < 3; i++) {
                s.executeQuery("SELECT id FROM users WHERE id = " + i + " /* last words */")
                        .close();
            }
        }
        // the probe has decoded them (its counter says so) while their 2 s window is still open
        Await.until(
                "the probe to count the last statements",
                Duration.ofSeconds(5),
                () -> statementsCounted() >= before + 3);
        int exit = probe.stop();
        assertTrue(exit == 0 || exit == 143, "SIGTERM ends the probe cleanly, exit " + exit);
        long seen = 0;
        long sleeps = 0;
        long incomplete = 0;
        String msg;
        while ((msg = collector.next(Duration.ofMillis(300))) != null) {
            Report r = ReportJson.read(msg);
            incomplete += r.capture().decodeErrorsByKind().getOrDefault("incomplete_statements", 0L);
            for (TemplateSnapshot t : r.templates()) {
                if (t.template().equals("select id from users where id = ?")) {
                    seen += t.count();
                }
                if (t.template().equals("select SLEEP(?)") && t.latencyUs().max() == 0) {
                    sleeps += t.count();
                }
            }
        }
        try (Connection c = db.connect("shop", "app", "s3cret");
                Statement s = c.createStatement()) {
            s.execute("KILL QUERY " + sleepId[0]);
        }
        sleeper.join(10_000);
        assertEquals(3, seen, "the partial window reached the subscriber on shutdown");
        assertEquals(1, sleeps, "the SLEEP in flight is counted under its template, without a latency");
        assertTrue(incomplete >= 1, "incomplete_statements " + incomplete);
    }
}
