package io.mysqlprobe.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Finds and parses the YAML configuration: {@code --config PATH}, then env {@code MYSQL_PROBE_CONFIG},
 * then {@code /etc/mysql-probe/config.yaml} (the ConfigMap mount), else defaults.
 */
public final class ConfigLoader {

    public static final String ENV = "MYSQL_PROBE_CONFIG";
    public static final Path DEFAULT_PATH = Path.of("/etc/mysql-probe/config.yaml");

    private ConfigLoader() {}

    /** The file to read, or null for defaults. An explicitly named file must exist. */
    public static Path locate(String cliPath, Map<String, String> env) {
        if (cliPath != null) {
            return requireFile(Path.of(cliPath), "--config");
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return requireFile(Path.of(fromEnv), ENV);
        }
        return Files.isRegularFile(DEFAULT_PATH) ? DEFAULT_PATH : null;
    }

    /**
     * Decode workers when {@code probe.workers} is not set: one per core beside the capture thread's, at most two. On
     * a 2-core host (server, client and probe sharing it) one worker cost less than two under {@code
     * oltp_read_write}: no partitioned hand-off, one thread's caches (README "Performance").
     */
    static int defaultWorkers() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1));
    }

    private static Path requireFile(Path p, String source) {
        if (!Files.isRegularFile(p)) {
            throw new ConfigException(source + ": \"" + p + "\" is not a readable file");
        }
        return p;
    }

    public static ProbeConfig load(Path file) {
        if (file == null) {
            return parse(Map.of());
        }
        try {
            return parseYaml(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Secrets from the environment (a Kubernetes Secret) override the file, so the ConfigMap holds none. */
    public static final String ENV_ADMIN_TOKEN = "MYSQL_PROBE_ADMIN_TOKEN";

    public static final String ENV_WATCHER_PASSWORD = "MYSQL_PROBE_WATCHER_PASSWORD";
    public static final String ENV_MONITOR_PASSWORD = "MYSQL_PROBE_MONITOR_PASSWORD";

    public static ProbeConfig withEnvironment(ProbeConfig c, Map<String, String> env) {
        String token = env.get(ENV_ADMIN_TOKEN);
        String watcherPassword = env.get(ENV_WATCHER_PASSWORD);
        String monitorPassword = env.get(ENV_MONITOR_PASSWORD);
        ProbeConfig.Auth auth = token != null && !token.isBlank()
                ? new ProbeConfig.Auth(token, c.auth().metrics())
                : c.auth();
        ProbeConfig.Watcher w = c.watcher();
        if (watcherPassword != null) {
            w = new ProbeConfig.Watcher(w.user(), watcherPassword, w.address(), w.dbname(), w.refreshSeconds());
        }
        Map<String, Object> monitor = c.monitor(); // the raw section ProbeConfig keeps for the monitor stage
        if (monitorPassword != null) {
            monitor = new java.util.LinkedHashMap<>(monitor);
            monitor.put("password", monitorPassword);
        }
        return new ProbeConfig(
                c.slave(),
                c.serverPort(),
                c.intervalSeconds(),
                c.slowThresholdMs(),
                c.cluster(),
                c.probe(),
                w,
                c.report(),
                auth,
                monitor,
                c.tls(),
                c.metrics());
    }

    public static ProbeConfig defaults() {
        return parse(Map.of());
    }

    @SuppressWarnings("unchecked")
    public static ProbeConfig parseYaml(String text) {
        Object doc;
        try {
            doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (YAMLException e) {
            throw new ConfigException(
                    "config: not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (doc == null) {
            return parse(Map.of());
        }
        if (!(doc instanceof Map)) {
            throw new ConfigException("config: the top level must be a mapping of keys, found " + doc);
        }
        return parse((Map<String, Object>) doc); // YAML is untyped until a Section reads it
    }

    /** The document as SnakeYAML gives it (a map: YAML is untyped until a {@link Section} reads it). */
    public static ProbeConfig parse(Map<String, Object> root) {
        Section top = new Section("", root);
        top.requireOnly(
                "slave",
                "serverport",
                "interval",
                "slowthresholdms",
                "cluster",
                "probe",
                "watcher",
                "monitor",
                "report",
                "auth",
                "tls",
                "metrics");
        Section cl = top.section("cluster");
        cl.requireOnly("gossip", "group", "port", "slaves", "seeds", "host", "dns_query", "grace_ms", "state_file");
        Section pr = top.section("probe");
        pr.requireOnly(
                "device",
                "port",
                "snappylength",
                "workers",
                "buffer_mb",
                "queue_batches",
                "max_connections",
                "idle_timeout_seconds",
                "immediate_mode",
                "capture_reader");
        Section wa = top.section("watcher");
        wa.requireOnly("uname", "passward", "password", "address", "dbname", "refresh_seconds");
        Section re = top.section("report");
        re.requireOnly("raw_sql", "max_templates", "slow_samples", "backlog");
        Section au = top.section("auth");
        au.requireOnly("token", "metrics");
        Section tl = top.section("tls");
        tl.requireOnly("cert_file", "key_file", "ca_file", "reload_seconds", "verify_hostname");
        String certFile = tl.string("cert_file", null);
        String keyFile = tl.string("key_file", null);
        if ((certFile == null) != (keyFile == null)) {
            String missing = certFile == null ? "tls.cert_file" : "tls.key_file";
            throw new ConfigException(missing + ": missing; tls.cert_file and tls.key_file go together");
        }
        Section me = top.section("metrics");
        me.requireOnly("max_templates", "idle_minutes");

        int snap = (int) pr.integer("snappylength", 0, 0, 262144);
        List<String> devices = pr.list("device", List.of("any"));
        if (devices.isEmpty()) {
            throw new ConfigException("probe.device", "", "one or more device names, e.g. any or lo,eth0");
        }
        String password = wa.string("password", wa.string("passward", null));
        String token = au.string("token", null);
        return new ProbeConfig(
                top.bool("slave", true),
                (int) top.integer("serverport", 8667, 1, 65535),
                top.integer("interval", 10, 1, 3600),
                top.integer("slowthresholdms", 100, 0, 3_600_000),
                new ProbeConfig.Cluster(
                        cl.bool("gossip", false),
                        cl.string("group", "mysql-probe"),
                        (int) cl.integer("port", 0, 0, 65535),
                        cl.list("slaves", List.of()),
                        cl.list("seeds", List.of()),
                        cl.string("host", null),
                        cl.string("dns_query", null),
                        cl.integer("grace_ms", 3000, 0, 3_600_000),
                        cl.string("state_file", null)),
                new ProbeConfig.Probe(
                        devices,
                        (int) pr.integer("port", 3306, 1, 65535),
                        snap == 0 ? 262144 : snap,
                        (int) pr.integer("workers", defaultWorkers(), 1, 64),
                        (int) pr.integer("buffer_mb", 32, 1, 4096),
                        (int) pr.integer("queue_batches", 1024, 16, 1 << 20),
                        (int) pr.integer("max_connections", 65536, 16, 10_000_000),
                        (int) pr.integer("idle_timeout_seconds", 3600, 1, 86400 * 7),
                        pr.bool("immediate_mode", false),
                        "ring".equals(pr.choice("capture_reader", "ring", "ring", "libpcap"))),
                new ProbeConfig.Watcher(
                        wa.string("uname", null), password, wa.string("address", null), wa.string("dbname", null), (int)
                                wa.integer("refresh_seconds", 5, 1, 3600)),
                new ProbeConfig.Report(
                        re.bool("raw_sql", false),
                        (int) re.integer("max_templates", 5000, 10, 1_000_000),
                        (int) re.integer("slow_samples", 10, 0, 1000),
                        (int) re.integer("backlog", 6, 0, 1000)),
                new ProbeConfig.Auth(token == null || token.isBlank() ? null : token, au.bool("metrics", false)),
                top.raw("monitor"),
                new ProbeConfig.Tls(
                        certFile,
                        keyFile,
                        tl.string("ca_file", null),
                        tl.integer("reload_seconds", 60, 1, 86400),
                        tl.bool("verify_hostname", true)),
                new ProbeConfig.Metrics((int) me.integer("max_templates", 200, 1, 100_000), (int)
                        me.integer("idle_minutes", 60, 1, 7 * 24 * 60)));
    }
}
