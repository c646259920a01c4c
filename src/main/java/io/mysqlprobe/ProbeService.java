package io.mysqlprobe;

import io.micrometer.core.instrument.MeterRegistry;
import io.mysqlprobe.aggregate.SqlTemplater;
import io.mysqlprobe.config.ConfigDiff;
import io.mysqlprobe.config.ConfigWatcher;
import io.mysqlprobe.config.ProbeConfig;
import io.mysqlprobe.config.ProbeConfigChanged;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.metrics.TemplateSeries;
import io.mysqlprobe.monitor.MonitorConfig;
import io.mysqlprobe.monitor.MonitorEvent;
import io.mysqlprobe.monitor.MonitorService;
import io.mysqlprobe.pipeline.LivePipeline;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.pipeline.ProbeMetrics;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.mysqlprobe.protocol.PreparedStatementLookup;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBacklog;
import io.mysqlprobe.report.ReportBuilder;
import io.mysqlprobe.watcher.ProcesslistWatcher;
import io.mysqlprobe.watcher.WatcherState;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Wires the slave pipeline into the running service: start, window ticks, live settings, shutdown. */
@ApplicationScoped
public class ProbeService implements PipelineView {

    private static final Logger LOG = Logger.getLogger(ProbeService.class.getName());
    private static final long TICK_MS = 100;

    private final ProbeSettings settings;
    private final ReportBacklog backlog;
    private final String node;
    private volatile LivePipeline pipeline;
    private volatile boolean started;
    private ScheduledExecutorService ticker;
    private ProcesslistWatcher watcher;
    private ConfigWatcher configWatcher;
    private volatile java.util.function.Supplier<String> roleSource;

    private final ProbeMetrics metrics;

    private final MonitorService monitor;

    @jakarta.inject.Inject
    jakarta.enterprise.event.Event<ProbeConfigChanged> configChanged;

    private final java.util.ArrayDeque<MonitorEvent.InWindow> monitorEvents = new java.util.ArrayDeque<>();
    private static final int MAX_MONITOR_EVENTS_PER_WINDOW = 1000;

    public ProbeService(ProbeSettings settings, MeterRegistry registry, MonitorService monitor) {
        this.settings = settings;
        this.monitor = monitor;
        this.metrics = new ProbeMetrics(registry);
        this.backlog = new ReportBacklog(settings.get().report().backlog());
        this.node = nodeName(settings.get());
    }

