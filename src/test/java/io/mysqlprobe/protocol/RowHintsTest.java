package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The capture thread's row hints give the decoder exactly the counts of its own row walk: every stream is decoded
 * with and without hints, whole and cut into segments, and the statements and counters must be the same.
 */
class RowHintsTest {

    private static final String C = "83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-"
            + "41576422241-93426793964-56405065102-33518432330"; // sysbench's c column: 119 characters

    /** 100 rows of about 125 bytes; row 10 has an empty first column (0x00), row 20 a NULL one (0xFB). */
    static String[][] hundredRows() {
        String[][] rows = new String[100][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new String[] {i == 10 ? "" : i == 20 ? null : C, Integer.toString(i)};
        }
        return rows;
    }

    static int packets(boolean deprecateEof, int columns, int rows) {
        return 1 + columns + (deprecateEof ? 0 : 1) + rows + 1;
    }

    /** A 100-row result, then three one-row results in one segment (more breaks than a hint holds), then an ERR. */
    static List<Event> workload(boolean deprecateEof) {
        long caps = CLIENT_CAPS | (deprecateEof ? CapabilityFlags.CLIENT_DEPRECATE_EOF : 0);
        List<Event> ev = MysqlConnectionDecoderTest.handshake(caps | CapabilityFlags.CLIENT_DEPRECATE_EOF, caps);
        String[] cols = {"c", "id"};
        ev.add(Event.client(2000, Packets.query("SELECT c, id FROM sbtest1 WHERE id BETWEEN 1 AND 100")));
        ev.add(Event.server(2100, Packets.resultSet(deprecateEof, 1, cols, hundredRows(), AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, Packets.query("select 1; select 2; select 3")));
        int more = AUTOCOMMIT | ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS;
        String[][] one = {{"1"}};
        int seq = 1;
        byte[] r1 = Packets.resultSet(deprecateEof, seq, new String[] {"1"}, one, more, 0);
        seq += packets(deprecateEof, 1, 1);
        byte[] r2 = Packets.resultSet(deprecateEof, seq, new String[] {"2"}, one, more, 0);
        seq += packets(deprecateEof, 1, 1);
        byte[] r3 = Packets.resultSet(deprecateEof, seq, new String[] {"3"}, one, AUTOCOMMIT, 0);
        ev.add(Event.server(3100, r1, r2, r3));
        ev.add(Event.client(4000, Packets.query("select * from nope")));
        ev.add(Event.server(4100, Packets.err(1, 1146, "42S02", "Table 'shop.nope' doesn't exist")));
        return ev;
    }

    record Outcome(String records, String stats, long hintedRows) {}

    /**
     * Decodes {@code events}, each server event cut into segments by {@code cut}; each segment lies at offset 7 of a
     * larger array (as in a capture chunk) and, when {@code hinted}, comes with the capture's walk of it.
     */
    static Outcome decode(List<Event> events, Function<byte[], List<byte[]>> cut, boolean hinted) {
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, true, out::add, stats, null);
        for (Event e : events) {
            List<byte[]> segments = e.dir() == Direction.SERVER_TO_CLIENT ? cut.apply(e.bytes()) : List.of(e.bytes());
            for (byte[] s : segments) {
                byte[] chunk = new byte[s.length + 14];
                Arrays.fill(chunk, (byte) 0xFE); // neighbours that would end a row run, were they read
                System.arraycopy(s, 0, chunk, 7, s.length);
                long hint = hinted && e.dir() == Direction.SERVER_TO_CLIENT
                        ? RowHints.walk(chunk, 7, s.length)
                        : RowHints.NONE;
                d.onData(e.dir(), e.ts(), chunk, 7, s.length, hint);
            }
        }
        d.onClose(events.get(events.size() - 1).ts(), StreamHandler.CloseReason.FIN);
        return new Outcome(out.toString(), stats.snapshot().toString(), d.hintedRows());
    }

    static Outcome sameAsWithoutHints(List<Event> events, Function<byte[], List<byte[]>> cut) {
        Outcome plain = decode(events, cut, false);
        Outcome hinted = decode(events, cut, true);
        assertEquals(plain.records(), hinted.records());
        assertEquals(plain.stats(), hinted.stats());
        assertEquals(0, plain.hintedRows());
        return hinted;
    }

