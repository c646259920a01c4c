package io.mysqlprobe;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code tail [URL]}: prints every report a node's {@code /collector} websocket sends, one JSON document per
 * line, until interrupted. Default URL {@code ws://127.0.0.1:8667/collector}. Exit 2 when it cannot connect.
 */
final class TailCommand {

    private TailCommand() {}

    static int run(String[] args, PrintStream out, PrintStream err) {
        String url = args.length > 0 ? args[0] : "ws://127.0.0.1:8667/collector";
        CompletableFuture<Void> closed = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    out.println(partial);
                    out.flush();
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                err.println("tail: closed by the node: " + status + " " + reason);
                closed.complete(null);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                err.println("tail: " + error);
                closed.complete(null);
            }
        };
        try {
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().newWebSocketBuilder()
                    .buildAsync(URI.create(url), listener).join();
        } catch (RuntimeException e) {
            err.println("tail: cannot connect to " + url + ": " + (e.getCause() == null ? e : e.getCause()));
            return 2;
        }
        closed.join();
        return 1;
    }
}
