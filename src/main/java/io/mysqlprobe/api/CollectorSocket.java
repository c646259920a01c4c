package io.mysqlprobe.api;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.websocket.CloseReason;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * {@code GET /collector} (websocket): the latest report on connect, then one per window.
 * {@code /collector?since=MS} first replays the backlog windows that start after MS, so a master or a
 * standby resumes without a gap. Each report is serialised once for all subscribers.
 */
@ServerEndpoint(value = "/collector", subprotocols = TokenFilter.SUBPROTOCOL)
@ApplicationScoped
@io.quarkus.runtime.Startup
public class CollectorSocket {

    private static final Logger LOG = Logger.getLogger(CollectorSocket.class.getName());

    private static final int MAX_QUEUED_PER_SUBSCRIBER = 64;

    private final Map<Session, SessionSender> sessions = new ConcurrentHashMap<>();
    private final ExecutorService senders = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "collector-send");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong dropped = new AtomicLong();

    @Inject
    PipelineView probe;

    @Inject
    MeterRegistry registry;

    @PostConstruct
    void subscribe() {
        probe.backlog().subscribe(this::broadcast);
        Gauge.builder("mysqlprobe.websocket.subscribers", sessions, Map::size)
                .description("/collector subscribers").register(registry);
        FunctionCounter.builder("mysqlprobe.websocket.dropped", dropped, AtomicLong::get)
                .description("reports not delivered to a subscriber that fell behind or failed").register(registry);
    }

    @OnOpen
    public void onOpen(Session session) throws IOException {
        Map<String, List<String>> params = session.getRequestParameterMap();
        List<String> since = params.get("since");
        long ms = -1;
        if (since != null && !since.isEmpty()) {
            try {
                ms = Long.parseLong(since.get(0));
            } catch (NumberFormatException e) {
                session.close(new CloseReason(CloseReason.CloseCodes.CANNOT_ACCEPT,
                        "since: \"" + since.get(0) + "\" is not a number of milliseconds"));
                return;
            }
        }
        long sinceMs = ms;
        SessionSender sender = new SessionSender(session, senders, MAX_QUEUED_PER_SUBSCRIBER, dropped);
        // replay and register with no window published in between, so a resuming client misses none and
        // gets none twice; the sender queues the replay before anything broadcast later
        probe.backlog().atomically(() -> {
            List<Report> first;
            if (since != null && !since.isEmpty()) {
                first = probe.backlog().since(sinceMs);
            } else {
                Report latest = probe.backlog().latest();
                first = latest == null ? List.of() : List.of(latest);
            }
            for (Report r : first) {
                sender.send(ReportJson.write(r));
            }
            sessions.put(session, sender);
        });
    }

    @OnClose
    public void onClose(Session session) {
        sessions.remove(session);
    }

    @OnError
    public void onError(Session session, Throwable error) {
        sessions.remove(session);
        LOG.fine("collector subscriber dropped: " + error);
    }

    /** Called by the backlog under its delivery lock: one report at a time, in order. */
    void broadcast(Report report) {
        if (sessions.isEmpty()) {
            return;
        }
        String json = ReportJson.write(report);
        sessions.forEach((s, sender) -> {
            if (s.isOpen()) {
                sender.send(json);
            } else {
                sessions.remove(s);
            }
        });
    }

    /**
     * Runs after the probe published its partial window on shutdown (observer priority), and gives the
     * subscribers up to 3 s to receive it before the HTTP server closes.
     */
    void onShutdown(@Observes @Priority(jakarta.interceptor.Interceptor.Priority.APPLICATION + 100)
                    ShutdownDelayInitiatedEvent ev) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < deadline && !sessions.values().stream().allMatch(SessionSender::idle)) {
            Thread.sleep(10);
        }
    }

    /** Reports not delivered to a subscriber that fell behind or failed. */
    public long dropped() {
        return dropped.get();
    }

    public int subscribers() {
        return sessions.size();
    }
}
