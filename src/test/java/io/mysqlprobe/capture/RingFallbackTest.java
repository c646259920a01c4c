package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.testsupport.Await;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Which reader a live capture on {@code lo} or {@code any} gets (root or CAP_NET_RAW), and that a ring read failing at run time
 * does not end the capture: counted once, logged, and libpcap reads from then on. Captures real packets.
 */
class RingFallbackTest {

    @Test
    void theRingReadsLoAndLibpcapTakesWhatItCannotRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = server.getLocalPort();
            assertEquals("ring", reader("lo", port, false, true));
            assertEquals("libpcap", reader("lo", port, false, false), "probe.capture_reader: libpcap");
            assertEquals("libpcap", reader("lo", port, true, true), "immediate mode");
            assertEquals("ring", reader("any", port, false, true), "the any device, through a cooked socket");
            assertEquals("libpcap", reader("any", port, false, false), "any with probe.capture_reader: libpcap");
            assertEquals("libpcap", reader("any", port, true, true), "any in immediate mode");
        }
    }

    private static String reader(String device, int port, boolean immediate, boolean ring) throws Exception {
        try (LiveCapture c =
                LiveCapture.open(device, port, 65535, 4 << 20, immediate, ring, f -> {}, new CaptureCounters())) {
            return c.reader();
        }
    }

    @Test
    void aRingReadFailingAtRunTimeFallsBackToLibpcap() throws Exception {
        ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
        AtomicInteger failures = new AtomicInteger();
        FrameSink failingOnce = f -> {
            if (failures.getAndIncrement() == 0) {
                throw new IllegalStateException("injected failure in the ring's batch loop");
            }
            frames.add(f);
        };
        CaptureCounters counters = new CaptureCounters();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                LiveCapture capture = LiveCapture.open(
                        "lo", server.getLocalPort(), 65535, 4 << 20, false, true, failingOnce, counters)) {
            assertEquals("ring", capture.reader());
            capture.start();
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                    Socket accepted = server.accept()) {
                Await.until(
                        "the ring read failed once", Duration.ofSeconds(10), () -> counters.batchFallbacks.sum() == 1);
                Await.until("libpcap reads", Duration.ofSeconds(10), () -> "libpcap".equals(capture.reader()));
                OutputStream out = client.getOutputStream();
                // written again at each poll: a packet sent within the first milliseconds of the new libpcap
                // handle's reads may not reach it (see BareAckFilterIT)
                Await.until("frames read through libpcap", Duration.ofSeconds(10), () -> {
                    out.write("packets after the fallback".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return !frames.isEmpty();
                });
            }
            assertTrue(capture.running(), "the capture thread is still running (liveness)");
            assertEquals(1, counters.batchFallbacks.sum());
        }
    }
}
