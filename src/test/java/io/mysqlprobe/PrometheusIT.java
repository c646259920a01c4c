package io.mysqlprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.testsupport.Await;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Debian's {@code prometheus} (started here on a free port, 1 s scrape interval, its own TSDB directory) scrapes
 * the packaged probe capturing a real mariadbd on {@code lo}: the per-template series agree with the report's
 * counts through Prometheus' query API, and every query of the Grafana dashboard returns data.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path DASHBOARD = Path.of("deploy/grafana/mysql-probe.json");
    static final String TEMPLATE = "select * from t where id = ?";
    /** The Accept header of Prometheus 2.42's scrapes. */
    static final String SCRAPE_ACCEPT = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;"
            + "version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    static MariaDbServer db;
    static ProbeProcess probe;
    static ProbeProcess master;
    static ProbeProcess.Subscriber collector;
    static Process prometheus;
    static int prometheusPort;
    static Path work;
    static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-prom-it-");
        db = MariaDbServer.start();
        try (Connection c = db.connect();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE shop");
            s.execute("CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO shop.t SELECT seq, CONCAT('v', seq) FROM shop.seq_1_to_200");
        }
        int http = MariaDbServer.freePort();
        probe = ProbeProcess.start("""
                serverport: %d
                interval: 1
                probe:
                  device: lo
                  port: %d
                report:
                  backlog: 60
                metrics:
                  max_templates: 50
                """.formatted(http, db.port()), http, work);
        HttpResponse<String> ready = probe.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body() + "\n" + probe.log());
        collector = probe.subscribe("/collector");
        int masterHttp = MariaDbServer.freePort();
        master = ProbeProcess.start("""
                slave: false
                serverport: %d
                interval: 1
                cluster:
                  slaves: [127.0.0.1:%d]
                """.formatted(masterHttp, http), masterHttp, work);
        prometheusPort = MariaDbServer.freePort();
        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: mysql-probe
                    metrics_path: /q/metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(http));
        prometheus = new ProcessBuilder(
                        "prometheus",
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + Files.createDirectories(work.resolve("tsdb")),
                        "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("prometheus.log").toFile())
                .start();
        Await.until("prometheus to be ready", Duration.ofSeconds(30), () -> {
            if (!prometheus.isAlive()) {
                throw new IOException("prometheus exited: " + Files.readString(work.resolve("prometheus.log")));
            }
            try {
                return get(URI.create("http://127.0.0.1:" + prometheusPort + "/-/ready"))
                                .statusCode()
                        == 200;
            } catch (IOException e) {
                return false;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy(); // SIGTERM to its pid
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (collector != null) {
            collector.close();
        }
        if (master != null) {
            master.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (db != null) {
            db.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HTTP.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** An instant query through Prometheus' HTTP API: the result vector (empty when no series matched). */
    static JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> r = get(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8)));
        JsonNode body = JSON.readTree(r.body());
        assertEquals("success", body.path("status").asText(), promql + " → " + r.body());
        return body.path("data").path("result");
    }

    static double scalar(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        return result.isEmpty()
                ? Double.NaN
                : result.get(0).path("value").get(1).asDouble();
    }

    @Test
    @Order(1)
    void prometheusSeesTheReportsCountsAndTheDashboardsQueriesReturnData() throws Exception {
        try (Connection c = db.connect("shop", "root", "");
                Statement s = c.createStatement()) {
            for (int i = 1; i <= 200; i++) {
                try (ResultSet rs = s.executeQuery("SELECT * FROM t WHERE id = " + i)) {
                    assertTrue(rs.next());
                }
            }
            // the same template against a missing table: 3 failures with errno 1146 (ER_NO_SUCH_TABLE); the
            // table is moved over the server's unix socket, which the probe (capturing TCP on lo) does not see
            overSocket("RENAME TABLE shop.t TO shop.t_away");
            for (int i = 1; i <= 3; i++) {
                try {
                    s.executeQuery("SELECT * FROM t WHERE id = " + i).close();
                } catch (SQLException expected) {
                    assertEquals(1146, expected.getErrorCode());
                }
            }
            overSocket("RENAME TABLE shop.t_away TO shop.t");
        }
        // the report's view, summed over windows from the /collector websocket
        long[] fromReports = new long[2]; // successes, errno 1146
        Await.until("the reports to count 203 statements of the template", Duration.ofSeconds(20), () -> {
            String msg = collector.next(Duration.ofMillis(200));
            if (msg != null) {
                for (TemplateSnapshot t : ReportJson.read(msg).templates()) {
                    if (TEMPLATE.equals(t.template()) && "shop".equals(t.db())) {
                        fromReports[0] += t.count() - t.errors();
                        fromReports[1] += t.errorCodes().getOrDefault("1146", 0L);
                    }
                }
            }
            return fromReports[0] + fromReports[1] >= 203;
        });
        assertEquals(200, fromReports[0]);
        assertEquals(3, fromReports[1]);

        String ok = "sum(db_client_operation_duration_seconds_count{db_namespace=\"shop\",db_collection_name=\"t\","
                + "db_response_status_code=\"\"})";
        String failed = ok.replace("db_response_status_code=\"\"", "db_response_status_code=\"1146\"");
        try {
            Await.until(
                    "prometheus to scrape 200 and 3",
                    Duration.ofSeconds(20),
                    () -> scalar(ok) == fromReports[0] && scalar(failed) == fromReports[1]);
        } catch (AssertionError e) {
            throw new AssertionError(
                    e.getMessage() + ": " + scalar(ok) + ", " + scalar(failed) + "; the probe shows:\n"
                            + probe.get("/q/metrics")
                                    .body()
                                    .lines()
                                    .filter(l -> l.startsWith("db_client_operation_duration" + "_seconds_count"))
                                    .toList()
                            + "\ntargets: "
                            + get(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets"))
                                    .body(),
                    e);
        }
        assertEquals(200.0, scalar(ok));
        assertEquals(3.0, scalar(failed));
        assertEquals(3.0, scalar(failed.replace("db_response_status_code", "error_type")));
        assertEquals(
                203.0,
                scalar(
                        "sum(db_client_operation_duration_seconds_bucket{db_namespace=\"shop\","
                                + "db_collection_name=\"t\",db_operation_name=\"SELECT\",db_query_summary=\"SELECT t\",le=\"+Inf\"})"));
        assertEquals(
                200.0,
                scalar("sum(mysqlprobe_template_rows_sent_total{db_namespace=\"shop\"," + "db_collection_name=\"t\"})"),
                "one row per select");
        // label values that must never appear: client addresses, users, SQL
        for (JsonNode series : query("db_client_operation_duration_seconds_count")) {
            series.path("metric")
                    .fieldNames()
                    .forEachRemaining(label -> assertTrue(
                            List.of(
                                            "__name__",
                                            "instance",
                                            "job",
                                            "db_system_name",
                                            "db_namespace",
                                            "db_collection_name",
                                            "db_operation_name",
                                            "db_query_summary",
                                            "db_response_status_code",
                                            "error_type",
                                            "server_address",
                                            "server_port",
                                            "template_id")
                                    .contains(label),
                            "unexpected label " + label));
        }

        // a master exports the merged windows the same way (not scraped here: sum() would count both)
        String server = "server_port=\"" + db.port() + "\"";
        Await.until(
                "the master's merged series to count 200 and 3",
                Duration.ofSeconds(20),
                () -> countOn(master, server, null) == 200 && countOn(master, server, "1146") == 3);

        Map<String, String> queries = dashboardQueries();
        assertTrue(queries.size() >= 8, queries.toString());
        Map<String, String> empty = new LinkedHashMap<>();
        Await.until("every dashboard query to return data", Duration.ofSeconds(20), () -> {
            empty.clear();
            for (Map.Entry<String, String> q : queries.entrySet()) {
                if (query(q.getValue()).isEmpty()) {
                    empty.put(q.getKey(), q.getValue());
                }
            }
            return empty.isEmpty();
        });
        assertTrue(empty.isEmpty(), "no data: " + empty);
        double p99 = scalar("max(histogram_quantile(0.99, sum by (le, template_id) (rate("
                + "db_client_operation_duration_seconds_bucket{db_namespace=\"shop\"}[5m]))))");
        assertTrue(p99 > 0 && p99 <= 10, "p99 from the buckets: " + p99);
    }

    @Test
    @Order(2)
    void theExpositionPassesPromtool() throws Exception {
        // asked as Prometheus asks: then Quarkus' writer names counter families X_total, as promtool wants
        String text = probe.send(HttpRequest.newBuilder(probe.uri("/q/metrics"))
                        .header("Accept", SCRAPE_ACCEPT)
                        .timeout(Duration.ofSeconds(10))
                        .GET()
                        .build())
                .body();
        assertTrue(text.contains("# TYPE db_client_operation_duration_seconds histogram"), text);
        // only our families: Micrometer's own HELP texts escape quotes (\"recent cpu usage\"), which promtool's
        // strict parser rejects (Prometheus' scraper takes them)
        StringBuilder ours = new StringBuilder();
        for (String line : text.split("\n")) {
            String[] words = line.split(" ");
            String name = !line.startsWith("#") ? line : words.length > 2 ? words[2] : "";
            if (name.startsWith("db_client_")
                    || name.startsWith("mysqlprobe_template_")
                    || name.startsWith("mysqlprobe_metrics_")) {
                ours.append(line).append('\n');
            }
        }
        assertTrue(ours.indexOf("db_client_operation_duration_seconds_bucket{") >= 0, ours.toString());
        Process p = new ProcessBuilder("promtool", "check", "metrics")
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().write(ours.toString().getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "promtool: " + out + "\n" + ours);
        assertEquals("", out.strip(), "promtool lint: " + out);
        // and Prometheus ingested it without error
        JsonNode target = JSON.readTree(get(URI.create("http://127.0.0.1:" + prometheusPort + "/api/v1/targets"))
                        .body())
                .path("data")
                .path("activeTargets")
                .get(0);
        assertEquals("up", target.path("health").asText(), target.toString());
        assertEquals("", target.path("lastError").asText(), target.toString());
    }

    /** The template's {@code _count} on a node's /q/metrics, for one status (null: the successful ones). */
    static double countOn(ProbeProcess node, String serverLabel, String errno) throws Exception {
        double n = 0;
        for (String line : node.get("/q/metrics").body().split("\n")) {
            if (line.startsWith("db_client_operation_duration_seconds_count{")
                    && line.contains(serverLabel)
                    && line.contains("db_namespace=\"shop\"")
                    && line.contains("db_collection_name=\"t\"")
                    && (errno == null
                            ? !line.contains("db_response_status_code")
                            : line.contains("db_response_status_code=\"" + errno + "\""))) {
                n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return n;
    }

    static void overSocket(String sql) throws Exception {
        Process p = new ProcessBuilder(
                        "mariadb",
                        "--no-defaults",
                        "--socket=" + db.datadir().resolve("sock"),
                        "--user=root",
                        "-e",
                        sql)
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, sql + ": " + out);
    }

    /** Each target of the Grafana dashboard, with Grafana's variables replaced as Grafana would. */
    static Map<String, String> dashboardQueries() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr")
                        .asText()
                        .replace("$__rate_interval", "1m")
                        .replace("$server", ".*");
                assertTrue(!expr.contains("$"), "unreplaced variable in " + expr);
                out.put(
                        panel.path("title").asText() + " "
                                + target.path("refId").asText(),
                        expr);
            }
        }
        return out;
    }
}
