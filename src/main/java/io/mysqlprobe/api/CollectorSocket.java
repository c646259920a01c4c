package io.mysqlprobe.api;

import io.mysqlprobe.ProbeService;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;
import jakarta.annotation.PostConstruct;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * {@code GET /collector} (websocket): the latest report on connect, then one per window.
 * {@code /collector?since=MS} first replays the backlog windows that start after MS, so a master or a
 * standby resumes without a gap. Each report is serialised once for all subscribers.
 */
@ServerEndpoint("/collector")
@ApplicationScoped
public class CollectorSocket {

    private static final Logger LOG = Logger.getLogger(CollectorSocket.class.getName());

    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    @Inject
    ProbeService probe;

    @PostConstruct
    void subscribe() {
        probe.backlog().subscribe(this::broadcast);
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
        // replay and register with no window published in between, so a resuming client misses none
        probe.backlog().atomically(() -> {
            List<Report> first;
            if (since != null && !since.isEmpty()) {
                first = probe.backlog().since(sinceMs);
            } else {
                Report latest = probe.backlog().latest();
                first = latest == null ? List.of() : List.of(latest);
            }
            for (Report r : first) {
                session.getAsyncRemote().sendText(ReportJson.write(r));
            }
            sessions.add(session);
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

    void broadcast(Report report) {
        if (sessions.isEmpty()) {
            return;
        }
        String json = ReportJson.write(report);
        for (Session s : sessions) {
            if (s.isOpen()) {
                s.getAsyncRemote().sendText(json);
            } else {
                sessions.remove(s);
            }
        }
    }

    public int subscribers() {
        return sessions.size();
    }
}
