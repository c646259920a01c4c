package io.mysqlprobe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.mysqlprobe.monitor.HostgroupManager.ReadOnlyTarget;
import io.mysqlprobe.monitor.LogRows.ConnectLogRow;
import io.mysqlprobe.monitor.LogRows.PingLogRow;
import io.mysqlprobe.monitor.LogRows.ReadOnlyLogRow;
import io.mysqlprobe.monitor.LogRows.ReplicationLagLogRow;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Monitor module without CDI: configuration, the four producers, the worker pool, the connection pool,
 * the log tables and the hostgroup manager, wired together. {@link #apply} starts it and changes it live;
 * {@link #stop} ends every thread and connection it owns. Logs and server states stay readable after stop.
 */
public final class MonitorEngine implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(MonitorEngine.class.getName());

    /** Thread and queue figures for {@code /monitor/servers}. */
    public record Threads(
            @JsonProperty("running") boolean running,
            @JsonProperty("pool") WorkerPool.Stats pool,
            @JsonProperty("connections") ConnectionPool.Stats connections,
            @JsonProperty("checks_skipped_in_flight") long skipped,
            @JsonProperty("checks_dropped_queue_full") long dropped,
            @JsonProperty("check_start_drift_p50_us") long driftP50Us,
            @JsonProperty("check_start_drift_p99_us") long driftP99Us) {}

    private final List<Consumer<MonitorEvent>> listeners = new CopyOnWriteArrayList<>();
    private final HostgroupManager manager;
    private final LogTable<ConnectLogRow> connectLog = new LogTable<>("mysql_server_connect_log", 100_000);
    private final LogTable<PingLogRow> pingLog = new LogTable<>("mysql_server_ping_log", 100_000);
    private final LogTable<ReadOnlyLogRow> readOnlyLog = new LogTable<>("mysql_server_read_only_log", 100_000);
    private final LogTable<ReplicationLagLogRow> replicationLagLog =
            new LogTable<>("mysql_server_replication_lag_log", 100_000);
    private final DriftStats drift = new DriftStats(1 << 16);
    private final ConnectionPool pool = new ConnectionPool();
    private volatile MonitorConfig config = MonitorConfig.defaults();
    private volatile long tempWorkerRetireMs = 1000;

    private WorkerPool workers;
    private ScheduledThreadPoolExecutor timer;
    private Checks checks;
    private List<CheckProducer<?>> producers = List.of();

    public MonitorEngine() {
        this.manager = new HostgroupManager(this::publish, System::currentTimeMillis);
    }

    public void addListener(Consumer<MonitorEvent> listener) {
        listeners.add(listener);
    }

    private void publish(MonitorEvent e) {
        LOG.info("monitor: " + e);
        for (Consumer<MonitorEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "monitor event listener failed", ex);
            }
        }
    }

    /** For tests: how long a temporary worker waits on an empty queue before it retires. */
    void setTempWorkerRetireMs(long ms) {
        this.tempWorkerRetireMs = ms;
    }

    /** First call starts (when enabled); later calls change intervals, servers and hostgroups live. */
    public synchronized void apply(MonitorConfig c) {
        MonitorConfig old = config;
        config = c;
        manager.configure(c);
        for (LogTable<?> t : List.of(connectLog, pingLog, readOnlyLog, replicationLagLog)) {
            t.setMaxRows(c.logMaxRows());
        }
        if (!c.enabled()) {
            stopThreads();
            return;
        }
        if (!Objects.equals(old.username(), c.username())
                || !Objects.equals(old.password(), c.password())
                || old.pingInterval() != c.pingInterval()) {
            pool.retain(null); // new credentials or wait_timeout: reconnect
        } else {
            pool.retain(new HashSet<>(manager.pingTargets()));
        }
        if (workers == null) {
            startThreads(c);
        } else {
            workers.resize(c.threadsMin(), c.threadsMax(), c.threadsQueueMaxsize());
            producers.forEach(CheckProducer::wake);
        }
    }

    private void startThreads(MonitorConfig c) {
        pool.setAccepting(true);
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "monitor-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleWithFixedDelay(this::housekeeping, 1000, 1000, TimeUnit.MILLISECONDS);
        workers = new WorkerPool(
                "monitor-worker", c.threadsMin(), c.threadsMax(), c.threadsQueueMaxsize(), tempWorkerRetireMs);
        checks = new Checks(pool, timer);
        CheckProducer<Endpoint> connect = new CheckProducer<>(
                "monitor-connect",
                manager::pingTargets,
                manager::version,
                () -> config.connectInterval(),
                workers,
                this::runConnect);
        CheckProducer<Endpoint> ping = new CheckProducer<>(
                "monitor-ping",
                manager::pingTargets,
                manager::version,
                () -> config.pingInterval(),
                workers,
                this::runPing);
        CheckProducer<ReadOnlyTarget> readOnly = new CheckProducer<>(
                "monitor-read-only",
                manager::readOnlyTargets,
                manager::version,
                () -> config.readOnlyInterval(),
                workers,
                this::runReadOnly);
        CheckProducer<Endpoint> lag = new CheckProducer<>(
                "monitor-replication-lag",
                manager::replicationLagTargets,
                manager::version,
                () -> config.replicationLagInterval(),
                workers,
                this::runReplicationLag);
        producers = List.of(connect, ping, readOnly, lag);
        producers.forEach(CheckProducer::start);
        LOG.info("monitor started: " + manager.snapshot().size() + " servers");
    }

    private void stopThreads() {
        if (workers == null) {
            return;
        }
        for (CheckProducer<?> p : producers) {
            try {
                p.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producers = List.of();
        workers.shutdown();
        workers = null;
        timer.shutdownNow();
        timer = null;
        pool.setAccepting(false);
        pool.retain(null);
        LOG.info("monitor stopped");
    }

    /** Stops every thread and closes every connection. Idempotent. */
    public synchronized void stop() {
        stopThreads();
    }

    @Override
    public void close() {
        stop();
    }

    // ---------------------------------------------------------------- check bodies (worker threads)

    private void started(long dueNanos) {
        drift.add(Math.max(0, (System.nanoTime() - dueNanos) / 1000));
    }

    private void runConnect(Endpoint ep, long dueNanos) {
        started(dueNanos);
        Checks.Outcome o = checks.connect(ep, config);
        connectLog.add(new ConnectLogRow(ep.hostname(), ep.port(), o.timeStartUs(), o.successTimeUs(), o.error()));
    }

    private void runPing(Endpoint ep, long dueNanos) {
        started(dueNanos);
        Checks.Outcome o = checks.ping(ep, config);
        pingLog.add(new PingLogRow(ep.hostname(), ep.port(), o.timeStartUs(), o.successTimeUs(), o.error()));
        manager.onPing(ep, o.ok());
    }

    private void runReadOnly(ReadOnlyTarget t, long dueNanos) {
        started(dueNanos);
        Endpoint ep = t.endpoint();
        Checks.Outcome o = checks.readOnly(ep, t.checkType(), config);
        readOnlyLog.add(
                new ReadOnlyLogRow(ep.hostname(), ep.port(), o.timeStartUs(), o.successTimeUs(), o.value(), o.error()));
        manager.onReadOnly(ep, t.checkType(), o.value(), o.timedOut());
    }

    private void runReplicationLag(Endpoint ep, long dueNanos) {
        started(dueNanos);
        Checks.Outcome o = checks.replicationLag(ep, config);
        replicationLagLog.add(new ReplicationLagLogRow(
                ep.hostname(), ep.port(), o.timeStartUs(), o.successTimeUs(), o.value(), o.error()));
        manager.onReplicationLag(ep, o.value());
    }

    /** Every second: purge the logs past history, close idle connections. */
    private void housekeeping() {
        try {
            purgeLogs(Checks.nowUs());
            MonitorConfig c = config;
            pool.closeIdle(c.idleConnectionTimeout() * 1_000_000L);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "monitor housekeeping failed", e);
        }
    }

    /** Drops rows older than the effective history, relative to {@code nowUs}; returns how many. */
    int purgeLogs(long nowUs) {
        long cutoff = nowUs - config.effectiveHistoryMs() * 1000;
        return connectLog.purgeOlderThan(cutoff)
                + pingLog.purgeOlderThan(cutoff)
                + readOnlyLog.purgeOlderThan(cutoff)
                + replicationLagLog.purgeOlderThan(cutoff);
    }

    // ---------------------------------------------------------------- accessors

    public MonitorConfig config() {
        return config;
    }

    public HostgroupManager manager() {
        return manager;
    }

    public List<HostgroupManager.ServerView> servers() {
        return manager.snapshot();
    }

    public LogTable<ConnectLogRow> connectLog() {
        return connectLog;
    }

    public LogTable<PingLogRow> pingLog() {
        return pingLog;
    }

    public LogTable<ReadOnlyLogRow> readOnlyLog() {
        return readOnlyLog;
    }

    public LogTable<ReplicationLagLogRow> replicationLagLog() {
        return replicationLagLog;
    }

    public synchronized Threads threads() {
        WorkerPool w = workers;
        long skipped = 0;
        long dropped = 0;
        for (CheckProducer<?> p : producers) {
            skipped += p.skipped();
            dropped += p.dropped();
        }
        return new Threads(
                w != null,
                w == null ? new WorkerPool.Stats(0, 0, 0, 0, 0, 0, 0) : w.stats(),
                pool.stats(),
                skipped,
                dropped,
                drift.percentile(50),
                drift.percentile(99));
    }

    /** For benchmarks: forget the drift samples so far. */
    public void resetDrift() {
        drift.clear();
    }
}
