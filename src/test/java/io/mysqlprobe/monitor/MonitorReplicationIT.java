package io.mysqlprobe.monitor;

import static io.mysqlprobe.monitor.WorkerPoolTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.monitor.LogRows.PingLogRow;
import io.mysqlprobe.monitor.LogRows.ReplicationLagLogRow;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole monitor (producers, workers, pool, logs, hostgroup manager) against a real primary + replica:
 * read_only moves in both writer_is_also_reader settings, lag made on demand (LOCK TABLES on the replica;
 * STOP SLAVE SQL_THREAD for a NULL lag), and a frozen replica shunned after exactly ping_max_failures.
 */
class MonitorReplicationIT {

    static final int WRITER = 10;
    static final int READER = 20;
    static final int TIMEOUT_MS = 150;

    static ReplicationPair pair;
    static Endpoint primary;
    static Endpoint replica;
    MonitorEngine engine;

    @BeforeAll
    static void startPair() throws Exception {
        pair = ReplicationPair.start();
        primary = new Endpoint("127.0.0.1", pair.primary.port());
        replica = new Endpoint("127.0.0.1", pair.replica.port());
    }

    @AfterAll
    static void stopPair() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @AfterEach
    void stopEngine() {
        if (engine != null) {
            engine.stop();
        }
    }

