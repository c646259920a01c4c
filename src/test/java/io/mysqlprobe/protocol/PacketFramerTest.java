package io.mysqlprobe.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketFramerTest {

    /** What a packet looked like when delivered. */
    record Seen(int seq, int lastSeq, long length, byte[] prefix, long wire, long tsFirst, long tsLast, long offset) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Seen s
                    && s.seq == seq
                    && s.lastSeq == lastSeq
                    && s.length == length
                    && Arrays.equals(s.prefix, prefix)
                    && s.wire == wire
                    && s.tsFirst == tsFirst
                    && s.tsLast == tsLast
                    && s.offset == offset;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(length);
        }
    }

    static List<Seen> frame(byte[] stream, int cap, int chunk) {
        List<Seen> out = new ArrayList<>();
        PacketFramer f = new PacketFramer(
                cap,
                p -> out.add(new Seen(
                        p.sequenceId,
                        p.lastSequenceId,
                        p.length,
                        Arrays.copyOfRange(p.payload, p.offset, p.offset + p.captured),
                        p.wireBytes,
                        p.tsFirst,
                        p.tsLast,
                        p.streamOffset)));
        for (int off = 0, i = 0; off < stream.length; off += chunk, i++) {
            int n = Math.min(chunk, stream.length - off);
            assertEquals(n, f.feed(stream, off, n, off)); // timestamp = offset, so tsFirst/tsLast are checkable
        }
        return out;
    }

    @Test
    void wholeRowsAreCountedInBulkAndEverythingElseIsFramedOneByOne() {
        byte[] rows = Wire.concat(
                Wire.frame(new byte[] {1, 'a'}, 5),
                Wire.frame(new byte[] {(byte) 0xFB}, 6),
                Wire.frame(new byte[] {0}, 7));
        byte[] eof = Wire.frame(new byte[] {(byte) 0xFE, 0, 0, 2, 0}, 8);
        byte[] stream = Wire.concat(rows, eof, Wire.frame(new byte[] {1, 'b'}, 9));
        List<String> calls = new ArrayList<>();
        PacketFramer f = new PacketFramer(64, new PacketFramer.PacketSink() {
            boolean inRows = true;

            @Override
            public void onPacket(Packet p) {
                calls.add("packet seq " + p.sequenceId + " header " + (p.header() & 0xFF));
                inRows = false; // the EOF ends the result set
            }

            @Override
            public boolean rowsFollow() {
                return inRows;
            }

            @Override
            public void onRows(int count, long wireBytes, long ts) {
                calls.add(count + " rows, " + wireBytes + " bytes at " + ts);
            }
        });
        // the last row's header is cut by the buffer's end: it is framed the ordinary way
        assertEquals(rows.length - 2, f.feed(stream, 0, rows.length - 2, 7));
        assertEquals(
                stream.length - rows.length + 2, f.feed(stream, rows.length - 2, stream.length - rows.length + 2, 9));
        assertEquals(
                List.of(
                        "2 rows, " + (6 + 5) + " bytes at 7",
                        "packet seq 7 header 0",
                        "packet seq 8 header 254",
                        "packet seq 9 header 1"),
                calls);
    }

    @Test
    void continuationPacketsAreJoinedAndOnlyThePrefixKept() {
        byte[] big = new byte[0xFFFFFF + 10];
        Arrays.fill(big, (byte) 'x');
        big[0] = 3;
        byte[] stream = Wire.concat(Wire.frame(new byte[] {1, 2}, 0), Wire.frame(big, 1), Wire.frame(new byte[0], 3));
        List<Seen> seen = frame(stream, 8, stream.length);
        assertEquals(3, seen.size());
        assertArrayEquals(new byte[] {1, 2}, seen.get(0).prefix());
        Seen b = seen.get(1);
        assertEquals(1, b.seq());
        assertEquals(2, b.lastSeq());
        assertEquals(0xFFFFFF + 10, b.length());
        assertEquals(0xFFFFFF + 10 + 8, b.wire());
        assertEquals(8, b.prefix().length);
        assertEquals(3, b.prefix()[0]);
        assertEquals(6, b.offset());
        assertEquals(0, seen.get(2).length());
        assertEquals(3, seen.get(2).seq());
    }

    @Test
    void exactly0xFfffffBytesNeedsAnEmptyContinuationPacket() {
        byte[] payload = new byte[0xFFFFFF];
        byte[] stream = Wire.frame(payload, 5); // 0xFFFFFF packet + empty packet
        assertEquals(0xFFFFFF + 8, stream.length);
        List<Seen> seen = frame(stream, 4, 1 << 20);
        assertEquals(1, seen.size());
        assertEquals(0xFFFFFF, seen.get(0).length());
        assertEquals(6, seen.get(0).lastSeq());
    }

    @Test
    void everySplitGivesTheSamePacketsWithTimestampsOfTheirFirstAndLastByte() {
        byte[] stream = Wire.concat(
                Wire.frame("hello".getBytes(), 0), Wire.frame(new byte[0], 1), Wire.frame("world!".getBytes(), 2));
        List<Seen> whole = frame(stream, 64, stream.length);
        assertEquals(3, whole.size());
        for (int chunk = 1; chunk < stream.length; chunk++) {
            List<Seen> split = frame(stream, 64, chunk);
            for (int i = 0; i < 3; i++) {
                Seen w = whole.get(i);
                Seen s = split.get(i);
                assertEquals(w.length(), s.length());
                assertArrayEquals(w.prefix(), s.prefix());
                assertEquals(w.offset(), s.offset());
                assertEquals((w.offset() / chunk) * chunk, s.tsFirst(), "first byte's chunk");
                long last = w.offset() + w.wire() - 1;
                assertEquals((last / chunk) * chunk, s.tsLast(), "last byte's chunk");
            }
        }
    }

    @Test
    void refusedHeaderPausesAndForgetsThePacket() {
        List<Integer> lengths = new ArrayList<>();
        PacketFramer f = new PacketFramer(64, new PacketFramer.PacketSink() {
            @Override
            public void onPacket(Packet p) {
                lengths.add((int) p.length);
            }

            @Override
            public boolean acceptHeader(int length, int sequenceId) {
                return length < 100;
            }
        });
        byte[] stream =
                Wire.concat(Wire.frame(new byte[3], 0), new byte[] {(byte) 0xff, (byte) 0xff, 0x10, 0}, new byte[9]);
        assertEquals(11, f.feed(stream, 0, stream.length, 0)); // 7 + the refused 4-byte header
        assertEquals(List.of(3), lengths);
        assertEquals(true, f.atBoundary());
    }
}