    static List<byte[]> at(byte[] b, int... cuts) {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int c : cuts) {
            parts.add(Arrays.copyOfRange(b, from, c));
            from = c;
        }
        parts.add(Arrays.copyOfRange(b, from, b.length));
        return parts;
    }

    @Test
    void wholeSegmentsTakeTheirRowsFromTheHintUpToItsTwoBreaks() {
        Outcome eof = sameAsWithoutHints(workload(false), List::of);
        assertTrue(eof.records().contains("rowsSent=100"), eof.records());
        // 100 rows; of the three results in one segment only the first (breaks: its column EOF and its end)
        assertEquals(100 + 1, eof.hintedRows());
        // without column EOFs the two breaks are the ends of the first two results
        assertEquals(100 + 2, sameAsWithoutHints(workload(true), List::of).hintedRows());
    }

    @Test
    void aSegmentThatStartsMidPacketWalksItsRowsAndOneAtABoundaryUsesItsHint() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            List<Event> ev = workload(deprecateEof);
            byte[] response = ev.get(4).bytes();
            int row50 = rowStart(response, packets(deprecateEof, 2, 0) - 1 + 50);
            // cut inside row 50's header: 50 rows from the first segment's hint, the rest walked
            assertEquals(50 + 1 + (deprecateEof ? 1 : 0), hinted(ev, response, row50 + 2), "mid-packet");
            // cut right before row 50: the second segment starts at a packet and its hint gives the other 50
            assertEquals(100 + 1 + (deprecateEof ? 1 : 0), hinted(ev, response, row50), "at a packet");
        }
    }

    private static long hinted(List<Event> ev, byte[] response, int cutAt) {
        return sameAsWithoutHints(ev, b -> b == response ? at(b, cutAt) : List.of(b))
                .hintedRows();
    }

    /** Offset of packet {@code n} (from 0) in a stream of whole packets. */
    static int rowStart(byte[] b, int n) {
        int pos = 0;
        for (int i = 0; i < n; i++) {
            pos += 4 + ((b[pos] & 0xFF) | (b[pos + 1] & 0xFF) << 8 | (b[pos + 2] & 0xFF) << 16);
        }
        return pos;
    }

    @Test
    void everyCutIntoTwoOrThreeSegmentsGivesTheSameCounts() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            List<Event> ev = workload(deprecateEof);
            for (int e = 0; e < ev.size(); e++) {
                byte[] target = ev.get(e).bytes();
                if (ev.get(e).dir() != Direction.SERVER_TO_CLIENT) {
                    continue;
                }
                for (int c = 1; c < target.length; c += 1 + c / 64) {
                    int c1 = c;
                    sameAsWithoutHints(ev, b -> b == target ? at(b, c1) : List.of(b));
                    int c2 = Math.min(target.length - 1, c + 131);
                    if (c2 > c) {
                        sameAsWithoutHints(ev, b -> b == target ? at(b, c1, c2) : List.of(b));
                    }
                }
            }
        }
    }

    @Test
    void oneByteSegmentsNeverTakeAHint() {
        Outcome o = sameAsWithoutHints(workload(false), b -> {
            List<byte[]> bytes = new ArrayList<>();
            for (int i = 0; i < b.length; i++) {
                bytes.add(new byte[] {b[i]});
            }
            return bytes;
        });
        assertEquals(0, o.hintedRows());
    }

    @Test
    void compressedSegmentsAreNeverWalkedAsPackets() {
        List<Event> ev = CompressionTest.compressedHandshake();
        ev.add(Event.client(2000, CompressionTest.zlibFrame(0, Packets.query("select c from t"))));
        byte[] resp =
                Packets.resultSet(false, 1, new String[] {"c"}, new String[][] {{C}, {""}, {null}}, AUTOCOMMIT, 0);
        ev.add(Event.server(2100, CompressionTest.storedFrame(1, resp))); // its rows lie in it as they are
        ev.add(Event.client(3000, CompressionTest.storedFrame(0, Packets.query("select c from t"))));
        ev.add(Event.server(3100, CompressionTest.zlibFrame(1, resp)));
        Outcome o = sameAsWithoutHints(ev, List::of);
        assertTrue(o.records().contains("rowsSent=3"), o.records());
        assertEquals(0, o.hintedRows());
    }

    @Test
    void theWalkRecordsBreaksWithTheirOffsetAndOrdinal() {
        byte[] rows = Wire.concat(
                Wire.frame(new byte[] {1, 'a'}, 1), // ordinal 0 at 0
                Wire.frame(new byte[] {0}, 2), // an empty string: a row, at 6
                Wire.frame(new byte[] {(byte) 0xFB}, 3), // NULL: a row, at 11
                Wire.frame(new byte[] {(byte) 0xFE, 0, 0, 2, 0}, 4), // EOF: a break, ordinal 3 at 16
                Wire.frame(new byte[] {2, 'b', 'c'}, 5), // ordinal 4 at 25
                Wire.frame(new byte[0], 6), // empty packet: a break, ordinal 5 at 32
                Wire.frame(new byte[] {1, 'd'}, 7)); // ordinal 6 at 36, ends at 42
        long h = RowHints.walk(rows, 0, rows.length);
        assertEquals(3L << 32 | 16, RowHints.run(h, 0, 0));
        assertEquals(2L << 32 | 10, RowHints.run(h, 6, 1));
        assertEquals(0, RowHints.run(h, 16, 3)); // a break: no run
        assertEquals(1L << 32 | 7, RowHints.run(h, 25, 4));
        assertEquals(RowHints.UNKNOWN, RowHints.run(h, 36, 6)); // beyond the hint's two breaks
        assertEquals(RowHints.UNKNOWN, RowHints.run(h, 7, 1)); // not where the hint has packet 1
        // cut inside the last packet: the chain ends there, and a run reaches it
        long cut = RowHints.walk(Arrays.copyOf(rows, 16 + 9 + 3), 0, 16 + 9 + 3);
        assertEquals(3L << 32 | 16, RowHints.run(cut, 0, 0));
        assertEquals(0, RowHints.run(cut, 25, 4));
        long headerCut = RowHints.walk(rows, 0, 14); // fewer than 5 bytes of packet 2
        assertEquals(2L << 32 | 11, RowHints.run(headerCut, 0, 0));
        assertEquals(RowHints.UNKNOWN, RowHints.run(headerCut, 16, 3)); // past the chain's end
        assertEquals(RowHints.NONE, RowHints.walk(new byte[RowHints.MAX_PAYLOAD + 1], 0, RowHints.MAX_PAYLOAD + 1));
    }
}
