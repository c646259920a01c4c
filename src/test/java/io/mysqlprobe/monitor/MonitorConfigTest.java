package io.mysqlprobe.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitorConfigTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static ConfigException fails(Map<String, Object> section) {
        return assertThrows(ConfigException.class, () -> MonitorConfig.parse(section));
    }

    @Test
    void nullGivesProxySqlDefaultsDisabled() {
        MonitorConfig c = MonitorConfig.parse(null);
        assertFalse(c.enabled());
        assertEquals("monitor", c.username());
        assertEquals(120_000, c.connectInterval());
        assertEquals(600, c.connectTimeout());
        assertEquals(8000, c.pingInterval());
        assertEquals(1000, c.pingTimeout());
        assertEquals(3, c.pingMaxFailures());
        assertEquals(1000, c.readOnlyInterval());
        assertEquals(800, c.readOnlyTimeout());
        assertEquals(3, c.readOnlyMaxTimeoutCount());
        assertTrue(c.writerIsAlsoReader());
        assertEquals(10_000, c.replicationLagInterval());
        assertEquals(1000, c.replicationLagTimeout());
        assertEquals(60, c.slaveLagWhenNull());
        assertEquals(600_000, c.history());
        assertEquals(24_000, c.idleConnectionTimeout(), "3 × ping_interval");
        assertEquals(80, c.waitTimeoutSeconds(), "ping_interval × 10 in seconds");
        assertTrue(c.servers().isEmpty());
    }

    @Test
    void proxySqlNamesAreAliases() {
        MonitorConfig c = MonitorConfig.parse(map(
                "mysql-monitor_ping_interval",
                2000,
                "monitor_ping_timeout",
                "150",
                "mysql-monitor_writer_is_also_reader",
                "false",
                "mysql-monitor_enabled",
                true));
        assertEquals(2000, c.pingInterval());
        assertEquals(150, c.pingTimeout());
        assertFalse(c.writerIsAlsoReader());
        assertTrue(c.enabled());
        assertEquals(6000, c.idleConnectionTimeout());
    }

    @Test
    void sameKeyUnderTwoNamesIsRejected() {
        ConfigException e = fails(map("ping_interval", 1000, "mysql-monitor_ping_interval", 2000));
        assertEquals("monitor.mysql-monitor_ping_interval", e.key());
    }

    @Test
    void rangesAreProxySqls() {
        assertEquals("monitor.ping_interval", fails(map("ping_interval", 99)).key());
        assertEquals("monitor.ping_timeout", fails(map("ping_timeout", 600_001)).key());
        assertEquals(
                "monitor.ping_max_failures", fails(map("ping_max_failures", 0)).key());
        assertEquals(
                "monitor.slave_lag_when_null",
                fails(map("slave_lag_when_null", 604_801)).key());
        assertEquals("monitor.history", fails(map("history", 999)).key());
        assertEquals(
                "monitor.connect_timeout", fails(map("connect_timeout", "fast")).key());
        assertEquals("monitor.enabled", fails(map("enabled", "maybe")).key());
        ConfigException e = fails(map("mysql-monitor_read_only_timeout", 50));
        assertEquals(
                "monitor.read_only_timeout: 50 is not allowed; expected an integer from 100 to 600000", e.getMessage());
        MonitorConfig.parse(map("ping_interval", 100, "ping_timeout", 600_000, "slave_lag_when_null", 0));
    }

    @Test
    void unknownKeyIsNamed() {
        ConfigException e = fails(map("ping_intervall", 1000));
        assertEquals("monitor.ping_intervall", e.key());
        assertTrue(e.getMessage().contains("ping_interval"), e.getMessage());
    }

    @Test
    void serversAndReplicationHostgroups() {
        MonitorConfig c = MonitorConfig.parse(map(
                "servers",
                        List.of(
                                map("hostgroup", 10, "host", "db1", "port", 3307),
                                map(
                                        "hostgroup_id",
                                        20,
                                        "hostname",
                                        "db2",
                                        "max_replication_lag",
                                        5,
                                        "status",
                                        "offline_soft")),
                "replication_hostgroups",
                        List.of(map(
                                "writer_hostgroup",
                                10,
                                "reader_hostgroup",
                                20,
                                "check_type",
                                "innodb_read_only",
                                "comment",
                                "cluster A"))));
        assertEquals(2, c.servers().size());
        assertEquals(
                new MonitorConfig.ServerConfig(10, "db1", 3307, 0, ServerStatus.ONLINE),
                c.servers().get(0));
        assertEquals(
                new MonitorConfig.ServerConfig(20, "db2", 3306, 5, ServerStatus.OFFLINE_SOFT),
                c.servers().get(1));
        assertEquals(
                ReadOnlyCheckType.INNODB_READ_ONLY,
                c.replicationHostgroups().get(0).checkType());
    }

    @Test
    void malformedServersNameTheEntry() {
        assertEquals(
                "monitor.servers[0].hostgroup",
                fails(map("servers", List.of(map("host", "a")))).key());
        assertEquals(
                "monitor.servers[1].port",
                fails(map(
                                "servers",
                                List.of(
                                        map("hostgroup", 1, "host", "a"),
                                        map("hostgroup", 1, "host", "b", "port", 70000))))
                        .key());
        assertEquals(
                "monitor.servers[0].host",
                fails(map("servers", List.of(map("hostgroup", 1)))).key());
        assertEquals(
                "monitor.servers[0].status",
                fails(map("servers", List.of(map("hostgroup", 1, "host", "a", "status", "SHUNNED"))))
                        .key());
        assertEquals(
                "monitor.servers[0].weight",
                fails(map("servers", List.of(map("hostgroup", 1, "host", "a", "weight", 1))))
                        .key());
        assertEquals(
                "monitor.servers[1]",
                fails(map("servers", List.of(map("hostgroup", 1, "host", "a"), map("hostgroup", 1, "host", "a"))))
                        .key());
        assertEquals("monitor.servers", fails(map("servers", "db1:3306")).key());
        assertEquals("monitor.servers[0]", fails(map("servers", List.of("db1"))).key());
        assertEquals(
                "monitor.replication_hostgroups[0].reader_hostgroup",
                fails(map("replication_hostgroups", List.of(map("writer_hostgroup", 1, "reader_hostgroup", 1))))
                        .key());
        assertEquals(
                "monitor.replication_hostgroups[0].check_type",
                fails(map(
                                "replication_hostgroups",
                                List.of(map("writer_hostgroup", 1, "reader_hostgroup", 2, "check_type", "whatever"))))
                        .key());
    }

    @Test
    void historyHoldsAtLeastMaxFailuresPlusOnePings() {
        MonitorConfig c = MonitorConfig.parse(map("history", 1000, "ping_interval", 2000, "ping_max_failures", 4));
        assertEquals(10_000, c.effectiveHistoryMs());
        assertEquals(600_000, MonitorConfig.parse(null).effectiveHistoryMs());
    }

    @Test
    void passwordIsMaskedInToString() {
        MonitorConfig c = MonitorConfig.parse(map("password", "s3cret"));
        assertFalse(c.toString().contains("s3cret"));
    }
}
