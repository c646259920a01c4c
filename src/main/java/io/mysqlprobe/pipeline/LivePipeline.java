package io.mysqlprobe.pipeline;

import io.mysqlprobe.aggregate.AggregateSettings;
import io.mysqlprobe.aggregate.Templater;
import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowClock;
import io.mysqlprobe.aggregate.WindowMerge;
import io.mysqlprobe.aggregate.WindowSnapshot;
import io.mysqlprobe.capture.LiveCapture;
import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.protocol.MysqlStreamHandlerFactory;
import io.mysqlprobe.protocol.PreparedStatementLookup;
import io.mysqlprobe.protocol.RowHints;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBuilder;
import io.mysqlprobe.tcp.FlowTable;
import io.mysqlprobe.tcp.SegmentParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The slave pipeline, live: one capture thread per device → {@link Dispatcher} (Mutiny, bounded, drop and
 * count) → {@code probe.workers} {@link Worker}s (TCP, MySQL decode, fingerprint, aggregation) → a report
 * per wall-clock window, published once every worker has handed the window over.
 */
public final class LivePipeline implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LivePipeline.class.getName());
    private static final int MAX_PENDING_BYTES_PER_DIRECTION = 1 << 20;

    private final ProbeConfig config;
    private final Counters counters = new Counters();
    private final WindowClock clock;
    private final Worker[] workers;
    private final ReportBuilder reports;
    private final Consumer<Report> publish;
    private final List<LiveCapture> captures = new ArrayList<>();
    private final List<Dispatcher> dispatchers = new ArrayList<>();
    private final Map<String, String> deviceErrors = new LinkedHashMap<>();
    private volatile AggregateSettings settings;
    private Totals lastUnattributed = Totals.empty();
    private long nextWindowStart;
    private volatile long connectionsGauge;

    LivePipeline(
            ProbeConfig config,
            Templater templater,
            SessionLookup sessions,
            ReportBuilder reports,
            Consumer<Report> publish) {
        this(config, templater, sessions, PreparedStatementLookup.NONE, reports, publish);
    }

    public LivePipeline(
            ProbeConfig config,
            Templater templater,
            SessionLookup sessions,
            PreparedStatementLookup prepared,
            ReportBuilder reports,
            Consumer<Report> publish) {
        this.config = config;
        this.clock = new WindowClock(config.intervalMs());
        this.reports = reports;
        this.publish = publish;
        this.settings = settingsOf(config);
        ProbeConfig.Probe p = config.probe();
        this.workers = new Worker[p.workers()];
        for (int i = 0; i < workers.length; i++) {
            WindowAggregator agg = new WindowAggregator(clock, templater, () -> settings, counters.statements);
            StageCounters own = counters.newStage();
            FlowTable flows = new FlowTable(
                    new MysqlStreamHandlerFactory(agg, own.protocol, sessions, () -> settings.rawSql())
                            .preparedLookup(prepared, graceMs() * 1000 / 2),
                    own.tcp,
                    Math.max(16, p.maxConnections() / workers.length),
                    MAX_PENDING_BYTES_PER_DIRECTION);
            workers[i] = new Worker(
                    i, flows, agg, p.idleTimeoutSeconds() * 1_000_000L, new CounterCut(own, counters.byWindow, clock));
        }
    }

    static AggregateSettings settingsOf(ProbeConfig c) {
        return new AggregateSettings(
                c.slowThresholdMs() * 1000,
                c.report().rawSql(),
                c.report().maxTemplates(),
                c.report().slowSamples(),
                20);
    }

    /** Opens every device; a device that fails is logged and reported by readiness, the others run. */
    public void start(long nowMs) {
        ProbeConfig.Probe p = config.probe();
        nextWindowStart = clock.startOf(nowMs);
        lastUnattributed = counters.unattributedTotals();
        for (String device : p.devices()) {
            StageCounters own = counters.newStage(); // this device's capture thread's
            Dispatcher d = new Dispatcher(
                    new SegmentParser(p.port(), own.tcp, RowHints::walk), // rows walked while in this core's cache
                    workers,
                    p.queueBatches(),
                    own.queueDropped,
                    new CounterCut(own, counters.byWindow, clock));
            try {
                LiveCapture c = LiveCapture.open(
                        device,
                        p.port(),
                        p.snapLength(),
                        p.bufferMb() << 20,
                        p.immediateMode(),
                        p.ringReader(),
                        d,
                        own.capture);
                c.start();
                captures.add(c);
                dispatchers.add(d);
                LOG.info("capturing on " + device + " tcp port " + p.port() + " (" + c.reader() + " reader, buffer "
                        + (c.grantedBufferBytes() >> 20) + " MiB, " + workers.length + " workers)");
            } catch (Exception | UnsatisfiedLinkError e) {
                d.complete();
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                deviceErrors.put(device, why);
                LOG.severe("cannot capture on " + device + ": " + why
                        + " (needs root or CAP_NET_RAW+CAP_NET_ADMIN, and libpcap0.8)");
            }
        }
    }

    public Map<String, String> deviceErrors() {
        return deviceErrors;
    }

    public List<String> openDevices() {
        return captures.stream()
                .filter(LiveCapture::running)
                .map(LiveCapture::device)
                .toList();
    }

    public boolean alive() {
        for (Worker w : workers) {
            if (!w.alive()) {
                return false;
            }
        }
        return captures.stream().allMatch(LiveCapture::running);
    }

    public Counters counters() {
        return counters;
    }

    /** Connections tracked by all workers; answers 0 rather than wait when a worker is busy. */
    public long connectionsNow() {
        return connectionsGauge;
    }

    public WindowClock clock() {
        return clock;
    }

    public void updateSettings(ProbeConfig c) {
        settings = settingsOf(c);
    }

    long graceMs() {
        return Math.min(1000, clock.intervalMs() / 4);
    }

    /** Publishes every window that ended at least the grace period before {@code nowMs}. */
    public synchronized void tick(long nowMs) {
        long end = clock.endOf(nextWindowStart);
        while (nowMs >= end + graceMs()) {
            publishUpTo(end);
            end = clock.endOf(nextWindowStart);
        }
    }

    private Report publishUpTo(long cutoffMs) {
        List<CompletableFuture<List<WindowSnapshot>>> parts = new ArrayList<>();
        for (Worker w : workers) {
            parts.add(w.drainBefore(cutoffMs));
        }
        List<WindowSnapshot> drained = new ArrayList<>();
        for (CompletableFuture<List<WindowSnapshot>> f : parts) {
            drained.addAll(join(f, List.of()));
        }
        long start = nextWindowStart;
        long end = clock.endOf(start);
        AggregateSettings s = settings; // normally one window per worker; older ones are folded in
        WindowSnapshot window = WindowMerge.merge(start, end, drained, s.maxSlowSamples(), s.maxNames());
        // by packet time: what every thread cut into this window (and late cuts of windows already published);
        // without a packet time (pcap_stats drops, counters off the packet path): the change since the last report
        Totals now = counters.unattributedTotals();
        Totals counts = counters.byWindow.takeBefore(Math.max(cutoffMs, end)).plus(now.minus(lastUnattributed));
        lastUnattributed = now;
        connectionsGauge = connections();
        Report report = reports.build(
                start,
                end,
                window,
                Counters.section(
                        counts,
                        window.aggregatedStatements(),
                        connectionsGauge,
                        window.lateStatements(),
                        window.overflowedStatements()));
        publish.accept(report);
        nextWindowStart = end;
        return report;
    }

    private long connections() {
        long n = 0;
        for (Worker w : workers) {
            n += join(w.connections(), 0);
        }
        return n;
    }

    private static <T> T join(CompletableFuture<T> f, T fallback) {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warning("a decode worker did not answer in 5 s: " + e);
            return fallback;
        }
    }

    /** Stops capture and publishes the partial window in progress, so a shutdown loses nothing counted. */
    @Override
    public synchronized void close() {
        captures.forEach(LiveCapture::close);
        dispatchers.forEach(Dispatcher::complete);
        for (Worker w : workers) {
            join(w.releaseHeld(), null);
            join(w.closeFlows(), null); // commands in flight become incomplete statements
        }
        Report last = publishUpTo(Long.MAX_VALUE);
        LOG.info("capture stopped; published the partial window from "
                + last.window().startMs() + " with " + last.capture().statements() + " statements");
        for (Worker w : workers) {
            w.close();
        }
    }
}
