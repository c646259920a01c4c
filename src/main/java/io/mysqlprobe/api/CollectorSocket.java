package io.mysqlprobe.api;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * {@code GET /collector} (websocket, subprotocol {@value TokenFilter#SUBPROTOCOL}): the latest report on connect,
 * then one per window. {@code /collector?since=MS} first replays the backlog windows that start after MS, so a
 * master or a standby resumes without a gap. Each connection is a {@link Multi} from {@link ReportFeed}; the token
 * is checked before the upgrade ({@link TokenFilter}).
 */
@WebSocket(path = "/collector")
public class CollectorSocket {

    private static final Logger LOG = Logger.getLogger(CollectorSocket.class.getName());
    /** RFC 6455 1003: the endpoint cannot accept the data (the JSR-356 CANNOT_ACCEPT sent before). */
    static final int CANNOT_ACCEPT = 1003;

    @Inject
    ReportFeed feed;

    @OnOpen
    public Multi<String> onOpen(WebSocketConnection connection) {
        String query = connection.handshakeRequest().query();
        List<String> since = query == null
                ? null
                : new QueryStringDecoder(query, false).parameters().get("since");
        Long sinceMs = null;
        if (since != null && !since.isEmpty()) {
            try {
                sinceMs = Long.parseLong(since.get(0));
            } catch (NumberFormatException e) {
                connection
                        .close(new CloseReason(
                                CANNOT_ACCEPT, "since: \"" + since.get(0) + "\" is not a number of milliseconds"))
                        .subscribe()
                        .with(v -> {}, t -> LOG.fine("collector close failed: " + t));
                return Multi.createFrom().empty();
            }
        }
        Context context = Vertx.currentContext();
        Executor onLoop = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
        return feed.subscribe(connection.id(), sinceMs, onLoop);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        feed.unsubscribe(connection.id());
    }

    @OnError
    public void onError(WebSocketConnection connection, Throwable error) {
        feed.unsubscribe(connection.id());
        LOG.fine("collector subscriber dropped: " + error);
    }
}
