package io.mysqlprobe.cluster;

import static io.mysqlprobe.cluster.ClusterFixture.await;
import static io.mysqlprobe.cluster.ClusterFixture.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.config.TlsFiles;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.Pki;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Transport security end to end with the packaged application and certificates made by {@code openssl}: a
 * slave serving HTTPS/WSS with the token on, a second slave whose certificate another CA signed, and a static
 * master with {@code tls.ca_file}. The slave's certificate is mounted as Kubernetes mounts a Secret (files
 * behind a {@code ..data} symlink swapped in one rename), so its rotation is the one cert-manager causes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsIT {

    static final String TOKEN = "tls-it-token-7f3a";

    static Path work;
    static Path secret;
    static Pki.Pair ca;
    static Pki.Pair slaveCert;
    static Pki.Pair rotated;
    static SSLContext trust;
    static MariaDbServer db;
    static ProbeProcess slave;
    static ProbeProcess rogue;
    static ProbeProcess master;

    static String tlsYaml(Path cert, Path key, Path caFile) {
        return """
                auth:
                  token: %s
                tls:
                  cert_file: %s
                  key_file: %s
                  ca_file: %s
                  reload_seconds: 1
                """.formatted(TOKEN, cert, key, caFile);
    }

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-tls-it-");
        Pki pki = new Pki(work);
        ca = pki.ca("probe-ca");
        Pki.Pair otherCa = pki.ca("other-ca");
        slaveCert = pki.server(ca, "slave", false);
        rotated = pki.server(ca, "slave-rotated", true);
        Pki.Pair rogueCert = pki.server(otherCa, "rogue", false);
        // as in deploy/k8s: the masters' certificate names their Service, and they verify slaves by the CA alone
        Pki.Pair masterCert = pki.server(ca, "master", false, "DNS:mysql-probe-master");
        secret = Files.createDirectories(work.resolve("secret"));
        mountSecret(slaveCert, "v1");
        Files.createSymbolicLink(secret.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(secret.resolve("tls.key"), Path.of("..data/tls.key"));
        trust = TlsFiles.clientContext(ca.cert().toString());
        ProbeProcess.Client client = new ProbeProcess.Client(trust, TOKEN);

        db = MariaDbServer.start();
        int slavePort = MariaDbServer.freePort();
        int roguePort = MariaDbServer.freePort();
        int masterPort = MariaDbServer.freePort();
        slave = ProbeProcess.start(
                """
                serverport: %d
                interval: 1
                probe: {device: lo, port: %d}
                report: {backlog: 60}
                """.formatted(slavePort, db.port())
                        + tlsYaml(secret.resolve("tls.crt"), secret.resolve("tls.key"), ca.cert()),
                slavePort,
                work,
                client);
        rogue = ProbeProcess.start(
                """
                serverport: %d
                interval: 1
                probe: {device: lo, port: %d}
                """.formatted(roguePort, MariaDbServer.freePort())
                        + tlsYaml(rogueCert.cert(), rogueCert.key(), otherCa.cert()),
                roguePort,
                work,
                new ProbeProcess.Client(TlsFiles.clientContext(otherCa.cert().toString()), TOKEN));
        master = ProbeProcess.start(
                """
                slave: false
                serverport: %d
                interval: 1
                cluster:
                  slaves: [127.0.0.1:%d, 127.0.0.1:%d]
                  grace_ms: 2000
                  state_file: %s
                report: {backlog: 60}
                """.formatted(masterPort, slavePort, roguePort, work.resolve("master-state.yaml"))
                        + tlsYaml(masterCert.cert(), masterCert.key(), ca.cert()) + "  verify_hostname: false\n",
                masterPort,
                work,
                new ProbeProcess.Client(TlsFiles.clientContext(ca.cert().toString(), false), TOKEN));
    }

    /** Kubernetes' layout of a mounted Secret: {@code ..data} → a timestamped directory, swapped atomically. */
    static void mountSecret(Pki.Pair pair, String version) throws IOException {
        Path dir = Files.createDirectories(secret.resolve("..2026_" + version));
        Files.copy(pair.cert(), dir.resolve("tls.crt"));
        Files.copy(pair.key(), dir.resolve("tls.key"));
        Path link = secret.resolve("..data_tmp");
        Files.createSymbolicLink(link, dir.getFileName());
        Files.move(link, secret.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {master, rogue, slave, db}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    @Order(1)
    void httpsHealthAnswersAndPlainHttpIsRefused() throws Exception {
        HttpResponse<String> health = slave.get("/q/health/ready");
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("https", health.uri().getScheme());
        HttpClient plain =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        URI http = URI.create("http://127.0.0.1:" + slave.uri("").getPort() + "/q/health/ready");
        assertThrows(
                IOException.class,
                () -> plain.send(
                        HttpRequest.newBuilder(http)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                "plain HTTP on the TLS port gets no answer");
        Map<?, ?> security =
                (Map<?, ?>) ((Map<?, ?>) ClusterFixture.listNodes(slave).get("self")).get("security");
        assertEquals(
                Map.of("tls", true, "token", true, "bind", "0.0.0.0"),
                Map.of("tls", security.get("tls"), "token", security.get("token"), "bind", security.get("bind")));
        assertNull(security.get("warning"), "TLS and token: no warning");
        assertTrue(!slave.log().contains("SECURITY:"), "no start-up warning with TLS and the token");
        HttpClient verifying = HttpClient.newBuilder().sslContext(trust).build();
        IOException misnamed = assertThrows(
                IOException.class,
                () -> verifying.send(
                        HttpRequest.newBuilder(master.uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()));
        assertTrue(
                String.valueOf(misnamed.getMessage()).contains("127.0.0.1"),
                "the master's certificate names mysql-probe-master, not 127.0.0.1: " + misnamed);
        assertEquals(200, master.get("/q/health/ready").statusCode(), "verify_hostname: false trusts it by the CA");
    }

    @Test
    @Order(2)
    void aCollectorSubscriberWithoutTheTokenGetsNoReportAndOneWithItDoes() throws Exception {
        ExecutionException refused = assertThrows(
                ExecutionException.class,
                () -> slave.subscribe("/collector", null).close());
        WebSocketHandshakeException h = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, h.getResponse().statusCode());
        ExecutionException wrong = assertThrows(
                ExecutionException.class,
                () -> slave.subscribe("/collector", TOKEN + "x").close());
        assertEquals(
                401,
                ((WebSocketHandshakeException) wrong.getCause()).getResponse().statusCode());
        try (ProbeProcess.Subscriber s = slave.subscribe("/collector", TOKEN)) {
            String report = s.next(Duration.ofSeconds(10));
            assertTrue(report != null && report.contains("\"window\""), "a report over wss:// with the token");
        }
        String metrics = slave.get("/q/metrics").body();
        assertTrue(
                metrics.contains("mysqlprobe_auth_failures_total{reason=\"missing\"}")
                        && metrics.contains("mysqlprobe_auth_failures_total{reason=\"wrong\"}"),
                "failures counted per reason");
        assertTrue(!slave.log().contains(TOKEN), "the token is never logged");
    }

    @Test
    @Order(3)
    void aStaticMasterWithTheCaAndTheTokenMergesTheTlsSlavesWindows() throws Exception {
        await(
                "the master connected to the TLS slave",
                Duration.ofSeconds(20),
                () -> "connected".equals(link(slave).get("state")));
        long t0 = System.currentTimeMillis();
        try (ClusterFixture.Reports m = new ClusterFixture.Reports(master, "/collector");
                ClusterFixture.Reports s = new ClusterFixture.Reports(slave, "/collector?since=" + t0)) {
            ClusterFixture.Load load = new ClusterFixture.Load(db, "tls");
            Thread.sleep(3000); // the load runs for 3 s (several 1 s windows)
            load.close();
            long stopped = System.currentTimeMillis();
            await(
                    "the master published the windows after the load",
                    Duration.ofSeconds(15),
                    () -> m.lastStart() > stopped + 1000);
            TreeMap<Long, Report> mw = m.byWindow();
            TreeMap<Long, Report> sw = s.byWindow();
            int compared = 0;
            long total = 0;
            for (Map.Entry<Long, Report> e : mw.entrySet()) {
                if (e.getValue().window().endMs() <= t0 || !sw.containsKey(e.getKey())) {
                    continue;
                }
                assertEquals(counts(sw.get(e.getKey())), counts(e.getValue()), "window " + e.getKey());
                total += counts(e.getValue()).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                compared++;
            }
            assertTrue(compared >= 3, "windows compared: " + compared);
            assertTrue(total >= load.statements.get() - 10, "merged " + total + " of " + load.statements.get());
        }
    }

    @Test
    @Order(4)
    void aSlaveWhoseCertificateTheCaDidNotSignIsRefusedWithTheReasonInListnodes() throws Exception {
        await(
                "the master names the TLS failure",
                Duration.ofSeconds(15),
                () -> String.valueOf(link(rogue).get("last_error")).contains("TLS handshake failed"));
        Map<?, ?> r = link(rogue);
        assertEquals("disconnected", r.get("state"), r.toString());
        assertEquals(0, ((Number) r.get("reports")).intValue(), r.toString());
        assertTrue(String.valueOf(r.get("last_error")).contains("certification path"), r.toString());
        System.out.println("rogue slave in the master's /cluster/listnodes: " + r);
    }

    @Test
    @Order(5)
    void aRotatedCertificateIsServedWithoutARestart() throws Exception {
        long pid = slave.pid();
        assertEquals(Pki.serial(slaveCert.cert()), servedSerial());
        BigInteger next = Pki.serial(rotated.cert());
        assertNotEquals(Pki.serial(slaveCert.cert()), next);
        long t = System.nanoTime();
        mountSecret(rotated, "v2"); // a PKCS#1 key, as cert-manager writes by default
        await("the rotated certificate is served", Duration.ofSeconds(15), () -> {
            try {
                return next.equals(servedSerial());
            } catch (Exception e) {
                return false;
            }
        });
        System.out.printf("rotated certificate served after %d ms%n", (System.nanoTime() - t) / 1_000_000);
        assertEquals(pid, slave.pid());
        HttpResponse<String> health = slave.get("/q/health/ready");
        assertEquals(200, health.statusCode(), "the rotated certificate verifies against the CA: " + health.body());
    }

    @Test
    @Order(6)
    void tailNeedsTheTokenAndVerifiesWithTheCa() throws Exception {
        String url = "wss://127.0.0.1:" + slave.uri("").getPort() + "/collector";
        Run refused = runProbe(List.of("tail", "--ca-file", ca.cert().toString(), url), Map.of(), false);
        assertEquals(2, refused.exit, refused.output);
        assertTrue(refused.output.contains("answered 401"), refused.output);
        Run ok = runProbe(
                List.of("tail", "--ca-file", ca.cert().toString(), url), Map.of("MYSQL_PROBE_TOKEN", TOKEN), true);
        assertTrue(ok.output.startsWith("{") && ok.output.contains("\"window\""), ok.output);
    }

    @Test
    @Order(7)
    void unusableCertificateFilesStopStartUpWithTheKeyNamed() throws Exception {
        Path yaml = work.resolve("bad.yaml");
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "tls.cert_file",
                "tls: {cert_file: " + work.resolve("missing.crt") + ", key_file: " + slaveCert.key() + "}");
        cases.put("tls.key_file", "tls: {cert_file: " + slaveCert.cert() + ", key_file: " + work + "}");
        cases.put(
                "tls.key_file: \"" + rotated.key() + "\" is not the key of the certificate",
                "tls: {cert_file: " + slaveCert.cert() + ", key_file: " + rotated.key() + "}");
        cases.put("tls.ca_file", "tls: {ca_file: " + slaveCert.key() + "}");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Files.writeString(yaml, "serverport: " + MariaDbServer.freePort() + "\n" + c.getValue() + "\n");
            Run r = runProbe(List.of("--config", yaml.toString()), Map.of(), false);
            assertEquals(2, r.exit, r.output);
            String[] lines = r.output.strip().split("\n");
            assertEquals(1, lines.length, r.output);
            assertTrue(lines[0].startsWith("mysql-probe: bad configuration: " + c.getKey()), r.output);
            System.out.println(lines[0]);
        }
    }

    /** The serial of the certificate the slave serves to a new connection. */
    static BigInteger servedSerial() throws Exception {
        try (SSLSocket s = (SSLSocket)
                trust.getSocketFactory().createSocket("127.0.0.1", slave.uri("").getPort())) {
            s.setSoTimeout(5000);
            s.startHandshake();
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** The master's link to that slave as {@code /cluster/listnodes} shows it (empty when unreachable). */
    static Map<?, ?> link(ProbeProcess slaveNode) {
        String addr = slaveNode.uri("").getAuthority();
        try {
            for (Object o : (List<?>) ClusterFixture.listNodes(master).get("slaves")) {
                if (addr.equals(((Map<?, ?>) o).get("address"))) {
                    return (Map<?, ?>) o;
                }
            }
        } catch (Exception e) {
            // not answering yet
        }
        return new HashMap<>();
    }

    record Run(int exit, String output) {}

    /**
     * Runs the packaged probe with {@code args}; {@code firstLine}: returns its first line of output and stops it,
     * else waits for its exit (30 s at most).
     */
    static Run runProbe(List<String> args, Map<String, String> env, boolean firstLine) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m",
                "-jar",
                ProbeProcess.runnerJar().toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            if (firstLine) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                String line = in.readLine();
                return new Run(-1, line == null ? "" : line);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                return new Run(-1, "did not exit in 30 s");
            }
            return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
