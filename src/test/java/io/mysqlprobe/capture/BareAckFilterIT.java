package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.Segment;
import io.mysqlprobe.tcp.SegmentParser;
import io.mysqlprobe.tcp.TcpCounters;
import io.mysqlprobe.testsupport.Await;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Live capture on {@code lo} (root or CAP_NET_RAW) with the kernel filter that drops bare ACKs: real connections
 * still show their handshake, data both ways, FINs and an RST, and no bare ACK reaches the parser.
 */
class BareAckFilterIT {

    /** What the test needs of a segment, taken while its bytes are valid. */
    private record Seen(int clientPort, Direction dir, int flags, int payloadLen) {
        boolean is(Direction d, int flag) {
            return dir == d && (flags & flag) != 0;
        }
    }

    /**
     * Both readers: the ring reader attaches the filter itself; libpcap (in immediate mode, as before) does too. On
     * {@code any} the ring reader's filter is compiled for raw IP, behind the prefix that drops lo's sent copy: each
     * segment is seen once (the exact SYN, FIN and payload counts below would double otherwise).
     */
    @ParameterizedTest(name = "{0}, ring reader: {1}")
    @CsvSource({"lo, true", "lo, false", "any, true"})
    void handshakeDataFinAndRstArriveWhileBareAcksStayInTheKernel(String device, boolean ring) throws Exception {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        java.util.Set<Integer> ports = java.util.concurrent.ConcurrentHashMap.newKeySet();
        TcpCounters tcp = new TcpCounters();
        CaptureCounters counters = new CaptureCounters();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            SegmentParser parser = new SegmentParser(server.getLocalPort(), tcp);
            FrameSink sink = f -> {
                Segment s = parser.parse(f.tsMicros(), f.data(), f.netOffset(), f.end());
                if (s != null) {
                    seen.add(new Seen(s.key().clientPort(), s.dir(), s.flags(), s.payloadLen()));
                }
            };
            try (LiveCapture capture =
                    LiveCapture.open(device, server.getLocalPort(), 65535, 4 << 20, !ring, ring, sink, counters)) {
                assertEquals(ring ? "ring" : "libpcap", capture.reader());
                capture.start();
                // the capture is reading once it saw a SYN; then only the test's own connections are looked at
                // (packets right after start were lost while the ring held the unfiltered traffic: CaptureStartIT)
                Await.until("the capture sees a SYN", Duration.ofSeconds(10), () -> {
                    try (Socket probe = new Socket(server.getInetAddress(), server.getLocalPort());
                            Socket unused = server.accept()) {
                        return seen.stream().anyMatch(s -> s.is(Direction.CLIENT_TO_SERVER, Segment.SYN));
                    }
                });
                try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                        Socket accepted = server.accept()) {
                    ports.add(client.getLocalPort());
                    exchange(client, accepted, "ping", "pong");
                    exchange(client, accepted, "ping again", "pong again"); // the replies' ACKs ride on data
                    client.shutdownOutput(); // FIN from the client
                    assertEquals(-1, accepted.getInputStream().read());
                    accepted.shutdownOutput(); // FIN from the server
                    assertEquals(-1, client.getInputStream().read());
                }
                try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                        Socket accepted = server.accept()) {
                    ports.add(client.getLocalPort());
                    client.setSoLinger(true, 0);
                    client.close(); // RST
                    awaitSeen(
                            seen,
                            "the RST is captured",
                            () -> count(seen, ports, Direction.CLIENT_TO_SERVER, Segment.RST) == 1);
                }
                awaitSeen(
                        seen,
                        "handshakes, data and FINs are captured",
                        () -> count(seen, ports, Direction.CLIENT_TO_SERVER, Segment.SYN) == 2
                                && count(seen, ports, Direction.SERVER_TO_CLIENT, Segment.SYN) == 2
                                && count(seen, ports, Direction.CLIENT_TO_SERVER, Segment.FIN) == 1
                                && count(seen, ports, Direction.SERVER_TO_CLIENT, Segment.FIN) == 1
                                && payloads(seen, ports, Direction.CLIENT_TO_SERVER) == "pingping again".length()
                                && payloads(seen, ports, Direction.SERVER_TO_CLIENT) == "pongpong again".length());
            }
        }
        assertEquals(0, tcp.bareAcks.sum(), "bare ACKs are dropped by the kernel filter: " + seen);
        assertTrue(counters.packets.sum() >= seen.size());
        assertTrue(
                seen.stream().allMatch(s -> s.payloadLen() > 0 || (s.flags() & 0x07) != 0),
                "every captured segment carries data or SYN/FIN/RST: " + seen);
    }

    /** {@link Await#until}, saying what was captured when it fails. */
    private static void awaitSeen(List<Seen> seen, String what, java.util.concurrent.Callable<Boolean> condition)
            throws Exception {
        try {
            Await.until(what, Duration.ofSeconds(10), condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; captured: " + seen, e);
        }
    }

    private static void exchange(Socket client, Socket server, String request, String response) throws Exception {
        OutputStream out = client.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        assertEquals(request, read(server.getInputStream(), request.length()));
        server.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        server.getOutputStream().flush();
        assertEquals(response, read(client.getInputStream(), response.length()));
    }

    private static String read(InputStream in, int n) throws Exception {
        return new String(in.readNBytes(n), StandardCharsets.US_ASCII);
    }

    private static long count(List<Seen> seen, java.util.Set<Integer> ports, Direction dir, int flag) {
        return seen.stream()
                .filter(s -> ports.contains(s.clientPort()) && s.is(dir, flag))
                .count();
    }

    private static long payloads(List<Seen> seen, java.util.Set<Integer> ports, Direction dir) {
        return seen.stream()
                .filter(s -> ports.contains(s.clientPort()) && s.dir() == dir)
                .mapToLong(Seen::payloadLen)
                .sum();
    }
}
