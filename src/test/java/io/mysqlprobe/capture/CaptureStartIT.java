package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.testsupport.Await;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A client that connects right after {@link LiveCapture#start} is captured from its SYN on, while other traffic
 * crosses the device: the ring must not be full of what it took in before the filter was set ({@link
 * UnfilteredRing}). Captures real packets on {@code lo}, the smallest ring (1 MiB: 8 frames at a 64 KiB snaplen in
 * immediate mode), with a loopback ping-pong on another port as the other traffic. Before the ring was emptied in
 * open, about one open in four lost the first connection's handshake this way.
 */
class CaptureStartIT {

    private static final int OPENS = 12;

    /**
     * With libpcap (immediate mode, as measured) and with the ring reader, whose socket takes packets only once it is
     * bound, after its filter and ring are in place: on {@code lo}, and on {@code any} (every device, a cooked socket).
     */
    @ParameterizedTest(name = "{0}, ring reader {1}")
    @CsvSource({"lo, false", "lo, true", "any, true"})
    void theFirstConnectionAfterStartIsCapturedWhileOtherTrafficFlows(String device, boolean ring) throws Exception {
        try (PingPong other = new PingPong()) {
            Await.until("the other traffic flows", Duration.ofSeconds(10), () -> other.roundTrips.get() > 1000);
            for (int i = 0; i < OPENS; i++) {
                Set<Integer> synFrom = ConcurrentHashMap.newKeySet();
                CaptureCounters counters = new CaptureCounters();
                long trips = other.roundTrips.get();
                try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                        LiveCapture capture = LiveCapture.open(
                                device,
                                server.getLocalPort(),
                                65535,
                                1 << 20,
                                !ring,
                                ring,
                                f -> synFrom(f, synFrom),
                                counters)) {
                    assertEquals(ring ? "ring" : "libpcap", capture.reader());
                    capture.start();
                    int clientPort;
                    try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                            Socket accepted = server.accept()) {
                        clientPort = client.getLocalPort();
                    }
                    try {
                        Await.until(
                                "the SYN of the first connection after start",
                                Duration.ofSeconds(5),
                                () -> synFrom.contains(clientPort));
                    } catch (AssertionError e) {
                        throw new AssertionError(
                                "open " + (i + 1) + " of " + OPENS + ": " + e.getMessage() + " (other traffic since"
                                        + " open: " + (other.roundTrips.get() - trips) + " round trips; packets"
                                        + " captured " + counters.packets.sum() + ")",
                                e);
                    }
                }
            }
            assertEquals(null, other.failure, "the other traffic ran throughout");
        }
    }

    /** Adds the source port of a client SYN (SYN without ACK, IPv4) to {@code ports}. */
    private static void synFrom(Frame f, Set<Integer> ports) {
        byte[] d = f.data();
        int tcp = f.netOffset() + (d[f.netOffset()] & 0x0f) * 4;
        if ((d[tcp + 13] & 0x12) == 0x02) {
            ports.add((d[tcp] & 0xff) << 8 | (d[tcp + 1] & 0xff));
        }
    }

    /** One byte back and forth over a loopback connection, two packets per round trip, at most one per 20 µs. */
    private static final class PingPong implements AutoCloseable {
        private static final long PACE_NANOS = 20_000;
        final AtomicLong roundTrips = new AtomicLong();
        volatile IOException failure;
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
        private final Socket accepted = server.accept();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean closing;

        PingPong() throws IOException {
            client.setTcpNoDelay(true);
            accepted.setTcpNoDelay(true);
            run("echo", accepted, false);
            run("ping", client, true);
        }

        private void run(String name, Socket s, boolean first) {
            Thread t = new Thread(
                    () -> {
                        try (InputStream in = s.getInputStream();
                                OutputStream out = s.getOutputStream()) {
                            if (first) {
                                out.write(1);
                            }
                            while (in.read() >= 0) {
                                if (first) { // pacing, not polling: tens of thousands of packets a second
                                    LockSupport.parkNanos(PACE_NANOS);
                                    roundTrips.incrementAndGet();
                                }
                                out.write(1);
                            }
                        } catch (IOException e) {
                            if (!closing) {
                                failure = e;
                            }
                        }
                    },
                    "ping-pong-" + name);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }

        @Override
        public void close() throws Exception {
            closing = true;
            client.close();
            accepted.close();
            server.close();
            for (Thread t : threads) {
                t.join(5000);
            }
        }
    }
}
