package io.mysqlprobe.monitor;

import io.mysqlprobe.config.ConfigException;
import io.mysqlprobe.config.Section;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code monitor:} section of the YAML, immutable. Names, defaults and ranges follow ProxySQL's
 * {@code mysql-monitor_*} variables (MySQL_Thread.cpp, 2.x); all times are milliseconds. Every key is also
 * accepted under its ProxySQL name ({@code mysql-monitor_ping_interval}) and its proxysql.cnf name
 * ({@code monitor_ping_interval}), so ProxySQL settings can be pasted as they are.
 *
 * <p>Keys of our own (not in ProxySQL): {@code idle_connection_timeout} (default 3 × ping_interval, the
 * seed's rule), {@code max_idle_connections_per_server}, {@code log_max_rows} (a hard row cap per log table,
 * so a log can never grow without bound whatever {@code history} says).
 */
public record MonitorConfig(
        boolean enabled,
        String username,
        String password,
        int connectInterval,
        int connectTimeout,
        int pingInterval,
        int pingTimeout,
        int pingMaxFailures,
        int readOnlyInterval,
        int readOnlyTimeout,
        int readOnlyMaxTimeoutCount,
        boolean writerIsAlsoReader,
        int replicationLagInterval,
        int replicationLagTimeout,
        int slaveLagWhenNull,
        int history,
        int threadsMin,
        int threadsMax,
        int threadsQueueMaxsize,
        int idleConnectionTimeout,
        int maxIdleConnectionsPerServer,
        int logMaxRows,
        List<ServerConfig> servers,
        List<ReplicationHostgroup> replicationHostgroups) {

    private static final int WEEK_MS = 7 * 24 * 3600 * 1000;

    public MonitorConfig {
        servers = List.copyOf(servers);
        replicationHostgroups = List.copyOf(replicationHostgroups);
    }

    /** A {@code mysql_servers} row: one server in one hostgroup. */
    public record ServerConfig(int hostgroup, String host, int port, int maxReplicationLag, ServerStatus status) {
        public Endpoint endpoint() {
            return new Endpoint(host, port);
        }
    }

    /** A {@code mysql_replication_hostgroups} row. */
    public record ReplicationHostgroup(int writerHostgroup, int readerHostgroup, ReadOnlyCheckType checkType) {}

    /** Like the record's, with the password masked (configurations end up in logs). */
    @Override
    public String toString() {
        return "MonitorConfig[enabled=" + enabled + ", username=" + username + ", password=****"
                + ", connect=" + connectInterval + "/" + connectTimeout + "ms, ping=" + pingInterval + "/" + pingTimeout
                + "ms x" + pingMaxFailures + ", read_only=" + readOnlyInterval + "/" + readOnlyTimeout + "ms x"
                + readOnlyMaxTimeoutCount + ", writer_is_also_reader=" + writerIsAlsoReader + ", replication_lag="
                + replicationLagInterval + "/" + replicationLagTimeout + "ms, slave_lag_when_null=" + slaveLagWhenNull
                + ", history=" + history + "ms, threads=" + threadsMin + ".." + threadsMax + "/" + threadsQueueMaxsize
                + ", servers=" + servers + ", replication_hostgroups=" + replicationHostgroups + "]";
    }

    /** The defaults: ProxySQL's, disabled, no servers. */
    public static MonitorConfig defaults() {
        return parse(null);
    }

    /**
     * History actually kept: {@code history}, raised to hold at least ping_max_failures+1 pings. The seed
     * writes ping_timeout in that rule, but pings are {@code ping_interval} apart, so only
     * (ping_max_failures+1) × ping_interval guarantees the rows that decide a shun are still there.
     */
    public long effectiveHistoryMs() {
        return Math.max(history, (long) (pingMaxFailures + 1) * pingInterval);
    }

    /** {@code wait_timeout} set on monitor connections: ping_interval × 10, in whole seconds (at least 1). */
    public int waitTimeoutSeconds() {
        return (int) Math.max(1, Math.min(31_536_000L, (long) pingInterval * 10 / 1000));
    }

    // ---------------------------------------------------------------- parsing

    /**
     * Parses the {@code monitor:} subtree as SnakeYAML gives it (the raw section {@code ProbeConfig} keeps for this
     * stage; YAML is untyped until read); null means all defaults.
     */
    public static MonitorConfig parse(Map<String, Object> section) {
        return from(new Section("monitor", section));
    }

    /** Parses the {@code monitor:} section; ProxySQL's spellings of a key are read as the key. */
    public static MonitorConfig from(Section section) {
        Section r = section.canonical(
                MonitorConfig::canonicalKey,
                "a known key: " + String.join(", ", SCALAR_KEYS) + ", servers, replication_hostgroups"
                        + " (optionally spelled mysql-monitor_<key>)",
                (earlier, key) -> "no duplicate: " + section.key(earlier) + " already sets " + key);
        int pingInterval = integer(r, "ping_interval", 8000, 100, WEEK_MS);
        MonitorConfig c = new MonitorConfig(
                r.flag("enabled", false),
                r.string("username", "monitor", "a string"),
                r.string("password", "monitor", "a string"),
                integer(r, "connect_interval", 120_000, 100, WEEK_MS),
                integer(r, "connect_timeout", 600, 100, 600_000),
                pingInterval,
                integer(r, "ping_timeout", 1000, 100, 600_000),
                integer(r, "ping_max_failures", 3, 1, 1_000_000),
                integer(r, "read_only_interval", 1000, 100, WEEK_MS),
                integer(r, "read_only_timeout", 800, 100, 600_000),
                integer(r, "read_only_max_timeout_count", 3, 1, 1_000_000),
                r.flag("writer_is_also_reader", true),
                integer(r, "replication_lag_interval", 10_000, 100, WEEK_MS),
                integer(r, "replication_lag_timeout", 1000, 100, 600_000),
                integer(r, "slave_lag_when_null", 60, 0, 604_800),
                integer(r, "history", 600_000, 1000, WEEK_MS),
                integer(r, "threads_min", 8, 2, 256),
                integer(r, "threads_max", 128, 4, 1024),
                integer(r, "threads_queue_maxsize", 128, 16, 1024),
                integer(r, "idle_connection_timeout", (int) Math.min(WEEK_MS, 3L * pingInterval), 100, WEEK_MS),
                integer(r, "max_idle_connections_per_server", 2, 1, 64),
                integer(r, "log_max_rows", 100_000, 100, 10_000_000),
                parseServers(r.sections("servers")),
                parseReplicationHostgroups(r.sections("replication_hostgroups")));
        if (c.threadsMax < c.threadsMin) {
            throw new ConfigException(
                    "monitor.threads_max", c.threadsMax, "an integer from threads_min (" + c.threadsMin + ") to 1024");
        }
        return c;
    }

    private static final List<String> SCALAR_KEYS = List.of(
            "enabled",
            "username",
            "password",
            "connect_interval",
            "connect_timeout",
            "ping_interval",
            "ping_timeout",
            "ping_max_failures",
            "read_only_interval",
            "read_only_timeout",
            "read_only_max_timeout_count",
            "writer_is_also_reader",
            "replication_lag_interval",
            "replication_lag_timeout",
            "slave_lag_when_null",
            "history",
            "threads_min",
            "threads_max",
            "threads_queue_maxsize",
            "idle_connection_timeout",
            "max_idle_connections_per_server",
            "log_max_rows");

    /** {@code mysql-monitor_x} and {@code monitor_x} are {@code x}; null for a key not known. */
    private static String canonicalKey(String given) {
        String key = given.toLowerCase(Locale.ROOT);
        if (key.startsWith("mysql-monitor_")) {
            key = key.substring("mysql-monitor_".length());
        } else if (key.startsWith("monitor_")) {
            key = key.substring("monitor_".length());
        }
        boolean known = SCALAR_KEYS.contains(key) || key.equals("servers") || key.equals("replication_hostgroups");
        return known ? key : null;
    }

    /** An entry's keys, lower case, through {@code aliases}; only {@code allowed} ones. */
    private static Section entry(Section given, Map<String, String> aliases, Set<String> allowed) {
        return given.canonical(
                k -> {
                    String key = k.toLowerCase(Locale.ROOT);
                    key = aliases.getOrDefault(key, key);
                    return allowed.contains(key) ? key : null;
                },
                "one of " + String.join(", ", allowed.stream().sorted().toList()),
                (earlier, key) -> "the key given once");
    }

    private static int integer(Section r, String key, int dflt, int min, int max) {
        return (int) r.integer(key, dflt, min, max);
    }

    private static int required(Section r, String key, int min, int max) {
        if (!r.has(key)) {
            throw new ConfigException(r.key(key), null, "an integer from " + min + " to " + max + " (required)");
        }
        return integer(r, key, 0, min, max);
    }

    private static List<ServerConfig> parseServers(List<Section> entries) {
        List<ServerConfig> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Section given : entries) {
            Section r = entry(
                    given,
                    Map.of("hostgroup_id", "hostgroup", "hostname", "host"),
                    Set.of("hostgroup", "host", "port", "max_replication_lag", "status", "comment"));
            int hostgroup = required(r, "hostgroup", 0, Integer.MAX_VALUE);
            String host = r.string("host", null, "a string");
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(r.key("host"), host, "a host name or IP address");
            }
            int port = integer(r, "port", 3306, 1, 65535);
            int maxLag = integer(r, "max_replication_lag", 0, 0, 126_144_000);
            String st = r.string("status", "ONLINE", "a string").toUpperCase(Locale.ROOT);
            ServerStatus status;
            try {
                status = ServerStatus.valueOf(st);
            } catch (IllegalArgumentException ex) {
                status = null;
            }
            if (status != ServerStatus.ONLINE
                    && status != ServerStatus.OFFLINE_SOFT
                    && status != ServerStatus.OFFLINE_HARD) {
                throw new ConfigException(r.key("status"), st, "ONLINE, OFFLINE_SOFT or OFFLINE_HARD");
            }
            if (!seen.add(hostgroup + "/" + host + ":" + port)) {
                throw new ConfigException(
                        r.path(),
                        host + ":" + port,
                        "a server listed once per hostgroup (hostgroup " + hostgroup + " has it twice)");
            }
            out.add(new ServerConfig(hostgroup, host, port, maxLag, status));
        }
        return out;
    }

    private static List<ReplicationHostgroup> parseReplicationHostgroups(List<Section> entries) {
        List<ReplicationHostgroup> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        for (Section given : entries) {
            Section r = entry(given, Map.of(), Set.of("writer_hostgroup", "reader_hostgroup", "check_type", "comment"));
            int writer = required(r, "writer_hostgroup", 0, Integer.MAX_VALUE);
            int reader = required(r, "reader_hostgroup", 0, Integer.MAX_VALUE);
            if (reader == writer) {
                throw new ConfigException(
                        r.key("reader_hostgroup"), reader, "a hostgroup different from writer_hostgroup");
            }
            if (!used.add(writer) || !used.add(reader)) {
                throw new ConfigException(
                        r.path(), writer + "/" + reader, "hostgroups not used by another replication_hostgroups entry");
            }
            String ct = r.string("check_type", "read_only", "a string");
            ReadOnlyCheckType type = ReadOnlyCheckType.fromName(ct);
            if (type == null) {
                throw new ConfigException(r.key("check_type"), ct, ReadOnlyCheckType.allowedNames());
            }
            out.add(new ReplicationHostgroup(writer, reader, type));
        }
        return out;
    }
}
