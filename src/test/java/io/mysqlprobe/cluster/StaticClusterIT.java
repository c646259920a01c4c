package io.mysqlprobe.cluster;

import static io.mysqlprobe.cluster.ClusterFixture.await;
import static io.mysqlprobe.cluster.ClusterFixture.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.testsupport.MariaDbServer;
import io.mysqlprobe.testsupport.ProbeProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Static mode end to end with the packaged application: two slaves capturing two throw-away mariadbd on
 * {@code lo} under load, a master with one slave in its config and the other joined over HTTP. Checks the
 * master's per-template counts against the sum of the slaves' for every window, then remove / leave, the
 * state file across a master restart, and bad joins.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StaticClusterIT {

    static Path work;
    static MariaDbServer db1;
    static MariaDbServer db2;
    static ProbeProcess slave1;
    static ProbeProcess slave2;
    static ProbeProcess master;
    static int masterPort;
    static ClusterFixture.Load load1;
    static ClusterFixture.Load load2;

    static String slaveYaml(int http, int dbPort) {
        return """
                serverport: %d
                interval: 1
                probe:
                  device: lo
                  port: %d
                report:
                  backlog: 60
                """.formatted(http, dbPort);
    }

    static String masterYaml(int http, int slavePort) {
        return """
                slave: false
                serverport: %d
                interval: 1
                cluster:
                  slaves: [127.0.0.1:%d]
                  grace_ms: 3000
                report:
                  backlog: 60
                """.formatted(http, slavePort);
    }

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("probe-static-it-");
        db1 = MariaDbServer.start();
        db2 = MariaDbServer.start();
        int p1 = MariaDbServer.freePort();
        int p2 = MariaDbServer.freePort();
        masterPort = MariaDbServer.freePort();
        slave1 = ProbeProcess.start(slaveYaml(p1, db1.port()), p1, work);
        slave2 = ProbeProcess.start(slaveYaml(p2, db2.port()), p2, work);
        master = ProbeProcess.start(masterYaml(masterPort, p1), masterPort, work);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {load1, load2, master, slave1, slave2, db1, db2}) {
            if (c != null) {
                c.close();
            }
        }
    }

    static String addr(ProbeProcess p) {
        return p.uri("").getAuthority();
    }

    @Test
    @Order(1)
    void masterCountsEqualTheSumOfTheSlavesForEveryWindow() throws Exception {
        HttpResponse<String> joined = master.get("/cluster/join?addr=" + addr(slave2));
        assertEquals(200, joined.statusCode(), joined.body());
        await("both slaves connected", Duration.ofSeconds(20), () -> {
            try {
                return ((List<?>) ClusterFixture.listNodes(master).get("slaves"))
                                .stream()
                                        .filter(x -> "connected".equals(((Map<?, ?>) x).get("state")))
                                        .count()
                        == 2;
            } catch (Exception e) {
                return false;
            }
        });
        long t0 = System.currentTimeMillis();
        try (ClusterFixture.Reports m = new ClusterFixture.Reports(master, "/collector");
                ClusterFixture.Reports s1 = new ClusterFixture.Reports(slave1, "/collector?since=" + t0);
                ClusterFixture.Reports s2 = new ClusterFixture.Reports(slave2, "/collector?since=" + t0)) {
            load1 = new ClusterFixture.Load(db1, "db1");
            load2 = new ClusterFixture.Load(db2, "db2");
            Thread.sleep(4000); // the load runs for 4 s (several 1 s windows)
            load1.close();
            load2.close();
            long stopped = System.currentTimeMillis();
            await(
                    "the master published the windows after the load",
                    Duration.ofSeconds(15),
                    () -> m.lastStart() > stopped + 1000);
            TreeMap<Long, Report> mw = m.byWindow();
            TreeMap<Long, Report> w1 = s1.byWindow();
            TreeMap<Long, Report> w2 = s2.byWindow();
            int compared = 0;
            long total = 0;
            for (Map.Entry<Long, Report> e : mw.entrySet()) {
                // every window the load could touch: the one holding t0 too (it ends after t0)
                if (e.getValue().window().endMs() <= t0 || !w1.containsKey(e.getKey()) || !w2.containsKey(e.getKey())) {
                    continue;
                }
                Map<String, Long> sum = new HashMap<>(counts(w1.get(e.getKey())));
                counts(w2.get(e.getKey())).forEach((k, v) -> sum.merge(k, v, Long::sum));
                assertEquals(sum, counts(e.getValue()), "window " + e.getKey());
                // both slaves delivered this window; a slave's late window merged in is listed too, as
                // "ADDRESS (late window START)" (e.g. the backlog a newly joined slave replays)
                assertEquals(
                        2,
                        e.getValue().sources().stream()
                                .filter(x -> !x.address().contains("(late window"))
                                .count(),
                        "window " + e.getKey());
                System.out.printf("static window %d: master %s = sum of slaves%n", e.getKey(), counts(e.getValue()));
                total += sum.values().stream().mapToLong(Long::longValue).sum();
                compared++;
            }
            assertTrue(compared >= 4, "windows compared: " + compared);
            assertTrue(
                    total >= load1.statements.get() + load2.statements.get() - 10,
                    "merged " + total + " of " + (load1.statements.get() + load2.statements.get()));
            long servers = mw.values().stream()
                    .flatMap(r -> r.templates().stream())
                    .map(TemplateSnapshot::server)
                    .distinct()
                    .count();
            assertEquals(2, servers, "the same db 'shop' on two servers stays two entries");
        }
    }

    @Test
    @Order(2)
    void badJoinsAndRemovesAreClearErrors() throws Exception {
        int closed = MariaDbServer.freePort();
        HttpResponse<String> r = master.get("/cluster/join?addr=127.0.0.1:" + closed);
        assertEquals(502, r.statusCode(), r.body());
        assertTrue(r.body().contains("cannot reach"), r.body());
        r = master.get("/cluster/join?addr=127.0.0.1:" + db1.port());
        assertEquals(502, r.statusCode(), "a MySQL port is not a probe: " + r.body());
        assertEquals(400, master.get("/cluster/join?addr=nonsense").statusCode());
        assertEquals(404, master.get("/cluster/remove?addr=127.0.0.1:1").statusCode());
        assertEquals(409, slave1.get("/cluster/remove?addr=127.0.0.1:1").statusCode(), "slaves have no slaves");
        assertEquals(200, master.get("/cluster/listnodes").statusCode(), "the master still works");
    }

    @Test
    @Order(3)
    void configUpdateWithClusterScopeReachesEverySlave() throws Exception {
        HttpResponse<String> r = master.get("/config/update?slowthresholdms=150&scope=cluster");
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> body = io.mysqlprobe.report.ReportJson.mapper().readValue(r.body(), Map.class);
        Map<?, ?> members = (Map<?, ?>) body.get("members");
        assertEquals(2, members.size(), r.body());
        for (Object v : members.values()) {
            assertEquals(200, ((Map<?, ?>) v).get("status"), r.body());
        }
        assertEquals(
                400,
                master.get("/config/update?scope=everywhere&slowthresholdms=1").statusCode());
    }

    @Test
    @Order(4)
    void removeLeaveAndTheStateFileSurviveARestart() throws Exception {
        HttpResponse<String> r = master.get("/cluster/remove?addr=" + addr(slave1));
        assertEquals(200, r.statusCode(), r.body());
        Map<?, ?> nodes = ClusterFixture.listNodes(master);
        assertEquals(1, ((List<?>) nodes.get("slaves")).size(), nodes.toString());
        master.stop();
        master = ProbeProcess.start(masterYaml(masterPort, MariaDbServer.freePort()), masterPort, work);
        nodes = ClusterFixture.listNodes(master);
        List<?> slaves = (List<?>) nodes.get("slaves");
        assertEquals(1, slaves.size(), "the restarted master resumes the joined slave, not the config's: " + nodes);
        assertEquals(addr(slave2), ((Map<?, ?>) slaves.get(0)).get("address"));
        r = master.get("/cluster/leave");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, ((List<?>) ClusterFixture.listNodes(master).get("slaves")).size());
    }
}
