package io.mysqlprobe.bench;

import io.mysqlprobe.aggregate.AggregateSettings;
import io.mysqlprobe.aggregate.SqlTemplater;
import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowClock;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.protocol.MysqlConnectionDecoder;
import io.mysqlprobe.protocol.ProtocolStats;
import io.mysqlprobe.protocol.RowHints;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.Segment;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-statement hot path after TCP: MySQL decode of a sysbench point select (COM_QUERY + a one-row text
 * result set), fingerprint and aggregation. Run with {@code bench/jmh.sh}; reports ns per statement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {

    private static final int VARIANTS = 1024;
    private final byte[][] requests = new byte[VARIANTS][];
    private byte[] response;
    private MysqlConnectionDecoder decoder;
    private final byte[][] rangeRequests = new byte[VARIANTS][];
    /** sysbench's simple range: 100 rows of a 120-character column in one segment. */
    private byte[] rangeResponse;

    private MysqlConnectionDecoder rangeDecoder;
    /** The capture thread's walk of {@link #rangeResponse}, as it comes with the segment live. */
    private long rangeHint;

    private long ts = 1_700_000_000_000_000L;
    private int i;

    @Setup
    public void setup() {
        for (int v = 0; v < VARIANTS; v++) {
            requests[v] = packet(
                    0,
                    concat(
                            new byte[] {0x03},
                            ("SELECT c FROM sbtest1 WHERE id=" + (v * 7919 % 100_000))
                                    .getBytes(StandardCharsets.UTF_8)));
        }
        ByteArrayOutputStream r = new ByteArrayOutputStream();
        r.writeBytes(packet(1, new byte[] {1})); // column count
        r.writeBytes(packet(2, columnDefinition("sbtest", "sbtest1", "c")));
        r.writeBytes(packet(3, new byte[] {(byte) 0xFE, 0, 0, 0x02, 0})); // EOF after the column definitions
        byte[] value = "83868641912-28773972837-60736120486".getBytes(StandardCharsets.UTF_8);
        r.writeBytes(packet(4, concat(new byte[] {(byte) value.length}, value)));
        r.writeBytes(packet(5, new byte[] {(byte) 0xFE, 0, 0, 0x02, 0})); // EOF, SERVER_STATUS_AUTOCOMMIT
        response = r.toByteArray();
        for (int v = 0; v < VARIANTS; v++) {
            int from = v * 7919 % 100_000;
            rangeRequests[v] = packet(
                    0,
                    concat(
                            new byte[] {0x03},
                            ("SELECT c FROM sbtest1 WHERE id BETWEEN " + from + " AND " + (from + 99))
                                    .getBytes(StandardCharsets.UTF_8)));
        }
        ByteArrayOutputStream rr = new ByteArrayOutputStream();
        rr.writeBytes(packet(1, new byte[] {1}));
        rr.writeBytes(packet(2, columnDefinition("sbtest", "sbtest1", "c")));
        rr.writeBytes(packet(3, new byte[] {(byte) 0xFE, 0, 0, 0x02, 0}));
        byte[] c = ("83868641912-28773972837-60736120486-75162659906-27563526494-20381887404-41576422241-"
                        + "93426793964-56405065102-33518432330")
                .getBytes(StandardCharsets.UTF_8);
        for (int row = 0; row < 100; row++) {
            rr.writeBytes(packet(4 + row, concat(new byte[] {(byte) c.length}, c)));
        }
        rr.writeBytes(packet(104, new byte[] {(byte) 0xFE, 0, 0, 0x02, 0}));
        rangeResponse = rr.toByteArray();
        rangeHint = RowHints.walk(rangeResponse, 0, rangeResponse.length);
        WindowClock clock = new WindowClock(10_000);
        AggregateSettings settings = new AggregateSettings(100_000, false, 5000, 10, 20);
        WindowAggregator agg =
                new WindowAggregator(clock, new SqlTemplater(new Fingerprinter()), () -> settings, new LongAdder());
        FlowKey key = new FlowKey(0, 0xFFFF7F000001L, 40000, 0, 0xFFFF7F000001L, 3306);
        decoder = new MysqlConnectionDecoder(key, false, agg, new ProtocolStats(), SessionLookup.NONE);
        FlowKey other = new FlowKey(0, 0xFFFF7F000001L, 40002, 0, 0xFFFF7F000001L, 3306);
        rangeDecoder = new MysqlConnectionDecoder(other, false, agg, new ProtocolStats(), SessionLookup.NONE);
    }

    /** A 100-row range select: the row path (rows counted from their headers, not copied). */
    @Benchmark
    public void rangeSelect() {
        range(Segment.NO_HINT);
    }

    /** {@link #rangeSelect} with the segment's row hint: the run of rows comes from it, not from their headers. */
    @Benchmark
    public void rangeSelectHinted() {
        range(rangeHint);
    }

    private void range(long hint) {
        byte[] req = rangeRequests[i++ & (VARIANTS - 1)];
        rangeDecoder.onData(Direction.CLIENT_TO_SERVER, ts, req, 0, req.length);
        ts += 50;
        rangeDecoder.onData(Direction.SERVER_TO_CLIENT, ts, rangeResponse, 0, rangeResponse.length, hint);
        ts += 50;
    }

    /** What the hint costs the capture thread for that 100-row response (its bytes in cache, as there). */
    @Benchmark
    public long rangeRowHintWalk() {
        return RowHints.walk(rangeResponse, 0, rangeResponse.length);
    }

    @Benchmark
    public void statement() {
        byte[] req = requests[i++ & (VARIANTS - 1)];
        decoder.onData(Direction.CLIENT_TO_SERVER, ts, req, 0, req.length);
        ts += 50;
        decoder.onData(Direction.SERVER_TO_CLIENT, ts, response, 0, response.length);
        ts += 50;
    }

    static byte[] packet(int seq, byte[] payload) {
        byte[] p = new byte[4 + payload.length];
        p[0] = (byte) payload.length;
        p[1] = (byte) (payload.length >> 8);
        p[2] = (byte) (payload.length >> 16);
        p[3] = (byte) seq;
        System.arraycopy(payload, 0, p, 4, payload.length);
        return p;
    }

    static byte[] columnDefinition(String schema, String table, String name) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (String s : new String[] {"def", schema, table, table, name, name}) {
            byte[] x = s.getBytes(StandardCharsets.UTF_8);
            b.write(x.length); // length-encoded string, short form
            b.writeBytes(x);
        }
        b.writeBytes(new byte[] {0x0c, 0x21, 0x00, (byte) 0xF0, 0, 0, 0, (byte) 0xFE, 0, 0, 0, 0, 0});
        return b.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
