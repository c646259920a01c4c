package io.mysqlprobe.cluster;

import io.mysqlprobe.aggregate.LatencySketch;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.logging.Logger;

/**
 * A master's (or standby's) subscription to one slave's {@code /collector} websocket. It asks for
 * {@code ?since=<start of the last window it has>} so a reconnect resumes without a gap, and reconnects with
 * back-off (250 ms doubling to 5 s) until closed. A message that is not a report is rejected, counted and
 * logged; the link stays up.
 */
public final class SlaveLink {

    private static final Logger LOG = Logger.getLogger(SlaveLink.class.getName());
    private static final long MIN_BACKOFF_MS = 250;
    private static final long MAX_BACKOFF_MS = 5000;

    private final String address;
    private final String token;
    private final PeerTransport peers;
    private final ScheduledExecutorService timer;
    private final BiFunction<String, Report, WindowMerger.Outcome> sink;
    private volatile WebSocket socket;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile long lastWindowStart;
    private volatile String lastError;
    private volatile String remoteNode;
    private long backoffMs = MIN_BACKOFF_MS;
    private long reports;
    private long rejected;
    private long duplicates;
    private long late;
    private long connects;

    /**
     * @param sinceMs start of the last window already held from this slave (0: none; the slave then sends
     *                its latest window first)
     * @param sink    receives (address, report) and says what it did with it
     */
    public SlaveLink(
            String address,
            String token,
            long sinceMs,
            HttpClient http,
            ScheduledExecutorService timer,
            BiFunction<String, Report, WindowMerger.Outcome> sink) {
        this(address, token, sinceMs, new PeerTransport(false, http), timer, sink);
    }

    /** @param peers plain ws:// or wss:// verified against {@code tls.ca_file} */
    public SlaveLink(
            String address,
            String token,
            long sinceMs,
            PeerTransport peers,
            ScheduledExecutorService timer,
            BiFunction<String, Report, WindowMerger.Outcome> sink) {
        this.address = address;
        this.token = token;
        this.lastWindowStart = sinceMs;
        this.peers = peers;
        this.timer = timer;
        this.sink = sink;
    }

    public void start() {
        connect();
    }

    private void connect() {
        if (closed) {
            return;
        }
        String since = lastWindowStart > 0 ? "?since=" + lastWindowStart : "";
        URI uri = peers.websocket(address, "/collector" + since);
        WebSocket.Builder b = peers.http().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        b.buildAsync(uri, new Listener()).whenComplete((ws, err) -> {
            if (err != null) {
                failed("cannot connect: " + rootMessage(err));
                return;
            }
            synchronized (this) {
                connects++;
                backoffMs = MIN_BACKOFF_MS;
            }
            socket = ws;
            connected = true;
            lastError = null;
            if (closed) {
                ws.abort();
            }
        });
    }

    private void failed(String why) {
        connected = false;
        socket = null;
        if (closed) {
            return;
        }
        if (!why.equals(lastError)) {
            LOG.warning("slave " + address + ": " + why + "; retrying");
        }
        lastError = why;
        long delay;
        synchronized (this) {
            delay = backoffMs;
            backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
        }
        try {
            timer.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            closed = true; // the master is shutting down
        }
    }

    private static String rootMessage(Throwable t) {
        boolean handshake = false;
        while (true) {
            handshake |= t instanceof javax.net.ssl.SSLHandshakeException;
            if (t instanceof java.net.http.WebSocketHandshakeException h
                    && h.getResponse().statusCode() == 401) {
                return "HTTP 401: the slave refused the token (auth.token)";
            }
            if (t.getCause() == null) {
                break;
            }
            t = t.getCause();
        }
        return (handshake ? "TLS handshake failed: " : "")
                + t.getClass().getSimpleName()
                + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    void receive(String text) {
        Report r;
        try {
            r = ReportJson.read(text);
            validate(r);
        } catch (Exception e) {
            synchronized (this) {
                rejected++;
            }
            lastError = "rejected a message that is not a valid report: " + rootMessage(e);
            LOG.warning("slave " + address + ": " + lastError);
            return;
        }
        remoteNode = r.node();
        WindowMerger.Outcome o = sink.apply(address, r);
        synchronized (this) {
            reports++;
            if (o == WindowMerger.Outcome.DUPLICATE) {
                duplicates++;
            } else if (o == WindowMerger.Outcome.LATE) {
                late++;
            }
        }
        lastWindowStart = Math.max(lastWindowStart, r.window().startMs());
    }

    /** Throws when the report cannot be merged (so garbage never reaches a window). */
    static void validate(Report r) {
        if (r.node() == null
                || r.window() == null
                || r.window().endMs() <= r.window().startMs()) {
            throw new IllegalArgumentException("node and window {start_ms < end_ms} are required");
        }
        if (r.templates() != null) {
            for (TemplateSnapshot t : r.templates()) {
                if (t.id() == null || t.count() < 0) {
                    throw new IllegalArgumentException("template without id or with a negative count");
                }
                t.key(); // an id that is not hex fails here, not in the merge
                if (t.latencyUs().histogram() != null) {
                    LatencySketch.decode(t.latencyUs().histogram());
                }
            }
        }
    }

    public void close() {
        closed = true;
        WebSocket ws = socket;
        if (ws != null) {
            ws.abort();
        }
        connected = false;
    }

    public String address() {
        return address;
    }

    public boolean connected() {
        return connected;
    }

    public long lastWindowStart() {
        return lastWindowStart;
    }

    /** The link's state for {@code /cluster/listnodes}. */
    public synchronized ClusterView.Slave state() {
        return new ClusterView.Slave(
                address,
                remoteNode,
                "slave",
                connected ? "connected" : "disconnected",
                lastWindowStart,
                reports,
                duplicates,
                late,
                rejected,
                connects,
                lastError);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                receive(text);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            failed("closed by the slave: " + status + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            failed("connection lost: " + rootMessage(error));
        }
    }
}
