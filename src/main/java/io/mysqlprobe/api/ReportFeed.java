package io.mysqlprobe.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBacklog;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The windows the probe publishes, as one hot Mutiny stream of {@link ReportFrame}s (each report serialised once
 * for all subscribers), and a {@link Multi} per {@code /collector} subscriber built from it: the latest report or
 * the {@code since} replay first, then every window, through a bounded per-subscriber queue (a slow subscriber
 * loses its oldest reports, counted in {@code mysqlprobe_websocket_dropped_total}; the publisher never waits).
 */
@ApplicationScoped
@Startup
public class ReportFeed {

    private static final Logger LOG = Logger.getLogger(ReportFeed.class.getName());

    /** Live reports a subscriber may fall behind before it loses the oldest. */
    static final int MAX_QUEUED_PER_SUBSCRIBER = 64;

    private final BroadcastProcessor<ReportFrame> frames = BroadcastProcessor.create();
    private final Map<String, SubscriberQueue> subscribers = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    PipelineView probe;

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void start() {
        probe.backlog().stream().subscribe().with(r -> {
            if (!subscribers.isEmpty()) {
                try {
                    frames.onNext(new ReportFrame(r));
                } catch (RuntimeException e) { // never let one subscriber's failure end the feed
                    LOG.log(Level.WARNING, "a /collector subscriber failed to take a report", e);
                }
            }
        });
        Gauge.builder("mysqlprobe.websocket.subscribers", subscribers, Map::size)
                .description("/collector subscribers")
                .register(registry);
        FunctionCounter.builder("mysqlprobe.websocket.dropped", dropped, AtomicLong::get)
                .description("reports not delivered to a subscriber that fell behind or failed")
                .register(registry);
    }

    /**
     * The reports for subscriber {@code id}: the backlog windows starting after {@code sinceMs} (null: the latest
     * report), then every window published; frames go out on {@code deliver}.
     */
    Multi<String> subscribe(String id, Long sinceMs, Executor deliver) {
        SubscriberQueue q =
                new SubscriberQueue(MAX_QUEUED_PER_SUBSCRIBER, dropped, deliver, () -> subscribers.remove(id));
        subscribers.put(id, q);
        q.listen(frames);
        ReportBacklog backlog = probe.backlog();
        q.replay(() -> {
            List<Report> first;
            if (sinceMs != null) {
                first = backlog.since(sinceMs);
            } else {
                Report latest = backlog.latest();
                first = latest == null ? List.of() : List.of(latest);
            }
            List<ReportFrame> out = new ArrayList<>(first.size());
            for (Report r : first) {
                out.add(new ReportFrame(r));
            }
            return out;
        });
        return Multi.createFrom().publisher(q);
    }

    /** The subscriber's connection closed. */
    void unsubscribe(String id) {
        SubscriberQueue q = subscribers.get(id);
        if (q != null) {
            q.close();
        }
    }

    /**
     * Runs after the probe published its partial window on shutdown (observer priority), and gives the
     * subscribers up to 3 s to receive it before the HTTP server closes.
     */
    void onShutdown(
            @Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 100)
                    ShutdownDelayInitiatedEvent ev)
            throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && !subscribers.values().stream().allMatch(SubscriberQueue::idle)) {
            Thread.sleep(10);
        }
    }

    /** Reports not delivered to a subscriber that fell behind or failed. */
    public long dropped() {
        return dropped.get();
    }

    public int subscribers() {
        return subscribers.size();
    }
}
