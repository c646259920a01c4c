package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import io.mysqlprobe.tcp.Direction;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class CompressionTest {

    static final long COMPRESS_CAPS = CLIENT_CAPS | CapabilityFlags.CLIENT_COMPRESS;

    /** Compressed frame: compressed length (3), compressed sequence id (1), uncompressed length (3), zlib data. */
    static byte[] zlibFrame(int seq, byte[] payload) {
        Deflater d = new Deflater();
        d.setInput(payload);
        d.finish();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        while (!d.finished()) {
            o.write(buf, 0, d.deflate(buf));
        }
        d.end();
        byte[] z = o.toByteArray();
        return Wire.payload()
                .int3(z.length)
                .int1(seq)
                .int3(payload.length)
                .bytes(z)
                .raw();
    }

    /** Compressed frame stored as is (uncompressed length 0). */
    static byte[] storedFrame(int seq, byte[] payload) {
        return Wire.payload()
                .int3(payload.length)
                .int1(seq)
                .int3(0)
                .bytes(payload)
                .raw();
    }

    static List<Event> compressedHandshake() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.server(1000, Packets.greeting("8.0.36", 5, COMPRESS_CAPS)));
        ev.add(Event.client(1100, Packets.handshakeResponse(COMPRESS_CAPS, "app", "shop")));
        ev.add(Event.server(1200, ok(2, 0, 0, AUTOCOMMIT, 0)));
        return ev;
    }

    @Test
    void compressedQueriesWithStoredAndZlibFramesAndAPacketSpanningFrames() {
        List<Event> ev = compressedHandshake();
        byte[] q1 = query("select name from items");
        ev.add(Event.client(2000, zlibFrame(0, q1)));
        // the response's packets, cut across two zlib frames at an awkward offset
        byte[] resp =
                Packets.resultSet(false, 1, new String[] {"name"}, new String[][] {{"apple"}, {"pear"}}, AUTOCOMMIT, 0);
        int cut = 17;
        ev.add(Event.server(2100, zlibFrame(1, Arrays.copyOfRange(resp, 0, cut))));
        ev.add(Event.server(2200, zlibFrame(2, Arrays.copyOfRange(resp, cut, resp.length))));
        byte[] q2 = query("update items set name = 'x'");
        ev.add(Event.client(3000, storedFrame(0, q2))); // small packets are sent uncompressed
        ev.add(Event.server(3050, storedFrame(1, ok(1, 2, 0, AUTOCOMMIT, 0))));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.stats().compressedConnections());
        assertEquals(0, run.stats().decodeErrorsTotal());
        List<StatementRecord> r = run.records();
        assertEquals(2, r.size());
        assertEquals(
                new StatementRecord(
                        Harness.FLOW,
                        5,
                        "app",
                        "shop",
                        Command.COM_QUERY,
                        "select name from items",
                        2000,
                        2100,
                        2200,
                        true,
                        0,
                        null,
                        null,
                        2,
                        0,
                        0,
                        AUTOCOMMIT,
                        q1.length,
                        resp.length,
                        null,
                        false),
                r.get(0));
        assertEquals(2, r.get(1).rowsAffected());
        assertEquals(50, r.get(1).latencyUs());
    }

    @Test
    void authOkAndFirstCompressedFrameInOneSegment() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.server(1000, Packets.greeting("8.0.36", 5, COMPRESS_CAPS)));
        ev.add(Event.client(1100, Packets.handshakeResponse(COMPRESS_CAPS, "app", "shop")));
        ev.add(Event.server(1200, ok(2, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2000, zlibFrame(0, query("select 1")), zlibFrame(0, query("select 2"))));
        ev.add(Event.server(
                2100,
                Wire.concat(zlibFrame(1, ok(1, 0, 0, AUTOCOMMIT, 0)), storedFrame(1, ok(1, 0, 0, AUTOCOMMIT, 0)))));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of("select 1", "select 2"),
                run.records().stream().map(StatementRecord::sql).toList());
    }

    @Test
    void brokenZlibDataIsCountedAndTheConnectionResyncsOnTheNextFrame() {
        List<Event> ev = compressedHandshake();
        byte[] bad = Wire.payload()
                .int3(6)
                .int1(0)
                .int3(20)
                .bytes(new byte[] {1, 2, 3, 4, 5, 6})
                .raw();
        ev.add(Event.client(2000, bad));
        ev.add(Event.client(3000, zlibFrame(0, query("select 1"))));
        Run run = Harness.whole(ev, true);
        // the next frame is found again by the ResyncProbe (it was given up on before compressed resync existed);
        // its response never came: an incomplete statement
        assertEquals(
                List.of("select 1"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertEquals(true, run.records().get(0).incomplete());
        assertEquals(1, run.stats().decodeErrors(DecodeError.Kind.BAD_COMPRESSED_FRAME));
        assertEquals(0, run.stats().undecodableConnections());
        assertEquals(1, run.stats().resyncs());
    }

    @Test
    void gapOnACompressedConnectionIsCountedAndResyncs() {
        List<Event> ev = compressedHandshake();
        ev.add(Event.client(2000, zlibFrame(0, query("select 1"))));
        ev.add(Event.gap(Direction.SERVER_TO_CLIENT, 2100, 500));
        ev.add(Event.client(3000, zlibFrame(0, query("select 2"))));
        Run run = Harness.allSplits(ev, true);
        // select 1 is dropped with its lost response; select 2 starts a compressed frame: resync (it was given up on
        // before compressed resync existed), and its response never came: an incomplete statement
        assertEquals(
                List.of("select 2"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertTrue(run.records().get(0).incomplete());
        assertEquals(0, run.stats().undecodableConnections());
        assertEquals(1, run.stats().commandsDropped());
        assertEquals(1, run.stats().resyncs());
    }
}
