package io.mysqlprobe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.ProbeService;
import io.mysqlprobe.pipeline.ProbeSettings;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.testsupport.Await;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * /collector over a real websocket server on loopback: many subscribers get every report, a stalled one neither
 * delays the others nor the publisher (it loses its oldest reports, counted), a bad {@code since} closes 1003.
 * The test publishes its own reports into the probe's backlog (the probe's windows are an hour long).
 */
@QuarkusTest
@TestProfile(CollectorSocketTest.Profile.class)
class CollectorSocketTest {

    public static class Profile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(ProbeSettings.CONFIG_PROPERTY, "src/test/resources/api/collector.yaml");
        }
    }

    private static final Pattern START = Pattern.compile("\"start_ms\":(\\d+)");

    @TestHTTPResource("/collector")
    URI collector;

    @Inject
    ProbeService probe;

    @Inject
    ReportFeed feed;

    private final HttpClient http = HttpClient.newHttpClient();

    /** Window starts of the test's reports, far after the probe's own (which the clients ignore). */
    private static final long TEST_WINDOWS = 4_000_000_000_000L;

    /** Each test its own range of windows, after every one published before. */
    private long nextBase() {
        Report latest = probe.backlog().latest();
        return Math.max(TEST_WINDOWS, latest == null ? 0 : latest.window().startMs()) + 1_000_000;
    }

    private static Report report(long startMs, int padding) {
        return new Report(
                "n1" + "x".repeat(padding),
                "slave",
                "standalone",
                new Report.Window(startMs, startMs + 1000),
                null,
                List.of(),
                null,
                null);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private URI ws(String query) {
        return URI.create(collector.toString().replaceFirst("^http", "ws") + query);
    }

    /** Queues every text message; with {@code stalled} it never asks for one (its socket stops being read). */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        final boolean stalled;
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        Client(boolean stalled) {
            this.stalled = stalled;
        }

        @Override
        public void onOpen(WebSocket ws) {
            if (!stalled) {
                ws.request(1);
            }
        }

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

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
            closed.complete(status + " " + reason);
            return null;
        }

        long start(String json) {
            Matcher m = START.matcher(json);
            assertTrue(m.find(), json);
            return Long.parseLong(m.group(1));
        }

        /** Window starts of the test's reports received (an hourly window of the probe itself is ignored). */
        List<Long> starts() {
            List<Long> out = new ArrayList<>();
            for (String m : messages) {
                long start = start(m);
                if (start >= TEST_WINDOWS) {
                    out.add(start);
                }
            }
            return out;
        }
    }

    private Client connect(String query, boolean stalled) throws Exception {
        Client c = new Client(stalled);
        c.socket = http.newWebSocketBuilder()
                .subprotocols(TokenFilter.SUBPROTOCOL)
                .buildAsync(ws(query), c)
                .get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void twoHundredSubscribersReceiveEveryReportInOrder() throws Exception {
        long base = nextBase();
        probe.backlog().publish(report(base, 0));
        int before = feed.subscribers();
        List<Client> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                clients.add(connect("?since=" + base, false));
            }
            Await.until("200 subscribers", Duration.ofSeconds(10), () -> feed.subscribers() == before + 200);
            assertEquals(TokenFilter.SUBPROTOCOL, clients.get(0).socket.getSubprotocol(), "the subprotocol selected");
            int reports = 50;
            long t0 = System.nanoTime();
            long cpu0 = processCpuNanos();
            for (int i = 1; i <= reports; i++) {
                probe.backlog().publish(report(base + i * 1000L, 20_000));
            }
            long publishMicros = (System.nanoTime() - t0) / 1000;
            List<Long> expected = new ArrayList<>();
            for (int i = 1; i <= reports; i++) {
                expected.add(base + i * 1000L);
            }
            Await.until(
                    "every client has every report",
                    Duration.ofSeconds(30),
                    () -> clients.stream().allMatch(c -> c.starts().size() >= reports));
            long allMs = (System.nanoTime() - t0) / 1_000_000;
            for (Client c : clients) {
                assertEquals(expected, c.starts(), "each report once, in order");
            }
            System.out.println("CollectorSocketTest: 50 reports of 20 KB to 200 subscribers: published in "
                    + publishMicros + " us, all received after " + allMs + " ms, JVM CPU (server and clients) "
                    + (processCpuNanos() - cpu0) / 1_000_000 + " ms");
        } finally {
            clients.forEach(c -> c.socket.abort());
        }
        Await.until("closed connections unsubscribed", Duration.ofSeconds(10), () -> feed.subscribers() == before);
    }

    @Test
    void aStalledSubscriberDelaysNeitherThePublisherNorTheOthersAndLosesItsOldestReports() throws Exception {
        long base = nextBase();
        long droppedBefore = feed.dropped();
        Client stalled = connect("", true);
        Client fast = connect("?since=" + base, false);
        try {
            Await.until("both subscribed", Duration.ofSeconds(10), () -> feed.subscribers() >= 2);
            // 8 bursts of 50 reports of 100 KB (40 MB: more than the kernel's socket buffers and the 64 queued
            // hold for the stalled one); the fast client must get each burst as fast as if it were alone
            int bursts = 8;
            int perBurst = 50;
            long slowestPublishMs = 0;
            for (int b = 0; b < bursts; b++) {
                long t0 = System.nanoTime();
                for (int i = 1; i <= perBurst; i++) {
                    probe.backlog().publish(report(base + (b * perBurst + i) * 1000L, 100_000));
                }
                slowestPublishMs = Math.max(slowestPublishMs, (System.nanoTime() - t0) / 1_000_000);
                int upTo = (b + 1) * perBurst;
                Await.until(
                        "the fast client has burst " + b,
                        Duration.ofSeconds(20),
                        () -> fast.starts().size() >= upTo);
            }
            List<Long> got = fast.starts();
            assertEquals(bursts * perBurst, got.size());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(base + (i + 1) * 1000L, got.get(i), "the fast client misses none");
            }
            assertTrue(slowestPublishMs < 2000, "publishing a burst took " + slowestPublishMs + " ms");
            // the stalled one: its socket holds some, 64 wait in its queue, the older ones are dropped, counted
            Await.until(
                    "the stalled client's oldest reports dropped and counted",
                    Duration.ofSeconds(10),
                    () -> feed.dropped() - droppedBefore >= bursts * perBurst / 2);
            System.out.println("CollectorSocketTest: slowest burst of " + perBurst + " publishes " + slowestPublishMs
                    + " ms; dropped for the stalled client " + (feed.dropped() - droppedBefore) + " of "
                    + bursts * perBurst + "; stalled client received " + stalled.messages.size());
            assertTrue(!fast.closed.isDone(), "the fast client stays connected");
        } finally {
            stalled.socket.abort();
            fast.socket.abort();
        }
    }

    @Test
    void aBadSinceClosesTheSocketWithCannotAccept() throws Exception {
        Client c = connect("?since=yesterday", false);
        String closed = c.closed.get(10, TimeUnit.SECONDS);
        assertEquals("1003 since: \"yesterday\" is not a number of milliseconds", closed);
        assertTrue(c.messages.isEmpty(), "no report");
    }

    @Test
    void theLatestReportOnConnect() throws Exception {
        long base = nextBase();
        probe.backlog().publish(report(base, 0));
        probe.backlog().publish(report(base + 1000, 0));
        Client c = connect("", false);
        try {
            Await.until(
                    "the latest report",
                    Duration.ofSeconds(10),
                    () -> !c.starts().isEmpty());
            probe.backlog().publish(report(base + 2000, 0));
            Await.until("the next one", Duration.ofSeconds(10), () -> c.starts().size() >= 2);
            assertEquals(List.of(base + 1000, base + 2000), c.starts());
        } finally {
            c.socket.abort();
        }
    }
}
