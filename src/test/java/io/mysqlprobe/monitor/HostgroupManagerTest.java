package io.mysqlprobe.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.monitor.MonitorEvent.HostgroupChanged;
import io.mysqlprobe.monitor.MonitorEvent.KillConnections;
import io.mysqlprobe.monitor.MonitorEvent.StatusChanged;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostgroupManagerTest {

    private static final Endpoint A = new Endpoint("a", 3306);
    private static final Endpoint B = new Endpoint("b", 3306);

    private final List<MonitorEvent> events = new ArrayList<>();
    private final HostgroupManager hm = new HostgroupManager(events::add, () -> 42L);

    private static Map<String, Object> server(int hg, String host, int maxLag) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostgroup", hg);
        m.put("host", host);
        m.put("max_replication_lag", maxLag);
        return m;
    }

    private static MonitorConfig config(boolean writerIsAlsoReader, Object... extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ping_max_failures", 3);
        m.put("read_only_max_timeout_count", 2);
        m.put("writer_is_also_reader", writerIsAlsoReader);
        m.put("servers", List.of(server(10, "a", 0), server(20, "b", 5)));
        m.put("replication_hostgroups", List.of(Map.of("writer_hostgroup", 10, "reader_hostgroup", 20)));
        for (int i = 0; i < extra.length; i += 2) {
            m.put((String) extra[i], extra[i + 1]);
        }
        return MonitorConfig.parse(m);
    }

    @Test
    void shunnedAfterExactlyPingMaxFailuresThenBack() {
        hm.configure(config(true));
        hm.onPing(B, false);
        hm.onPing(B, false);
        assertEquals(ServerStatus.ONLINE, hm.status(20, B));
        assertTrue(events.isEmpty());
        hm.onPing(B, false);
        assertEquals(ServerStatus.SHUNNED, hm.status(20, B));
        assertTrue(events.get(0) instanceof KillConnections k && k.hostname().equals("b"), events.toString());
        assertEquals(
                new StatusChanged(
                        42,
                        20,
                        "b",
                        3306,
                        ServerStatus.ONLINE,
                        ServerStatus.SHUNNED,
                        "3 pings missed in a row (ping_max_failures=3)"),
                events.get(1));
        hm.onPing(B, false); // no second kill
        assertEquals(2, events.size());
        hm.onPing(B, true);
        assertEquals(ServerStatus.ONLINE, hm.status(20, B));
        assertEquals(3, events.size());
    }

    @Test
    void aSuccessResetsTheCount() {
        hm.configure(config(true));
        hm.onPing(A, false);
        hm.onPing(A, false);
        hm.onPing(A, true);
        hm.onPing(A, false);
        hm.onPing(A, false);
        assertEquals(ServerStatus.ONLINE, hm.status(10, A));
    }

    @Test
    void lagShunsReaderAndRecovers() {
        hm.configure(config(true));
        hm.onReplicationLag(B, 5);
        assertEquals(ServerStatus.ONLINE, hm.status(20, B), "lag equal to max is fine");
        hm.onReplicationLag(B, 6);
        assertEquals(ServerStatus.SHUNNED_REPLICATION_LAG, hm.status(20, B));
        hm.onReplicationLag(B, null); // failed check: no change
        assertEquals(ServerStatus.SHUNNED_REPLICATION_LAG, hm.status(20, B));
        hm.onReplicationLag(B, 2);
        assertEquals(ServerStatus.ONLINE, hm.status(20, B));
        assertEquals(2, events.stream().filter(e -> e instanceof StatusChanged).count());
    }

    @Test
    void writerIsNeverShunnedForLag() {
        MonitorConfig c = MonitorConfig.parse(Map.of(
                "servers", List.of(server(10, "a", 1), server(20, "a", 1)),
                "replication_hostgroups", List.of(Map.of("writer_hostgroup", 10, "reader_hostgroup", 20))));
        hm.configure(c);
        hm.onReplicationLag(A, 60); // e.g. slave_lag_when_null on a primary
        assertEquals(ServerStatus.ONLINE, hm.status(10, A));
        assertEquals(ServerStatus.SHUNNED_REPLICATION_LAG, hm.status(20, A));
    }

    @Test
    void pingShunWinsOverLagShunAndLagShunSurvivesPingRecovery() {
        hm.configure(config(true));
        hm.onReplicationLag(B, 10);
        for (int i = 0; i < 3; i++) {
            hm.onPing(B, false);
        }
        assertEquals(ServerStatus.SHUNNED, hm.status(20, B));
        hm.onPing(B, true);
        assertEquals(ServerStatus.SHUNNED_REPLICATION_LAG, hm.status(20, B));
    }

    @Test
    void readOnlyMovesWithWriterIsAlsoReader() {
        hm.configure(config(true));
        hm.onReadOnly(B, ReadOnlyCheckType.READ_ONLY, 0, false); // b promoted
        assertEquals(ServerStatus.ONLINE, hm.status(10, B));
        assertEquals(ServerStatus.ONLINE, hm.status(20, B), "copied: stays a reader too");
        hm.onReadOnly(A, ReadOnlyCheckType.READ_ONLY, 0, false); // a is writer: also becomes a reader
        assertEquals(ServerStatus.ONLINE, hm.status(20, A));
        hm.onReadOnly(A, ReadOnlyCheckType.READ_ONLY, 1, false); // a demoted
        assertNull(hm.status(10, A));
        assertEquals(ServerStatus.ONLINE, hm.status(20, A));
        assertTrue(events.contains(new HostgroupChanged(42, 10, "a", 3306, false, "read_only=1")), events.toString());
    }

    @Test
    void readOnlyMovesWithoutWriterIsAlsoReader() {
        hm.configure(config(false));
        hm.onReadOnly(B, ReadOnlyCheckType.READ_ONLY, 0, false);
        assertEquals(ServerStatus.ONLINE, hm.status(10, B));
        assertNull(hm.status(20, B), "moved: no longer a reader");
        hm.onReadOnly(B, ReadOnlyCheckType.READ_ONLY, 1, false);
        assertNull(hm.status(10, B));
        assertEquals(ServerStatus.ONLINE, hm.status(20, B));
        // copies keep max_replication_lag
        assertEquals(
                5,
                hm.snapshot().stream()
                        .filter(v -> v.hostname().equals("b"))
                        .findFirst()
                        .orElseThrow()
                        .maxReplicationLag());
    }

    @Test
    void otherCheckTypeDoesNotMove() {
        hm.configure(config(false));
        hm.onReadOnly(B, ReadOnlyCheckType.INNODB_READ_ONLY, 0, false);
        assertNull(hm.status(10, B));
    }

    @Test
    void readOnlyTimeoutsCountAsReadOnly() {
        hm.configure(config(false));
        hm.onReadOnly(A, ReadOnlyCheckType.READ_ONLY, null, true);
        assertEquals(ServerStatus.ONLINE, hm.status(10, A));
        hm.onReadOnly(A, ReadOnlyCheckType.READ_ONLY, null, false); // an error that is not a timeout: ignored
        hm.onReadOnly(A, ReadOnlyCheckType.READ_ONLY, null, true);
        assertNull(hm.status(10, A));
        assertEquals(ServerStatus.ONLINE, hm.status(20, A));
    }

    @Test
    void offlineStatusesComeFromConfigAndWin() {
        Map<String, Object> s = server(20, "b", 0);
        s.put("status", "OFFLINE_HARD");
        hm.configure(MonitorConfig.parse(Map.of("servers", List.of(server(10, "a", 0), s))));
        assertEquals(ServerStatus.OFFLINE_HARD, hm.status(20, B));
        for (int i = 0; i < 5; i++) {
            hm.onPing(B, false);
        }
        assertEquals(ServerStatus.OFFLINE_HARD, hm.status(20, B));
        assertEquals(List.of(A), hm.pingTargets());
    }

    @Test
    void reconfigureKeepsStateAndMovesOfKnownServers() {
        hm.configure(config(false));
        hm.onReadOnly(B, ReadOnlyCheckType.READ_ONLY, 0, false);
        for (int i = 0; i < 3; i++) {
            hm.onPing(A, false);
        }
        long v = hm.version();
        hm.configure(config(false, "ping_interval", 500)); // same topology
        assertEquals(ServerStatus.ONLINE, hm.status(10, B));
        assertEquals(ServerStatus.SHUNNED, hm.status(10, A));
        assertEquals(v, hm.version());
        // a new server list is rebuilt; b's last read_only=0 is applied again, a keeps its shun
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("writer_is_also_reader", false);
        m.put("servers", List.of(server(10, "a", 0), server(20, "b", 5), server(20, "c", 0)));
        m.put("replication_hostgroups", List.of(Map.of("writer_hostgroup", 10, "reader_hostgroup", 20)));
        hm.configure(MonitorConfig.parse(m));
        assertEquals(ServerStatus.ONLINE, hm.status(10, B));
        assertNull(hm.status(20, B));
        assertEquals(ServerStatus.SHUNNED, hm.status(10, A));
        assertTrue(hm.version() > v);
        assertEquals(3, hm.pingTargets().size());
    }

    @Test
    void targets() {
        hm.configure(config(true));
        assertEquals(List.of(A, B), hm.pingTargets());
        assertEquals(List.of(B), hm.replicationLagTargets());
        assertEquals(
                List.of(
                        new HostgroupManager.ReadOnlyTarget(A, ReadOnlyCheckType.READ_ONLY),
                        new HostgroupManager.ReadOnlyTarget(B, ReadOnlyCheckType.READ_ONLY)),
                hm.readOnlyTargets());
    }
}
