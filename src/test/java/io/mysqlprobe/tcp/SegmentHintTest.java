package io.mysqlprobe.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A segment's hint reaches the stream handler only with the segment's whole payload delivered in order: a trimmed
 * retransmission or a segment that waited for a hole comes without it.
 */
class SegmentHintTest {

    private final List<String> delivered = new ArrayList<>();
    private final FlowTable table = new FlowTable(
            (k, ts, hs) -> new StreamHandler() {
                @Override
                public void onData(Direction dir, long ts, byte[] data, int off, int len) {
                    throw new AssertionError("the tcp stage gives every delivery its hint, or NO_HINT");
                }

                @Override
                public void onData(Direction dir, long ts, byte[] data, int off, int len, long hint) {
                    String text = new String(data, off, len, StandardCharsets.ISO_8859_1);
                    delivered.add(text + (hint == Segment.NO_HINT ? "" : " #" + hint));
                }

                @Override
                public void onGap(Direction dir, long ts, long missing) {
                    delivered.add("gap " + missing);
                }

                @Override
                public void onClose(long ts, CloseReason reason) {}
            },
            new TcpCounters(),
            100,
            1 << 16);

    private void server(int seq, String payload, long hint) {
        byte[] b = ("..." + payload).getBytes(StandardCharsets.ISO_8859_1); // the payload lies after a header
        table.accept(new Segment(
                seq, FlowTableTest.KEY, Direction.SERVER_TO_CLIENT, seq, Segment.ACK, b, 3, b.length - 3, hint));
    }

    @Test
    void onlyWholeInOrderPayloadsKeepTheirHint() {
        server(100, "abcd", 1);
        server(104, "efgh", 2);
        server(102, "cdefghij", 3); // a retransmission overlapping what came: only "ij" is new, trimmed
        server(114, "op", 4); // ahead of a hole: waits
        server(110, "klmn", 5); // fills the hole: in order and whole
        server(110, "klmn", 6); // a pure retransmission: nothing delivered
        server(116, "qr", 7);
        assertEquals(List.of("abcd #1", "efgh #2", "ij", "klmn #5", "op", "qr #7"), delivered);
    }

    @Test
    void theParserHintsServerPayloadsOnly() {
        SegmentParser p = new SegmentParser(3306, new TcpCounters(), (b, off, len) -> off * 1000L + len);
        byte[] toClient = ipv4Tcp(3306, 40000, "rows");
        byte[] toServer = ipv4Tcp(40000, 3306, "query");
        assertEquals(40 * 1000L + 4, p.parse(1, toClient, 0, toClient.length).hint());
        assertEquals(Segment.NO_HINT, p.parse(1, toServer, 0, toServer.length).hint());
        assertEquals(
                Segment.NO_HINT,
                new SegmentParser(3306, new TcpCounters())
                        .parse(1, toClient, 0, toClient.length)
                        .hint());
    }

    /** A minimal IPv4 + TCP (ACK|PSH) frame carrying {@code payload}. */
    static byte[] ipv4Tcp(int srcPort, int dstPort, String payload) {
        byte[] data = payload.getBytes(StandardCharsets.ISO_8859_1);
        byte[] f = new byte[40 + data.length];
        f[0] = 0x45;
        f[2] = (byte) (f.length >> 8);
        f[3] = (byte) f.length;
        f[8] = 64;
        f[9] = 6;
        f[12] = 127;
        f[15] = 1;
        f[16] = 127;
        f[19] = 1;
        f[20] = (byte) (srcPort >> 8);
        f[21] = (byte) srcPort;
        f[22] = (byte) (dstPort >> 8);
        f[23] = (byte) dstPort;
        f[32] = 0x50; // data offset 5 words
        f[33] = 0x18;
        System.arraycopy(data, 0, f, 40, data.length);
        return f;
    }
}
