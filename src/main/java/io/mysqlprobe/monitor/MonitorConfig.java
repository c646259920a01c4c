package io.mysqlprobe.monitor;

import io.mysqlprobe.config.ConfigException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
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

    /** Parses the {@code monitor:} subtree as SnakeYAML gives it; null means all defaults. */
    public static MonitorConfig parse(Map<String, Object> section) {
        Map<String, Object> raw = canonicalKeys(section == null ? Map.of() : section);
        Reader r = new Reader(raw);
        int pingInterval = r.integer("ping_interval", 8000, 100, WEEK_MS);
        MonitorConfig c = new MonitorConfig(
                r.bool("enabled", false),
                r.string("username", "monitor"),
                r.string("password", "monitor"),
                r.integer("connect_interval", 120_000, 100, WEEK_MS),
                r.integer("connect_timeout", 600, 100, 600_000),
                pingInterval,
                r.integer("ping_timeout", 1000, 100, 600_000),
                r.integer("ping_max_failures", 3, 1, 1_000_000),
                r.integer("read_only_interval", 1000, 100, WEEK_MS),
                r.integer("read_only_timeout", 800, 100, 600_000),
                r.integer("read_only_max_timeout_count", 3, 1, 1_000_000),
                r.bool("writer_is_also_reader", true),
                r.integer("replication_lag_interval", 10_000, 100, WEEK_MS),
                r.integer("replication_lag_timeout", 1000, 100, 600_000),
                r.integer("slave_lag_when_null", 60, 0, 604_800),
                r.integer("history", 600_000, 1000, WEEK_MS),
                r.integer("threads_min", 8, 2, 256),
                r.integer("threads_max", 128, 4, 1024),
                r.integer("threads_queue_maxsize", 128, 16, 1024),
                r.integer("idle_connection_timeout", (int) Math.min(WEEK_MS, 3L * pingInterval), 100, WEEK_MS),
                r.integer("max_idle_connections_per_server", 2, 1, 64),
                r.integer("log_max_rows", 100_000, 100, 10_000_000),
                parseServers(raw.get("servers")),
                parseReplicationHostgroups(raw.get("replication_hostgroups")));
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

    /** Maps {@code mysql-monitor_x} and {@code monitor_x} to {@code x}; rejects unknown and duplicate keys. */
    private static Map<String, Object> canonicalKeys(Map<String, Object> section) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, String> spelledAs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : section.entrySet()) {
            String given = String.valueOf(e.getKey());
            String key = given.toLowerCase(Locale.ROOT);
            if (key.startsWith("mysql-monitor_")) {
                key = key.substring("mysql-monitor_".length());
            } else if (key.startsWith("monitor_")) {
                key = key.substring("monitor_".length());
            }
            boolean known = SCALAR_KEYS.contains(key) || key.equals("servers") || key.equals("replication_hostgroups");
            if (!known) {
                throw new ConfigException(
                        "monitor." + given,
                        e.getValue(),
                        "a known key: " + String.join(", ", SCALAR_KEYS) + ", servers, replication_hostgroups"
                                + " (optionally spelled mysql-monitor_<key>)");
            }
            if (spelledAs.containsKey(key)) {
                throw new ConfigException(
                        "monitor." + given,
                        e.getValue(),
                        "no duplicate: monitor." + spelledAs.get(key) + " already sets " + key);
            }
            spelledAs.put(key, given);
            out.put(key, e.getValue());
        }
        return out;
    }

    private static List<ServerConfig> parseServers(Object value) {
        List<ServerConfig> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int i = 0;
        for (Map<String, Object> m : listOfMaps("monitor.servers", value)) {
            String prefix = "monitor.servers[" + i++ + "]";
            Reader r = new Reader(
                    m,
                    prefix,
                    Map.of("hostgroup_id", "hostgroup", "hostname", "host"),
                    Set.of("hostgroup", "host", "port", "max_replication_lag", "status", "comment"));
            int hostgroup = r.required("hostgroup", 0, Integer.MAX_VALUE);
            String host = r.string("host", null);
            if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new ConfigException(prefix + ".host", host, "a host name or IP address");
            }
            int port = r.integer("port", 3306, 1, 65535);
            int maxLag = r.integer("max_replication_lag", 0, 0, 126_144_000);
            String st = r.string("status", "ONLINE").toUpperCase(Locale.ROOT);
            ServerStatus status;
            try {
                status = ServerStatus.valueOf(st);
            } catch (IllegalArgumentException ex) {
                status = null;
            }
            if (status != ServerStatus.ONLINE
                    && status != ServerStatus.OFFLINE_SOFT
                    && status != ServerStatus.OFFLINE_HARD) {
                throw new ConfigException(prefix + ".status", st, "ONLINE, OFFLINE_SOFT or OFFLINE_HARD");
            }
            if (!seen.add(hostgroup + "/" + host + ":" + port)) {
                throw new ConfigException(
                        prefix,
                        host + ":" + port,
                        "a server listed once per hostgroup (hostgroup " + hostgroup + " has it twice)");
            }
            out.add(new ServerConfig(hostgroup, host, port, maxLag, status));
        }
        return out;
    }

    private static List<ReplicationHostgroup> parseReplicationHostgroups(Object value) {
        List<ReplicationHostgroup> out = new ArrayList<>();
        Set<Integer> used = new HashSet<>();
        int i = 0;
        for (Map<String, Object> m : listOfMaps("monitor.replication_hostgroups", value)) {
            String prefix = "monitor.replication_hostgroups[" + i++ + "]";
            Reader r = new Reader(
                    m, prefix, Map.of(), Set.of("writer_hostgroup", "reader_hostgroup", "check_type", "comment"));
            int writer = r.required("writer_hostgroup", 0, Integer.MAX_VALUE);
            int reader = r.required("reader_hostgroup", 0, Integer.MAX_VALUE);
            if (reader == writer) {
                throw new ConfigException(
                        prefix + ".reader_hostgroup", reader, "a hostgroup different from writer_hostgroup");
            }
            if (!used.add(writer) || !used.add(reader)) {
                throw new ConfigException(
                        prefix, writer + "/" + reader, "hostgroups not used by another replication_hostgroups entry");
            }
            String ct = r.string("check_type", "read_only");
            ReadOnlyCheckType type = ReadOnlyCheckType.fromName(ct);
            if (type == null) {
                throw new ConfigException(prefix + ".check_type", ct, ReadOnlyCheckType.allowedNames());
            }
            out.add(new ReplicationHostgroup(writer, reader, type));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(String key, Object value) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new ConfigException(key, value, "a list of mappings");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new ConfigException(key + "[" + i + "]", list.get(i), "a mapping");
            }
            out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** Typed reads with one-line errors naming {@code prefix.key}. */
    private static final class Reader {
        private final Map<String, Object> map;
        private final String prefix;

        Reader(Map<String, Object> map) {
            this.map = map;
            this.prefix = "monitor";
        }

        Reader(Map<String, Object> given, String prefix, Map<String, String> aliases, Set<String> allowed) {
            this.prefix = prefix;
            this.map = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : given.entrySet()) {
                String k = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
                k = aliases.getOrDefault(k, k);
                if (!allowed.contains(k)) {
                    throw new ConfigException(
                            prefix + "." + e.getKey(),
                            e.getValue(),
                            "one of "
                                    + String.join(
                                            ", ", allowed.stream().sorted().toList()));
                }
                if (map.put(k, e.getValue()) != null) {
                    throw new ConfigException(prefix + "." + e.getKey(), e.getValue(), "the key given once");
                }
            }
        }

        int required(String key, int min, int max) {
            if (map.get(key) == null) {
                throw new ConfigException(
                        prefix + "." + key, null, "an integer from " + min + " to " + max + " (required)");
            }
            return integer(key, 0, min, max);
        }

        int integer(String key, int dflt, int min, int max) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            long n;
            if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
                n = ((Number) v).longValue();
            } else if (v instanceof String s && s.trim().matches("-?\\d{1,18}")) {
                n = Long.parseLong(s.trim());
            } else {
                throw new ConfigException(prefix + "." + key, v, "an integer from " + min + " to " + max);
            }
            if (n < min || n > max) {
                throw new ConfigException(prefix + "." + key, v, "an integer from " + min + " to " + max);
            }
            return (int) n;
        }

        boolean bool(String key, boolean dflt) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
            switch (s) {
                case "true", "1", "yes", "on":
                    return true;
                case "false", "0", "no", "off":
                    return false;
                default:
                    throw new ConfigException(prefix + "." + key, v, "true or false");
            }
        }

        String string(String key, String dflt) {
            Object v = map.get(key);
            if (v == null) {
                return dflt;
            }
            if (v instanceof Map || v instanceof List) {
                throw new ConfigException(prefix + "." + key, v, "a string");
            }
            return String.valueOf(v);
        }
    }
}
