package io.mysqlprobe.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The packaged application ({@code target/quarkus-app/quarkus-run.jar}) started as its own JVM, as a user runs
 * it, with a config file; HTTP and websocket helpers to talk to it.
 */
public final class ProbeProcess implements AutoCloseable {

    /**
     * How the tests reach the probe: over HTTPS/WSS trusting {@code ssl} (null: plain HTTP/WS), sending
     * {@code token} as {@code Authorization: Bearer} on every request and websocket (null: none).
     */
    public record Client(SSLContext ssl, String token) {
        public static final Client PLAIN = new Client(null, null);
    }

    private final Process process;
    private final int httpPort;
    private final Path log;
    private final Client client;
    private final HttpClient http;

    private ProbeProcess(Process process, int httpPort, Path log, Client client) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.client = client;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (client.ssl() != null) {
            b.sslContext(client.ssl());
        }
        this.http = b.build();
    }

    public static Path runnerJar() {
        Path jar = Path.of(System.getProperty("probe.runner.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " missing: run the package phase first (./mvnw verify does)");
        }
        return jar;
    }

    /** Starts the probe with {@code yaml} as its config file; waits until started. */
    public static ProbeProcess start(String yaml, int httpPort, Path workDir) throws Exception {
        return start(yaml, httpPort, workDir, Client.PLAIN);
    }

    /** Starts the probe, reached through {@code client} (TLS and token); waits until started. */
    public static ProbeProcess start(String yaml, int httpPort, Path workDir, Client client) throws Exception {
        Path cfg = workDir.resolve("config-" + httpPort + ".yaml");
        Files.writeString(cfg, yaml);
        Path log = workDir.resolve("probe-" + httpPort + ".log");
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-jar",
                runnerJar().toString(),
                "--config",
                cfg.toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ProbeProcess probe = new ProbeProcess(p, httpPort, log, client);
        probe.awaitStarted(Duration.ofSeconds(60));
        return probe;
    }

    private void awaitStarted(Duration timeout) throws Exception {
        try {
            Await.until("the probe to start", timeout, () -> {
                if (!process.isAlive()) {
                    throw new IOException("probe exited with " + process.exitValue() + ":\n" + log());
                }
                try {
                    return get("/q/health/started").statusCode() == 200;
                } catch (IOException e) {
                    return false; // not listening yet
                }
            });
        } catch (AssertionError e) {
            throw new IOException("probe not started in " + timeout + ":\n" + log(), e);
        }
    }

    public String log() throws IOException {
        return Files.readString(log);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET().timeout(Duration.ofSeconds(10));
        if (client.token() != null) {
            b.header("Authorization", "Bearer " + client.token());
        }
        return send(b.build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create((client.ssl() != null ? "https" : "http") + "://127.0.0.1:" + httpPort + path);
    }

    /** A websocket subscriber that queues every text message (with the client's token). */
    public Subscriber subscribe(String pathAndQuery) throws Exception {
        return subscribe(pathAndQuery, client.token());
    }

    /** A websocket subscriber sending {@code token} (null: none); fails as the handshake does (e.g. 401). */
    public Subscriber subscribe(String pathAndQuery, String token) throws Exception {
        Subscriber s = new Subscriber();
        WebSocket.Builder b = http.newWebSocketBuilder();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        String scheme = client.ssl() != null ? "wss" : "ws";
        s.socket = b.buildAsync(URI.create(scheme + "://127.0.0.1:" + httpPort + pathAndQuery), s)
                .get(10, TimeUnit.SECONDS);
        return s;
    }

    public static final class Subscriber implements WebSocket.Listener, AutoCloseable {
        public final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }

        public String next(Duration timeout) throws InterruptedException {
            return messages.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as Kubernetes stops a pod; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