    static MonitorConfig config(boolean writerIsAlsoReader) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", true);
        m.put("username", ReplicationPair.MONITOR_USER);
        m.put("password", ReplicationPair.MONITOR_PASSWORD);
        m.put("connect_interval", 1000);
        m.put("connect_timeout", TIMEOUT_MS);
        m.put("ping_interval", 200);
        m.put("ping_timeout", TIMEOUT_MS);
        m.put("ping_max_failures", 3);
        m.put("read_only_interval", 200);
        m.put("read_only_timeout", TIMEOUT_MS);
        m.put("replication_lag_interval", 200);
        m.put("replication_lag_timeout", TIMEOUT_MS);
        m.put("slave_lag_when_null", 60);
        m.put("threads_min", 2);
        m.put("writer_is_also_reader", writerIsAlsoReader);
        m.put(
                "servers",
                List.of(
                        Map.of(
                                "hostgroup",
                                WRITER,
                                "host",
                                "127.0.0.1",
                                "port",
                                pair.primary.port(),
                                "max_replication_lag",
                                1),
                        Map.of(
                                "hostgroup",
                                READER,
                                "host",
                                "127.0.0.1",
                                "port",
                                pair.replica.port(),
                                "max_replication_lag",
                                1)));
        m.put("replication_hostgroups", List.of(Map.of("writer_hostgroup", WRITER, "reader_hostgroup", READER)));
        return MonitorConfig.parse(m);
    }

    ServerStatus status(int hg, Endpoint ep) {
        return engine.manager().status(hg, ep);
    }

    void awaitStatus(int hg, Endpoint ep, ServerStatus want, long ms) throws Exception {
        await(
                () -> status(hg, ep) == want,
                ms,
                ep + " in hostgroup " + hg + " to be " + want + " (is " + status(hg, ep) + "; servers "
                        + engine.servers() + ")");
    }

    @Test
    void readOnlyMovesServersInBothWriterIsAlsoReaderSettings() throws Exception {
        engine = new MonitorEngine();
        engine.apply(config(true));
        awaitStatus(READER, primary, ServerStatus.ONLINE, 5000); // writer copied into the reader hostgroup
        assertEquals(ServerStatus.ONLINE, status(WRITER, primary));
        assertNull(status(WRITER, replica));

        pair.onReplica("SET GLOBAL read_only=0"); // replica promoted
        awaitStatus(WRITER, replica, ServerStatus.ONLINE, 5000);
        assertEquals(ServerStatus.ONLINE, status(READER, replica), "writer_is_also_reader keeps it a reader");
        pair.onReplica("SET GLOBAL read_only=1");
        awaitStatus(WRITER, replica, null, 5000);

        engine.apply(config(false)); // live change
        awaitStatus(READER, primary, null, 5000);
        assertEquals(ServerStatus.ONLINE, status(WRITER, primary));
        pair.onReplica("SET GLOBAL read_only=0");
        awaitStatus(WRITER, replica, ServerStatus.ONLINE, 5000);
        awaitStatus(READER, replica, null, 5000);
        pair.onReplica("SET GLOBAL read_only=1");
        awaitStatus(READER, replica, ServerStatus.ONLINE, 5000);
        awaitStatus(WRITER, replica, null, 5000);
        assertTrue(engine.readOnlyLog().query("127.0.0.1", replica.port(), null, 1000).stream()
                .anyMatch(r -> Integer.valueOf(0).equals(r.readOnly())));
    }

    @Test
    void replicationLagShunsAndUnshunsAndNullLagUsesSlaveLagWhenNull() throws Exception {
        engine = new MonitorEngine();
        engine.apply(config(false));
        await(
                () -> engine.replicationLagLog().query(null, replica.port(), null, 1).stream()
                        .anyMatch(r -> Integer.valueOf(0).equals(r.replLag())),
                5000,
                "a lag of 0 on the replica");
        assertEquals(ServerStatus.ONLINE, status(READER, replica));

        // lag on demand: the replica's SQL thread waits on our table lock while the primary writes
        try (Connection c = pair.replica.connect();
                Statement st = c.createStatement()) {
            st.execute("LOCK TABLES probe.t WRITE");
            pair.onPrimary("INSERT INTO probe.t (v) VALUES (1)");
            awaitStatus(READER, replica, ServerStatus.SHUNNED_REPLICATION_LAG, 10_000);
            st.execute("UNLOCK TABLES");
        }
        awaitStatus(READER, replica, ServerStatus.ONLINE, 5000);
        assertTrue(engine.replicationLagLog().query(null, replica.port(), null, 10_000).stream()
                .anyMatch(r -> r.replLag() != null && r.replLag() >= 2));

        // NULL Seconds_Behind_Master → slave_lag_when_null (60) > 1
        pair.onReplica("STOP SLAVE SQL_THREAD");
        try {
            awaitStatus(READER, replica, ServerStatus.SHUNNED_REPLICATION_LAG, 5000);
            ReplicationLagLogRow last = engine.replicationLagLog()
                    .query(null, replica.port(), null, 1)
                    .get(0);
            assertEquals(60, last.replLag());
        } finally {
            pair.onReplica("START SLAVE SQL_THREAD");
        }
        awaitStatus(READER, replica, ServerStatus.ONLINE, 5000);

        // the primary (writer, max_replication_lag 1) is not a replica: logged, never shunned
        ReplicationLagLogRow p =
                engine.replicationLagLog().query(null, primary.port(), null, 1).get(0);
        assertEquals("not a replica: SHOW ALL SLAVES STATUS returned no rows", p.error());
        assertNull(p.replLag());
        assertEquals(ServerStatus.ONLINE, status(WRITER, primary));
    }

    @Test
    void frozenReplicaIsShunnedAfterExactlyPingMaxFailuresAndComesBack() throws Exception {
        engine = new MonitorEngine();
        List<String> seenAtKill = new CopyOnWriteArrayList<>();
        engine.addListener(e -> {
            if (e instanceof MonitorEvent.KillConnections k && k.port() == replica.port()) {
                // runs on the worker that logged the failing ping, before the next ping can start
                List<PingLogRow> rows = engine.pingLog().query(null, replica.port(), null, 100);
                int trailingErrors = 0;
                for (PingLogRow r : rows) {
                    if (r.pingError() == null) {
                        break;
                    }
                    trailingErrors++;
                }
                seenAtKill.add(trailingErrors + " " + status(READER, replica));
            }
        });
        engine.apply(config(false));
        await(
                () -> engine.pingLog().query(null, replica.port(), null, 1).stream()
                        .anyMatch(r -> r.pingError() == null),
                5000,
                "a good ping");
        long frozenAtUs = Checks.nowUs();
        pair.replica.freeze(true);
        try {
            await(() -> !seenAtKill.isEmpty(), 5000, "the kill-connections event");
            assertEquals("3 SHUNNED", seenAtKill.get(0), "shunned on exactly the 3rd missed ping");
            assertEquals(ServerStatus.ONLINE, status(WRITER, primary), "the primary is unaffected");
            List<Long> elapsed = new ArrayList<>();
            Pattern p = Pattern.compile("after (\\d+) ms \\((ping|connect)_timeout=150\\)");
            for (PingLogRow r : engine.pingLog().query(null, replica.port(), frozenAtUs, 100)) {
                if (r.pingError() == null) {
                    continue;
                }
                Matcher m = p.matcher(r.pingError());
                assertTrue(m.find(), r.pingError());
                elapsed.add(Long.parseLong(m.group(1)));
                assertEquals(0, r.pingSuccessTimeUs());
            }
            System.out.println("frozen replica: ping errors after ms " + elapsed);
            assertTrue(elapsed.size() >= 3);
            assertTrue(elapsed.stream().allMatch(ms -> ms >= TIMEOUT_MS), elapsed.toString());
            MonitorChecksIT.assertMedianWithinTolerance(elapsed);
        } finally {
            pair.replica.freeze(false);
        }
        awaitStatus(READER, replica, ServerStatus.ONLINE, 5000);
        assertNotNull(engine.threads().pool());
        assertTrue(engine.threads().running());
    }
}
