package io.mysqlprobe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.ArrayList;
import java.util.List;

/** Feeds a list of stream events to a decoder, whole, split at an offset, or one byte at a time. */
final class Harness {

    static final FlowKey FLOW = new FlowKey(0, 0x0000_FFFF_7F00_0001L, 50000, 0, 0x0000_FFFF_7F00_0001L, 3306);

    /** Bytes of one direction at one timestamp, or a gap when {@code bytes} is null. */
    record Event(Direction dir, long ts, byte[] bytes, long missing) {
        static Event client(long ts, byte[]... packets) {
            return new Event(Direction.CLIENT_TO_SERVER, ts, Wire.concat(packets), 0);
        }

        static Event server(long ts, byte[]... packets) {
            return new Event(Direction.SERVER_TO_CLIENT, ts, Wire.concat(packets), 0);
        }

        static Event gap(Direction dir, long ts, long missing) {
            return new Event(dir, ts, null, missing);
        }
    }

    /** Result of one run. */
    record Run(List<StatementRecord> records, ProtocolStats.Snapshot stats, MysqlConnectionDecoder decoder) {}

    private Harness() {}

    static Run whole(List<Event> events, boolean sawHandshake) {
        return run(events, sawHandshake, Integer.MAX_VALUE, null);
    }

    static Run whole(List<Event> events, boolean sawHandshake, SessionLookup lookup) {
        return run(events, sawHandshake, Integer.MAX_VALUE, lookup);
    }

    /** Every event is cut into pieces of {@code chunk} bytes (1 = one byte at a time). */
    static Run run(List<Event> events, boolean sawHandshake, int chunk, SessionLookup lookup) {
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(FLOW, sawHandshake, out::add, stats, lookup);
        for (Event e : events) {
            if (e.bytes() == null) {
                d.onGap(e.dir(), e.ts(), e.missing());
                continue;
            }
            for (int off = 0; off < e.bytes().length; off += chunk) {
                int n = Math.min(chunk, e.bytes().length - off);
                d.onData(e.dir(), e.ts(), copy(e.bytes(), off, n), 0, n);
            }
        }
        d.onClose(events.isEmpty() ? 0 : events.get(events.size() - 1).ts(), StreamHandler.CloseReason.FIN);
        return new Run(out, stats.snapshot(), d);
    }

    /** Every event split in two at {@code at} (when longer). */
    static Run splitAt(List<Event> events, boolean sawHandshake, int at, SessionLookup lookup) {
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(FLOW, sawHandshake, out::add, stats, lookup);
        for (Event e : events) {
            if (e.bytes() == null) {
                d.onGap(e.dir(), e.ts(), e.missing());
                continue;
            }
            byte[] b = e.bytes();
            int cut = Math.min(at, b.length);
            d.onData(e.dir(), e.ts(), copy(b, 0, cut), 0, cut);
            if (cut < b.length) {
                // pass a slice of a larger array to exercise offsets
                byte[] padded = new byte[b.length + 3];
                System.arraycopy(b, cut, padded, 2, b.length - cut);
                d.onData(e.dir(), e.ts(), padded, 2, b.length - cut);
            }
        }
        d.onClose(events.isEmpty() ? 0 : events.get(events.size() - 1).ts(), StreamHandler.CloseReason.FIN);
        return new Run(out, stats.snapshot(), d);
    }

    /**
     * Runs the events whole, then split at every offset and one byte at a time, asserts every run
     * yields the same records and counters, and returns the whole run.
     */
    static Run allSplits(List<Event> events, boolean sawHandshake) {
        return allSplits(events, sawHandshake, null);
    }

    static Run allSplits(List<Event> events, boolean sawHandshake, SessionLookup lookup) {
        Run whole = run(events, sawHandshake, Integer.MAX_VALUE, lookup);
        int max = events.stream()
                .filter(e -> e.bytes() != null)
                .mapToInt(e -> e.bytes().length)
                .max()
                .orElse(0);
        for (int at = 1; at < max; at++) {
            Run split = splitAt(events, sawHandshake, at, lookup);
            assertEquals(whole.records(), split.records(), "records differ when split at " + at);
            assertEquals(whole.stats(), split.stats(), "stats differ when split at " + at);
        }
        Run bytes = run(events, sawHandshake, 1, lookup);
        assertEquals(whole.records(), bytes.records(), "records differ when fed one byte at a time");
        assertEquals(whole.stats(), bytes.stats(), "stats differ when fed one byte at a time");
        return whole;
    }

    private static byte[] copy(byte[] b, int off, int n) {
        byte[] c = new byte[n];
        System.arraycopy(b, off, c, 0, n);
        return c;
    }
}
