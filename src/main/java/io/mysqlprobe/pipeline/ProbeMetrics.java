package io.mysqlprobe.pipeline;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.mysqlprobe.report.Report;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus metrics at {@code /q/metrics}, read from the stages' own counters (no second bookkeeping).
 * No per-template labels: label values are bounded sets (drop causes, decode-error kinds).
 */
public final class ProbeMetrics {

    private final MeterRegistry registry;
    private final Timer publishDelay;
    private final AtomicLong lastTemplates = new AtomicLong();
    private final AtomicLong lastStatements = new AtomicLong();

    public ProbeMetrics(MeterRegistry registry) {
        this.registry = registry;
        new io.mysqlprobe.metrics.JvmMetrics().bindTo(registry);
        this.publishDelay = Timer.builder("mysqlprobe.window.publish.delay")
                .description("time from a window's end to its report being published")
                .register(registry);
        Gauge.builder("mysqlprobe.window.templates", lastTemplates, AtomicLong::get)
                .description("templates in the last published window")
                .register(registry);
        Gauge.builder("mysqlprobe.window.statements", lastStatements, AtomicLong::get)
                .description("statements in the last published window")
                .register(registry);
    }

    public void bind(Counters c, java.util.function.LongSupplier connections) {
        counter("mysqlprobe.packets", "frames captured", c, x -> x.sum(s -> s.capture.packets.sum()));
        counter("mysqlprobe.bytes", "bytes captured (wire length)", c, x -> x.sum(s -> s.capture.bytes.sum()));
        counter("mysqlprobe.statements", "statements aggregated", c, x -> x.statements.sum());
        dropped(c, "kernel", x -> x.sum(s -> s.capture.kernelDropped.get()));
        dropped(c, "interface", x -> x.sum(s -> s.capture.interfaceDropped.get()));
        dropped(c, "queue", x -> x.sum(s -> s.queueDropped.sum()));
        dropped(c, "stream_gap", x -> x.sum(s -> s.tcp.streamGaps.sum()));
        dropped(c, "reassembly_overflow", x -> x.sum(s -> s.tcp.reassemblyOverflows.sum()));
        FunctionCounter.builder(
                        "mysqlprobe.decode.errors",
                        c,
                        x -> x.sum(s -> s.protocol.snapshot().decodeErrorsTotal()))
                .description("malformed MySQL packets, all kinds")
                .register(registry);
        FunctionCounter.builder(
                        "mysqlprobe.tls.connections",
                        c,
                        x -> x.sum(s -> s.protocol.snapshot().tlsConnections()))
                .description("connections that switched to TLS (not decoded)")
                .register(registry);
        counter(
                "mysqlprobe.connections.opened",
                "connections first seen",
                c,
                x -> x.sum(s -> s.tcp.connectionsOpened.sum()));
        counter(
                "mysqlprobe.connections.evicted",
                "connections evicted (idle or table bound)",
                c,
                x -> x.sum(s -> s.tcp.connectionsEvicted.sum()));
        counter(
                "mysqlprobe.capture.batch.fallbacks",
                "capture threads that went on packet by packet after batched" + " reads failed",
                c,
                x -> x.sum(s -> s.capture.batchFallbacks.sum()));
        counter(
                "mysqlprobe.capture.unpooled.chunks",
                "capture chunks allocated outside the pool (every pooled chunk still held by queued batches)",
                c,
                x -> x.sum(s -> s.capture.unpooledChunks.sum()));
        Gauge.builder("mysqlprobe.connections", connections, s -> s.getAsLong())
                .description("connections tracked now")
                .register(registry);
    }

    private void counter(String name, String description, Counters c, ToDoubleFunction<Counters> f) {
        FunctionCounter.builder(name, c, f).description(description).register(registry);
    }

    private void dropped(Counters c, String cause, ToDoubleFunction<Counters> f) {
        FunctionCounter.builder("mysqlprobe.dropped", c, f)
                .tag("cause", cause)
                .description("packets or bytes lost, by cause")
                .register(registry);
    }

    /** Monitor check outcomes per check type and servers per status (bounded label sets). */
    public void bindMonitor(io.mysqlprobe.monitor.MonitorService monitor) {
        var e = monitor.engine();
        checks("connect", e.connectLog());
        checks("ping", e.pingLog());
        checks("read_only", e.readOnlyLog());
        checks("replication_lag", e.replicationLagLog());
        for (io.mysqlprobe.monitor.ServerStatus st : io.mysqlprobe.monitor.ServerStatus.values()) {
            Gauge.builder(
                            "mysqlprobe.monitor.servers",
                            monitor,
                            m -> m.servers().stream()
                                    .filter(v -> v.status() == st)
                                    .count())
                    .tag("status", st.name())
                    .description("backend servers by status, over hostgroups")
                    .register(registry);
        }
    }

    private void checks(String check, io.mysqlprobe.monitor.LogTable<?> log) {
        FunctionCounter.builder("mysqlprobe.monitor.checks", log, l -> l.checks() - l.failures())
                .tags("check", check, "result", "ok")
                .description("backend monitor checks")
                .register(registry);
        FunctionCounter.builder("mysqlprobe.monitor.checks", log, io.mysqlprobe.monitor.LogTable::failures)
                .tags("check", check, "result", "error")
                .description("backend monitor checks")
                .register(registry);
    }

    /**
     * The per-template series ({@link io.mysqlprobe.metrics.TemplateCollector}) join the Prometheus registry
     * behind {@code /q/metrics}; false when no Prometheus registry is configured.
     */
    public boolean bindTemplates(io.mysqlprobe.metrics.TemplateSeries series) {
        io.micrometer.prometheus.PrometheusMeterRegistry prometheus = prometheus(registry);
        if (prometheus == null) {
            return false;
        }
        prometheus.getPrometheusRegistry().register(new io.mysqlprobe.metrics.TemplateCollector(series));
        return true;
    }

    @SuppressWarnings("deprecation")
    private static io.micrometer.prometheus.PrometheusMeterRegistry prometheus(MeterRegistry r) {
        if (r instanceof io.micrometer.prometheus.PrometheusMeterRegistry p) {
            return p;
        }
        if (r instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c) {
            for (MeterRegistry child : c.getRegistries()) {
                io.micrometer.prometheus.PrometheusMeterRegistry p = prometheus(child);
                if (p != null) {
                    return p;
                }
            }
        }
        return null;
    }

    public void windowPublished(Report r, long nowMs) {
        publishDelay.record(Duration.ofMillis(Math.max(0, nowMs - r.window().endMs())));
        lastTemplates.set(r.templates().size());
        lastStatements.set(r.capture().statements());
    }
}