    private static String nodeName(ProbeConfig c) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "localhost";
        }
        return host + ":" + c.serverPort();
    }

    void onStart(@Observes StartupEvent ev) {
        ProbeConfig c = settings.get();
        monitor.addListener(this::onMonitorEvent);
        metrics.bindMonitor(monitor);
        bindTemplateSeries(c);
        monitor.apply(MonitorConfig.parse(c.monitor()));
        if (c.slave()) {
            ReportBuilder builder = new ReportBuilder(
                    node, "slave", c.cluster().gossip() ? c.cluster().group() : "standalone");
            SessionLookup sessions = SessionLookup.NONE;
            PreparedStatementLookup prepared = PreparedStatementLookup.NONE;
            if (c.watcher().enabled()) {
                ProbeConfig.Watcher w = c.watcher();
                watcher = new ProcesslistWatcher(
                        w.address(), w.user(), w.password(), w.dbname(), w.refreshSeconds() * 1000L);
                watcher.start();
                sessions = watcher;
                prepared = watcher.preparedStatements();
            }
            LivePipeline p =
                    new LivePipeline(c, new SqlTemplater(new Fingerprinter()), sessions, prepared, builder, r -> {
                        Report withMonitor = withMonitor(r);
                        backlog.publish(withMonitor);
                        metrics.windowPublished(withMonitor, System.currentTimeMillis());
                    });
            metrics.bind(p.counters(), p::connectionsNow);
            p.start(System.currentTimeMillis());
            pipeline = p;
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "report-ticker");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        } else {
            LOG.info("slave: false: master candidate; the cluster package merges slaves' reports");
        }
        if (settings.file() != null) {
            configWatcher = new ConfigWatcher(
                    settings.file(),
                    c,
                    2000,
                    System.getenv(),
                    next -> MonitorConfig.parse(next.monitor()),
                    this::onConfigFileChange);
            configWatcher.start();
        }
        started = true;
    }

    /** Per-template series on /q/metrics, built from every window this node publishes (its own or merged). */
    private void bindTemplateSeries(ProbeConfig c) {
        TemplateSeries series =
                new TemplateSeries(c.metrics().maxTemplates(), c.metrics().idleMinutes() * 60_000L);
        if (metrics.bindTemplates(series)) {
            backlog.stream().subscribe().with(r -> {
                try {
                    series.record(r);
                } catch (RuntimeException e) { // one bad window must not end the exporter's subscription
                    LOG.warning("per-template series: window " + r.window().startMs() + " not recorded: " + e);
                }
            });
        } else {
            LOG.warning("no Prometheus registry: per-template series are not exported");
        }
    }

    /** The config file changed and parsed: apply what can be applied live, name what needs a restart. */
    void onConfigFileChange(ProbeConfig before, ProbeConfig next) {
        ConfigDiff diff = ConfigDiff.between(before, next);
        for (String key : diff.restartRequired()) {
            LOG.warning("restart required: " + key + " (the running value stays until then)");
        }
        ProbeConfig running = settings.get();
        ProbeConfig effective = ConfigDiff.applyLive(running, next);
        settings.set(effective);
        LivePipeline p = pipeline;
        if (p != null) {
            p.updateSettings(effective);
            if (effective.intervalMs() != running.intervalMs()) {
                p.clock().changeInterval(effective.intervalMs(), System.currentTimeMillis());
            }
        }
        configChanged.fire(new ProbeConfigChanged(running, effective));
        if (diff.live().contains("monitor")) {
            monitor.apply(MonitorConfig.parse(effective.monitor()));
        }
        if (!diff.live().isEmpty()) {
            LOG.info("configuration applied live: " + String.join(", ", diff.live()));
        }
    }

    private void tick() {
        try {
            LivePipeline p = pipeline;
            if (p != null) {
                p.tick(System.currentTimeMillis());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "report window failed; next tick retries", e);
        }
    }

    /**
     * SIGTERM starts Quarkus' shutdown delay (quarkus.shutdown.delay): the HTTP server still serves, so the
     * partial window published now reaches the websocket subscribers before anything closes.
     */
    void onShutdownDelay(
            @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION) ShutdownDelayInitiatedEvent ev) {
        stopPipeline();
    }

    void onStop(@Observes ShutdownEvent ev) {
        stopPipeline();
    }

    private synchronized void stopPipeline() {
        if (configWatcher != null) {
            configWatcher.close();
        }
        if (ticker != null) {
            ticker.shutdownNow();
        }
        LivePipeline p = pipeline;
        pipeline = null;
        if (p != null) {
            p.close(); // publishes the partial window to subscribers
        }
        if (watcher != null) {
            watcher.close();
        }
    }

    private void onMonitorEvent(MonitorEvent e) {
        synchronized (monitorEvents) {
            if (monitorEvents.size() >= MAX_MONITOR_EVENTS_PER_WINDOW) {
                monitorEvents.removeFirst();
            }
            monitorEvents.addLast(MonitorEvent.InWindow.of(e));
        }
    }

    /** The report with the backend monitor's server states and the events of the window, when it runs. */
    private Report withMonitor(Report r) {
        MonitorConfig mc = monitor.config();
        if (mc == null || !mc.enabled()) {
            return r;
        }
        List<MonitorEvent.InWindow> events;
        synchronized (monitorEvents) {
            events = List.copyOf(monitorEvents);
            monitorEvents.clear();
        }
        return new Report(
                r.node(),
                r.role(),
                r.cluster(),
                r.window(),
                r.capture(),
                r.templates(),
                r.sources(),
                Map.of("servers", monitor.servers(), "events", events));
    }

    /** The processlist watcher's state, or null when no watcher is configured. */
    @Override
    public WatcherState watcherState() {
        ProcesslistWatcher w = watcher;
        if (w == null) {
            return null;
        }
        return WatcherState.of(w);
    }

    @Override
    public ReportBacklog backlog() {
        return backlog;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public String role() {
        java.util.function.Supplier<String> s = roleSource;
        return s != null ? s.get() : settings.get().slave() ? "slave" : "master";
    }

    /** The cluster package says what this node is (slave, master or standby). */
    @Override
    public void setRoleSource(java.util.function.Supplier<String> source) {
        this.roleSource = source;
    }

    @Override
    public boolean started() {
        return started;
    }

    /** Capture threads and decode workers are running (liveness). */
    @Override
    public boolean alive() {
        LivePipeline p = pipeline;
        return p == null || p.alive();
    }

    @Override
    public Map<String, String> deviceErrors() {
        LivePipeline p = pipeline;
        return p == null ? Map.of() : p.deviceErrors();
    }

    @Override
    public List<String> openDevices() {
        LivePipeline p = pipeline;
        return p == null ? List.of() : p.openDevices();
    }

    /** Changes the report window from the end of the window in progress; returns when it applies. */
    @Override
    public long changeInterval(long intervalMs) {
        settings.set(settings.get().withIntervalMs(intervalMs));
        LivePipeline p = pipeline;
        long now = System.currentTimeMillis();
        if (p == null) {
            return now;
        }
        p.clock().changeInterval(intervalMs, now);
        return p.clock().endOf(p.clock().startOf(now));
    }

    @Override
    public void changeSlowThreshold(long ms) {
        ProbeConfig c = settings.get().withSlowThresholdMs(ms);
        settings.set(c);
        LivePipeline p = pipeline;
        if (p != null) {
            p.updateSettings(c);
        }
    }

    /** For tests and the API: the report most recently published. */
    @Override
    public Report latest() {
        return backlog.latest();
    }
}
