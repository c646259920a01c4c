package io.mysqlprobe.config;

import java.util.List;
import java.util.Map;

/**
 * The whole configuration, in the seed's YAML shape (see README "Configuration").
 *
 * @param slave           true: capture and report (slave); false: master candidate (cluster modes)
 * @param serverPort      HTTP/websocket port ({@code serverport})
 * @param intervalSeconds report window ({@code interval}); {@code /config/update?report_period_ms} changes it live
 * @param slowThresholdMs statements slower than this are kept as slow samples ({@code slowthresholdms})
 * @param monitor         the raw {@code monitor:} section, parsed by the monitor stage
 * @param tls             HTTPS/WSS on {@code serverport} and the CA that verifies peers ({@code tls.*})
 * @param metrics         the per-template Prometheus series ({@code metrics:})
 */
public record ProbeConfig(
        boolean slave,
        int serverPort,
        long intervalSeconds,
        long slowThresholdMs,
        Cluster cluster,
        Probe probe,
        Watcher watcher,
        Report report,
        Auth auth,
        Map<String, Object> monitor, // a map: the monitor stage reads its own section (MonitorConfig.parse)
        Tls tls,
        Metrics metrics) {

    /**
     * @param gossip    gossip mode (JGroups membership, master lock); false: static mode when {@code slave: false}
     * @param group     cluster name ({@code cluster.group})
     * @param port      JGroups TCP port ({@code cluster.port}; 0 = random)
     * @param slaves    static mode: slaves' HTTP addresses (host:port) a master subscribes to at start
     * @param seeds     gossip mode: other members' gossip addresses (host:port) for TCPPING discovery
     * @param host      address this node binds JGroups to and advertises for HTTP ({@code cluster.host};
     *                  default: the host's address)
     * @param dnsQuery  gossip mode: DNS name of a headless Service listing members (DNS_PING), or null
     * @param graceMs   a master publishes a window this long after its end even if a live slave has not
     *                  delivered it ({@code cluster.grace_ms}); later data is counted as late
     * @param stateFile static mode: where joins/removes are persisted ({@code cluster.state_file}; default:
     *                  beside the config file)
     */
    public record Cluster(
            boolean gossip,
            String group,
            int port,
            List<String> slaves,
            List<String> seeds,
            String host,
            String dnsQuery,
            long graceMs,
            String stateFile) {

        public Cluster withSlaves(List<String> newSlaves) {
            return new Cluster(gossip, group, port, newSlaves, seeds, host, dnsQuery, graceMs, stateFile);
        }
    }

    /**
     * @param devices      capture devices ({@code probe.device}, comma separated; {@code any} = all)
     * @param port         MySQL server port to capture ({@code probe.port})
     * @param snapLength   pcap snaplen ({@code probe.snappylength}; 0 → 262144)
     * @param workers      decode workers ({@code probe.workers})
     * @param bufferMb     kernel capture buffer; halved until the kernel accepts it
     * @param queueBatches per-worker queue bound, in batches; a full queue drops and counts
     * @param maxConnections flow-table bound; the least recently active flow is evicted past it
     * @param idleTimeoutSeconds connections silent this long are evicted
     * @param immediateMode pcap immediate mode: each packet handed over at once (more wake-ups, more CPU);
     *                      off, the kernel delivers in blocks within 20 ms. Timestamps are the kernel's either way.
     * @param ringReader   {@code probe.capture_reader: ring} (default): the probe reads the kernel's packet ring
     *                     itself where it can; {@code libpcap}: always through libpcap
     */
    public record Probe(
            List<String> devices,
            int port,
            int snapLength,
            int workers,
            int bufferMb,
            int queueBatches,
            int maxConnections,
            int idleTimeoutSeconds,
            boolean immediateMode,
            boolean ringReader) {}

    public record Watcher(String user, String password, String address, String dbname, int refreshSeconds) {
        public boolean enabled() {
            return user != null && address != null;
        }
    }

    /**
     * @param rawSql       keep literal values in {@code sample}/{@code slow[].sql} (off: redacted)
     * @param maxTemplates distinct templates per window before the overflow bucket
     * @param slowSamples  slow samples kept per template and window
     * @param backlog      windows kept for {@code /collector?since=}
     */
    public record Report(boolean rawSql, int maxTemplates, int slowSamples, int backlog) {}

    /**
     * @param token   needed by every read of query or topology data and by every change (README "Security");
     *                null: reads are open and only loopback callers may change the node
     * @param metrics {@code /q/metrics} needs the token too ({@code auth.metrics}; default false: scrapers
     *                read it without one)
     */
    public record Auth(String token, boolean metrics) {
        public Auth(String token) {
            this(token, false);
        }
    }

    /**
     * @param certFile      PEM certificate (chain) served on {@code serverport} ({@code tls.cert_file}); null: plain HTTP
     * @param keyFile       its PEM private key ({@code tls.key_file})
     * @param caFile        PEM CA bundle a master, a standby or {@code tail} trusts for the nodes it connects to
     *                      ({@code tls.ca_file}); null: the JVM's default trust store
     * @param reloadSeconds how often the certificate files are re-read, so a rotated certificate is served
     *                      without a restart ({@code tls.reload_seconds})
     * @param verifyHostname peers' certificates must name the address dialled ({@code tls.verify_hostname});
     *                      false: signed by {@code caFile} is enough (slaves on host networks)
     */
    public record Tls(String certFile, String keyFile, String caFile, long reloadSeconds, boolean verifyHostname) {
        public static final Tls NONE = new Tls(null, null, null, 60, true);

        /** This node serves HTTPS/WSS only. */
        public boolean serving() {
            return certFile != null;
        }

        /** This node talks to its peers over TLS (it serves TLS itself or was given a CA for them). */
        public boolean peers() {
            return certFile != null || caFile != null;
        }
    }

    /**
     * @param maxTemplates templates (per server and schema) with their own series on {@code /q/metrics}; the
     *                     rest are summed under {@code template_id="other"} ({@code metrics.max_templates})
     * @param idleMinutes  a template without statements this long gives its series and place up
     *                     ({@code metrics.idle_minutes})
     */
    public record Metrics(int maxTemplates, int idleMinutes) {}

    public long intervalMs() {
        return intervalSeconds * 1000;
    }

    public ProbeConfig withIntervalMs(long ms) {
        return new ProbeConfig(
                slave,
                serverPort,
                ms / 1000,
                slowThresholdMs,
                cluster,
                probe,
                watcher,
                report,
                auth,
                monitor,
                tls,
                metrics);
    }

    public ProbeConfig withSlowThresholdMs(long ms) {
        return new ProbeConfig(
                slave, serverPort, intervalSeconds, ms, cluster, probe, watcher, report, auth, monitor, tls, metrics);
    }
}
