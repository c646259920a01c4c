package io.mysqlprobe.cli;

import io.mysqlprobe.config.ConfigException;
import io.mysqlprobe.config.TlsFiles;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code tail [--token TOKEN] [--ca-file PATH] [URL]}: prints every report a node's {@code /collector}
 * websocket sends, one JSON document per line, until interrupted. Default URL
 * {@code ws://127.0.0.1:8667/collector}. The token also comes from env {@code MYSQL_PROBE_TOKEN} (better than
 * the flag: other users see a process's arguments), the CA from {@code MYSQL_PROBE_CA_FILE}. Exit 2 when it
 * cannot connect (401 included).
 */
public final class TailCommand {

    public static final String USAGE = "tail [--token TOKEN] [--ca-file PATH] [ws[s]://HOST:8667/collector]";

    private TailCommand() {}

    /** The flags; of several URLs the last one counts. */
    @Command(name = "tail")
    @RegisterForReflection // picocli reads the annotated fields reflectively (native image too)
    static final class Options {
        @Option(names = "--token")
        String token;

        @Option(names = "--ca-file")
        String caFile;

        @Parameters
        List<String> urls = new ArrayList<>();
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Options o = new Options();
        try {
            Args.parser(o).parseArgs(args);
        } catch (ParameterException e) {
            err.println("tail: " + Args.message(e) + "; usage: mysql-probe " + USAGE);
            return 2;
        }
        String url = o.urls.isEmpty() ? "ws://127.0.0.1:8667/collector" : o.urls.get(o.urls.size() - 1);
        String token = o.token != null ? o.token : env.get("MYSQL_PROBE_TOKEN");
        String caFile = o.caFile != null ? o.caFile : env.get("MYSQL_PROBE_CA_FILE");
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (url.startsWith("wss:")) {
            try {
                client.sslContext(TlsFiles.clientContext(caFile == null || caFile.isBlank() ? null : caFile));
            } catch (ConfigException e) {
                err.println("tail: --ca-file: " + e.getMessage());
                return 2;
            }
        }
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
            WebSocket.Builder b = client.build().newWebSocketBuilder();
            if (token != null && !token.isBlank()) {
                b.header("Authorization", "Bearer " + token.strip());
            }
            b.buildAsync(URI.create(url), listener).join();
        } catch (CompletionException | IllegalArgumentException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof WebSocketHandshakeException h
                    && h.getResponse().statusCode() == 401) {
                err.println("tail: " + url + " answered 401: it needs the token (--token or env MYSQL_PROBE_TOKEN)");
            } else {
                err.println("tail: cannot connect to " + url + ": " + cause);
            }
            return 2;
        }
        closed.join();
        return 1;
    }
}
