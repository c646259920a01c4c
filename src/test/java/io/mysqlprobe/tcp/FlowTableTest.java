package io.mysqlprobe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FlowTableTest {

    static final FlowKey KEY = new FlowKey(0, 0xFFFF7F000001L, 50000, 0, 0xFFFF7F000001L, 3306);

    /** Records what the tcp stage delivers, merging adjacent data so splits don't matter. */
    static final class Recorder implements StreamHandler {
        final ByteArrayOutputStream toServer = new ByteArrayOutputStream();
        final ByteArrayOutputStream toClient = new ByteArrayOutputStream();
        final List<String> events = new ArrayList<>();

        @Override
        public void onData(Direction dir, long ts, byte[] data, int off, int len) {
            (dir == Direction.CLIENT_TO_SERVER ? toServer : toClient).write(data, off, len);
        }

        @Override
        public void onGap(Direction dir, long ts, long missing) {
            events.add("gap " + dir + " " + missing);
            (dir == Direction.CLIENT_TO_SERVER ? toServer : toClient).writeBytes(("<gap " + missing + ">").getBytes());
        }

        @Override
        public void onClose(long ts, CloseReason reason) {
            events.add("close " + reason);
        }

        String client() {
            return toServer.toString(StandardCharsets.ISO_8859_1);
        }

        String server() {
            return toClient.toString(StandardCharsets.ISO_8859_1);
        }
    }

    static Segment seg(Direction dir, int seq, String payload, int flags) {
        byte[] b = payload.getBytes(StandardCharsets.ISO_8859_1);
        return new Segment(1_000L + seq, KEY, dir, seq, flags, b, 0, b.length);
    }

    private final TcpCounters counters = new TcpCounters();
    private final Recorder rec = new Recorder();
    private final List<Boolean> handshakes = new ArrayList<>();
    private final FlowTable table = new FlowTable(
            (k, ts, hs) -> {
                handshakes.add(hs);
                return rec;
            },
            counters,
            100,
            1 << 16);

    /** The client stream "hello world, this is a request" cut into segments starting at ISN 1000. */
    static List<Segment> clientSegments(int pieceLen) {
        String text = "hello world, this is a request";
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < text.length(); i += pieceLen) {
            out.add(seg(
                    Direction.CLIENT_TO_SERVER,
                    1001 + i,
                    text.substring(i, Math.min(text.length(), i + pieceLen)),
                    0x18));
        }
        return out;
    }

    @Test
    void inOrderSegmentsAreDeliveredAfterSyn() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN));
        clientSegments(5).forEach(table::accept);
        assertEquals("hello world, this is a request", rec.client());
        assertEquals(List.of(true), handshakes);
        assertEquals(0, counters.streamGaps.sum());
    }

    @Test
    void reorderedDuplicatedAndOverlappingSegmentsGiveTheSameStream() {
        for (long seed = 0; seed < 200; seed++) {
            Recorder r = new Recorder();
            TcpCounters c = new TcpCounters();
            FlowTable t = new FlowTable((k, ts, hs) -> r, c, 100, 1 << 16);
            t.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN));
            Random rnd = new Random(seed);
            List<Segment> segs = new ArrayList<>(clientSegments(1 + rnd.nextInt(7)));
            segs.addAll(clientSegments(1 + rnd.nextInt(9))); // overlapping retransmissions with other boundaries
            Collections.shuffle(segs, rnd);
            segs.forEach(t::accept);
            assertEquals("hello world, this is a request", r.client(), "seed " + seed);
            assertEquals(0, c.streamGaps.sum(), "seed " + seed);
        }
    }

    @Test
    void aHoleIsReportedAsAGapWhenTheServerAnswers() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN));
        List<Segment> segs = clientSegments(5);
        segs.remove(1); // bytes 5..9 never captured
        segs.forEach(table::accept);
        assertEquals("hello", rec.client());
        table.accept(seg(Direction.SERVER_TO_CLIENT, 5000, "response", 0x18));
        assertEquals("hello<gap 5>d, this is a request", rec.client());
        assertEquals("response", rec.server());
        assertEquals(1, counters.streamGaps.sum());
        assertEquals(5, counters.gapBytes.sum());
    }

    @Test
    void midStreamFlowsStartWithoutHandshakeAndBareAcksCreateNothing() {
        table.accept(seg(Direction.SERVER_TO_CLIENT, 77, "", 0x10));
        assertEquals(0, table.size());
        table.accept(seg(Direction.CLIENT_TO_SERVER, 123456, "abc", 0x18));
        assertEquals(List.of(false), handshakes);
        assertEquals("abc", rec.client());
    }

    @Test
    void sequenceNumbersWrapAround() {
        int isn = -3; // 0xFFFFFFFD: the stream crosses 2^32
        table.accept(seg(Direction.CLIENT_TO_SERVER, isn, "", Segment.SYN));
        table.accept(seg(Direction.CLIENT_TO_SERVER, isn + 1 + 4, "5678", 0x18));
        table.accept(seg(Direction.CLIENT_TO_SERVER, isn + 1, "1234", 0x18));
        assertEquals("12345678", rec.client());
    }

    @Test
    void finFromBothSidesOrRstClosesAndIdleFlowsAreEvicted() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1, "q", 0x18));
        table.accept(seg(Direction.CLIENT_TO_SERVER, 2, "", Segment.FIN | 0x10));
        assertEquals(1, table.size());
        table.accept(seg(Direction.SERVER_TO_CLIENT, 9, "", Segment.FIN | 0x10));
        assertEquals(0, table.size());
        assertEquals(List.of("close FIN"), rec.events);

        table.accept(seg(Direction.CLIENT_TO_SERVER, 100, "x", 0x18));
        table.evictIdle(1_000L + 100 + 5_000_000L, 1_000_000L);
        assertEquals(0, table.size());
        assertEquals(List.of("close FIN", "close IDLE"), rec.events);
        assertEquals(1, counters.connectionsEvicted.sum());
    }

    @Test
    void theTableIsBoundedByEvictingTheLeastRecentlyActiveFlow() {
        Recorder r = new Recorder();
        FlowTable t = new FlowTable((k, ts, hs) -> r, counters, 16, 1 << 16);
        for (int port = 1; port <= 20; port++) {
            FlowKey k = new FlowKey(0, 1, port, 0, 2, 3306);
            t.accept(new Segment(port, k, Direction.CLIENT_TO_SERVER, 0, 0x18, new byte[] {1}, 0, 1));
        }
        assertEquals(16, t.size());
        assertEquals(4, counters.connectionsEvicted.sum());
    }

    @Test
    void aFullReassemblyBufferBecomesAGapNotUnboundedMemory() {
        Recorder r = new Recorder();
        FlowTable t = new FlowTable((k, ts, hs) -> r, counters, 16, 10);
        t.accept(seg(Direction.CLIENT_TO_SERVER, 0, "", Segment.SYN));
        t.accept(seg(Direction.CLIENT_TO_SERVER, 11, "abcdef", 0x18)); // hole of 10 bytes before it
        t.accept(seg(Direction.CLIENT_TO_SERVER, 17, "ghijkl", 0x18)); // buffer would exceed 10 bytes
        assertEquals("<gap 10>abcdefghijkl", r.client());
        assertEquals(1, counters.reassemblyOverflows.sum());
    }

    @Test
    void aSynWithAnotherIsnOnATrackedFlowStartsANewConnectionAndARetransmittedSynDoesNot() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN));
        table.accept(seg(Direction.SERVER_TO_CLIENT, 5000, "", Segment.SYN | Segment.ACK));
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1001, "first", 0x18));
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN)); // late copy of the same SYN
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1006, " request", 0x18));
        assertEquals("first request", rec.client());
        assertEquals(List.of(true), handshakes);
        assertEquals(List.of(), rec.events);
        // the client's port opens a new connection: its RST was not captured, the flow is still tracked
        table.accept(seg(Direction.CLIENT_TO_SERVER, 90000, "", Segment.SYN));
        table.accept(seg(Direction.SERVER_TO_CLIENT, 70000, "", Segment.SYN | Segment.ACK));
        table.accept(seg(Direction.CLIENT_TO_SERVER, 90001, "|second", 0x18));
        assertEquals(List.of("close PORT_REUSED"), rec.events);
        assertEquals(List.of(true, true), handshakes);
        assertEquals("first request|second", rec.client());
        assertEquals(1, counters.portReuses.sum());
        assertEquals(2, counters.connectionsOpened.sum());
        assertEquals(0, counters.streamGaps.sum());
        assertEquals(1, table.size());
    }

    @Test
    void aSynOnAFlowFirstSeenMidStreamOrHalfClosedStartsANewConnection() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1001, "old", 0x18)); // no SYN seen: ISN unknown
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1004, "", Segment.FIN | Segment.ACK)); // server's FIN not seen
        table.accept(seg(Direction.CLIENT_TO_SERVER, 2000, "", Segment.SYN)); // TIME_WAIT reuse of the port
        table.accept(seg(Direction.CLIENT_TO_SERVER, 2001, "|new", 0x18));
        assertEquals(List.of(false, true), handshakes);
        assertEquals(List.of("close PORT_REUSED"), rec.events);
        assertEquals("old|new", rec.client());
        assertEquals(0, counters.streamGaps.sum());
    }

    @Test
    void theServersSynAckIsNotAPortReuse() {
        table.accept(seg(Direction.CLIENT_TO_SERVER, 1000, "", Segment.SYN));
        table.accept(seg(Direction.SERVER_TO_CLIENT, 5000, "", Segment.SYN | Segment.ACK));
        table.accept(seg(Direction.SERVER_TO_CLIENT, 5000, "", Segment.SYN | Segment.ACK)); // retransmitted
        table.accept(seg(Direction.SERVER_TO_CLIENT, 5001, "greeting", 0x18));
        assertEquals("greeting", rec.server());
        assertEquals(List.of(), rec.events);
        assertEquals(0, counters.portReuses.sum());
    }
}
