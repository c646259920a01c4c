package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard end to end: the packaged probe captures a known JDBC workload live on {@code lo}; headless
 * Chromium (Debian's, driven by playwright-core from {@code src/test/browser}) opens {@code /}, is asked for the
 * probe's token (a wrong one is refused, the right one brings the data) and checks the templates, counts, sorting, the detail view, the health, cluster and monitor panels and the websocket
 * reconnect; the page's screenshot is saved as {@code target/dashboard.png}. Also runs the JavaScript unit
 * tests of the page's logic with node's test runner. Needs node and chromium ({@code .ci/install-deps.sh}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {

    static final Path BROWSER = Path.of("src/test/browser");
    static final String CHROMIUM = System.getProperty("chromium", "/usr/bin/chromium");

    static final String TOKEN = "dash-board-token-42";

    static MariaDbServer db;
    static ProbeProcess probe;
    static Path work;
    static int http;
    static int deadPort;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-dashboard-it-");
        db = MariaDbServer.start();
        http = MariaDbServer.freePort();
        deadPort = MariaDbServer.freePort(); // a backend nobody listens on: the monitor logs its errors
        probe = ProbeProcess.start("""
                serverport: %d
                interval: 1
                slowthresholdms: 0
                probe:
                  device: lo
                  port: %d
                  workers: 2
                report:
                  backlog: 120
                monitor:
                  enabled: true
                  username: root
                  password: ""
                  ping_interval: 1000
                  read_only_interval: 1000
                  servers: [{hostgroup: 0, host: 127.0.0.1, port: %d}, {hostgroup: 1, host: 127.0.0.1, port: %d}]
                auth:
                  token: %s
                """.formatted(http, db.port(), db.port(), deadPort, TOKEN), http, work);
        HttpResponse<String> ready = probe.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body() + "\n" + probe.log());
        workload();
    }

    /** 20 point selects, 5 errors (1146), 8 updates, a scan and 3 short sleeps, as user app on db shop. */
    static void workload() throws SQLException {
        try (Connection root = db.connect();
                Statement s = root.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE USER 'app'@'%' IDENTIFIED BY 's3cret'");
            s.execute("GRANT ALL ON shop.* TO 'app'@'%'");
            s.execute("CREATE TABLE shop.items (id INT PRIMARY KEY, name VARCHAR(32), price INT)");
            StringBuilder values = new StringBuilder();
            for (int i = 1; i <= 100; i++) {
                values.append(i == 1 ? "" : ",")
                        .append("(")
                        .append(i)
                        .append(",'item")
                        .append(i)
                        .append("',")
                        .append(i * 7 % 100)
                        .append(")");
            }
            s.execute("INSERT INTO shop.items VALUES " + values);
        }
        try (Connection app = db.connect("shop", "app", "s3cret");
                Statement s = app.createStatement()) {
            for (int i = 1; i <= 20; i++) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM items WHERE id = " + i)) {
                    assertTrue(rs.next());
                }
                pause(); // spread over a few 1 s windows, so the charts have a shape
            }
            for (int i = 0; i < 5; i++) {
                try {
                    s.executeQuery("SELECT * FROM no_such_table WHERE id = " + i)
                            .close();
                    fail("no_such_table exists");
                } catch (SQLException expected) {
                    assertEquals(1146, expected.getErrorCode());
                }
                pause();
            }
            for (int i = 1; i <= 8; i++) {
                assertEquals(1, s.executeUpdate("UPDATE items SET price = price + 1 WHERE id = " + i));
            }
            s.executeQuery("SELECT name, price FROM items WHERE price > 50 ORDER BY price DESC")
                    .close();
            for (int i = 0; i < 3; i++) {
                s.executeQuery("SELECT SLEEP(0.02)").close();
            }
        }
    }

    static void pause() {
        try {
            Thread.sleep(120); // pacing: the workload spreads over several windows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
    @Order(1)
    void javascriptUnitTestsPass() throws Exception {
        Result r =
                run(List.of(node(), "--test", BROWSER.resolve("model.test.js").toString()), Map.of(), 120);
        assertEquals(0, r.exit, "node --test model.test.js:\n" + r.output);
        assertTrue(r.output.contains("# fail 0"), r.output);
    }

    @Test
    @Order(2)
    void theDashboardShowsTheCapturedWorkload() throws Exception {
        HttpResponse<String> index = probe.get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.body().contains("<title>mysql-probe</title>"), index.body());
        assertTrue(
                Files.isExecutable(Path.of(CHROMIUM)),
                CHROMIUM + " missing: install Debian's chromium (sh .ci/install-deps.sh test)");
        assertTrue(
                Files.isDirectory(BROWSER.resolve("node_modules/playwright-core")),
                "playwright-core missing: run npm ci in " + BROWSER + " (sh .ci/install-deps.sh test does)");
        Path shot = Path.of("target/dashboard.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        String expect = """
                [{"template": "select * from items where id = ?", "count": 20, "errors": 0, "tables": ["items"],
                  "user": "app"},
                 {"template": "select * from no_such_table where id = ?", "count": 5, "errors": 5, "errno": 1146},
                 {"template": "update items set price = price + ? where id = ?", "count": 8, "errors": 0},
                 {"template": "select SLEEP(?)", "count": 3, "errors": 0}]
                """;
        Result r = run(
                List.of(node(), BROWSER.resolve("dashboard.e2e.js").toString()),
                Map.of(
                        "PROBE_URL",
                        "http://127.0.0.1:" + http + "/",
                        "EXPECT",
                        expect,
                        "SCREENSHOT",
                        shot.toString(),
                        "CHROMIUM",
                        CHROMIUM,
                        "MONITOR",
                        "1",
                        "TOKEN",
                        TOKEN,
                        "DEAD_BACKEND",
                        "127.0.0.1:" + deadPort),
                180);
        System.out.println(r.output);
        assertEquals(0, r.exit, "dashboard.e2e.js:\n" + r.output + "\nprobe log:\n" + probe.log());
        assertTrue(Files.size(shot) > 10_000, "screenshot saved: " + shot);
    }

    @Test
    @Order(3)
    void anIdleNodeWithoutMonitorShowsEmptyPanels() throws Exception {
        int port = MariaDbServer.freePort();
        int idleHttp = MariaDbServer.freePort();
        try (ProbeProcess idle = ProbeProcess.start("""
                serverport: %d
                interval: 1
                probe:
                  device: lo
                  port: %d
                """.formatted(idleHttp, port), idleHttp, work)) {
            Path shot = Path.of("target/dashboard-idle.png").toAbsolutePath();
            Result r = run(
                    List.of(node(), BROWSER.resolve("dashboard.e2e.js").toString()),
                    Map.of(
                            "PROBE_URL",
                            "http://127.0.0.1:" + idleHttp + "/",
                            "EXPECT",
                            "[]",
                            "SCREENSHOT",
                            shot.toString(),
                            "CHROMIUM",
                            CHROMIUM,
                            "MONITOR",
                            "0"),
                    120);
            System.out.println(r.output);
            assertEquals(0, r.exit, "dashboard.e2e.js (idle node):\n" + r.output + "\nprobe log:\n" + idle.log());
        }
    }

    record Result(int exit, String output) {}

    static String node() {
        for (String p : List.of("/usr/bin/node", "/usr/local/bin/node", "/usr/bin/nodejs")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        fail("node missing: install nodejs (sh .ci/install-deps.sh test)");
        return null;
    }

    /** Runs a command in the project directory; kills it and its children after the timeout. */
    static Result run(List<String> cmd, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        Path out = work.resolve("cmd-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
