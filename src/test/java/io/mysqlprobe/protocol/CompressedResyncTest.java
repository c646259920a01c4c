package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CompressionTest.storedFrame;
import static io.mysqlprobe.protocol.CompressionTest.zlibFrame;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import io.mysqlprobe.tcp.Direction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Compressed connections whose handshake was not captured (CLIENT_COMPRESS negotiated before the probe): the
 * {@link ResyncProbe} recognises the compressed framing from the bytes, inflating to check the command inside.
 */
class CompressedResyncTest {

    static final byte[] SELECT_ROWS =
            Packets.resultSet(false, 1, new String[] {"name"}, new String[][] {{"apple"}, {"pear"}}, AUTOCOMMIT, 0);

    /** A session already compressed: a zlib-framed query, then a stored (small) one, then COM_QUIT. */
    static List<Event> midStreamCompressed(byte[] firstFrame) {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(2000, firstFrame));
        ev.add(Event.server(2100, zlibFrame(1, SELECT_ROWS)));
        ev.add(Event.client(3000, storedFrame(0, query("select 2"))));
        ev.add(Event.server(3050, storedFrame(1, ok(1, 0, 0, AUTOCOMMIT, 0))));
        ev.add(Event.client(4000, storedFrame(0, Packets.command(Command.COM_QUIT, ""))));
        return ev;
    }

    static List<String> sql(Run run) {
        return run.records().stream().map(StatementRecord::sql).toList();
    }

    @Test
    void aZlibFirstFrameIsRecognisedAtEverySplit() {
        String long1 = "select name from items where name like 'p%' order by name /* long enough */";
        Run run = Harness.allSplits(midStreamCompressed(zlibFrame(0, query(long1))), false);
        assertEquals(List.of(long1, "select 2", "quit"), sql(run));
        assertEquals(2, run.records().get(0).rowsSent());
        assertEquals(100, run.records().get(0).latencyUs());
        assertEquals(1, run.stats().resyncs());
        assertEquals(1, run.stats().compressedConnections());
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(0, run.stats().discardedBytes());
        assertTrue(run.decoder().compressed());
    }

    @Test
    void aStoredFirstFrameIsRecognisedAtEverySplit() {
        Run run = Harness.allSplits(midStreamCompressed(storedFrame(0, query("select 1"))), false);
        assertEquals(List.of("select 1", "select 2", "quit"), sql(run));
        assertEquals(1, run.stats().compressedConnections());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void aStreamThatOnlyLooksCompressedIsNotDecoded() {
        byte[] text = "hello, this is not a MySQL command at all, just some text".getBytes(StandardCharsets.US_ASCII);
        List<Event> ev = new ArrayList<>();
        // a real zlib stream (0x78 0x9C, inflates fine) whose content is not a packet starting a command
        ev.add(Event.client(1000, zlibFrame(0, text)));
        // header of a zlib frame, FCHECK right (0x78 0x9C), then bytes that do not inflate
        ev.add(Event.client(
                2000,
                Wire.payload()
                        .int3(12)
                        .int1(0)
                        .int3(40)
                        .bytes(new byte[] {0x78, (byte) 0x9C, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                        .raw()));
        // 0x78 but FCHECK wrong
        ev.add(Event.client(
                3000,
                Wire.payload()
                        .int3(12)
                        .int1(0)
                        .int3(40)
                        .bytes(new byte[] {0x78, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
                        .raw()));
        // stored frame whose payload has sequence id 1: not the start of a command
        ev.add(Event.client(
                4000, storedFrame(0, Wire.payload().int1(3).str("select 1").packet(1))));
        // stored frame whose payload's command cannot have that length (COM_PING with a body)
        ev.add(Event.client(
                5000, storedFrame(0, Wire.payload().int1(0x0e).str("xyz").packet(0))));
        ev.add(Event.server(5100, zlibFrame(1, SELECT_ROWS)));
        Run run = Harness.whole(ev, false);
        assertEquals(List.of(), run.records());
        assertEquals(0, run.stats().resyncs());
        assertEquals(0, run.stats().compressedConnections());
        assertEquals(
                ev.stream().mapToLong(e -> e.bytes().length).sum(), run.stats().discardedBytes());
        assertFalse(run.decoder().compressed());
    }

    @Test
    void aPlainCommandIsStillTakenForOneWhenItsBytesCannotBeAFrame() {
        // 5-byte COM_PING, then a plain query whose 5th-7th bytes would make a zlib frame header (length low byte 3)
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, Packets.command(Command.COM_PING, "")));
        ev.add(Event.server(1100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2000, query("select 1")));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, false);
        assertEquals(List.of("ping", "select 1"), sql(run));
        assertEquals(0, run.stats().compressedConnections());
    }

    @Test
    void aShortPlainCommandAloneInItsSegmentIsDecidedWithoutWaitingForTheNext() {
        // COM_SET_OPTION (7 bytes): its bytes 4-6 would read as an uncompressed length of 27
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, Wire.payload().int1(0x1b).int2(0).packet(0)));
        ev.add(Event.server(1100, Packets.eof(1, 0, AUTOCOMMIT)));
        ev.add(Event.client(2000, query("select 1")));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, false);
        assertEquals(
                List.of(Command.COM_SET_OPTION, Command.COM_QUERY),
                run.records().stream().map(StatementRecord::command).toList());
        assertEquals(100, run.records().get(0).latencyUs()); // its own response, not the next command's
        assertEquals(0, run.stats().incompleteStatements());
    }

    @Test
    void aGapOnACompressedConnectionResyncsOnTheNextFrame() {
        List<Event> ev = CompressionTest.compressedHandshake();
        ev.add(Event.client(2000, zlibFrame(0, query("select 1"))));
        ev.add(Event.gap(Direction.SERVER_TO_CLIENT, 2100, 500));
        ev.add(Event.server(2200, Arrays.copyOfRange(zlibFrame(1, SELECT_ROWS), 9, 30))); // the rest of it
        ev.add(Event.client(3000, zlibFrame(0, query("select name from items"))));
        ev.add(Event.server(3100, zlibFrame(1, SELECT_ROWS)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of("select name from items"), sql(run));
        assertEquals(1, run.stats().commandsDropped()); // select 1: its response was lost
        assertEquals(1, run.stats().resyncs());
        assertEquals(0, run.stats().undecodableConnections());
        assertEquals(1, run.stats().compressedConnections());
    }

    @Test
    void aCommandWithoutResponseAtCloseIsAnIncompleteStatement() {
        List<Event> ev = CompressionTest.compressedHandshake();
        ev.add(Event.client(2000, zlibFrame(0, query("select sleep(10)"))));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.records().size());
        StatementRecord r = run.records().get(0);
        assertTrue(r.incomplete());
        assertEquals(0, r.latencyUs());
        assertEquals("select sleep(10)", r.sql());
        assertEquals(1, run.stats().incompleteStatements());
        assertEquals(0, run.stats().commandsDropped());
        assertEquals(1, run.stats().statements());
    }

    /** The real capture: two `mariadb --compress` sessions opened before tcpdump (captures/README.md). */
    @Test
    void realSessionsOpenedBeforeTheCapture() throws Exception {
        List<PcapFixture.Connection> conns = PcapFixture.read("/captures/attach_compressed.pcap", 33071);
        assertEquals(2, conns.size());
        List<List<String>> expected = List.of(
                // the mariadb client strips the comment (--skip-comments is its default)
                List.of(
                        "COM_QUERY|select id, name from items where name like 'p%' order by id|0|2",
                        "COM_QUERY|select * from nosuch|1146|0",
                        "COM_QUERY|prepare s from 'select name from items where id = ?'|0|0",
                        "COM_QUERY|set @i = 2|0|0",
                        "COM_QUERY|select name from items where id = ?|0|1", // execute s using @i, resolved
                        "COM_QUERY|deallocate prepare s|0|0",
                        "COM_QUERY|select repeat('abcdefgh', 2000) as big|0|1",
                        "COM_QUIT|quit|0|0"),
                List.of("COM_QUERY|select 3|0|1", "COM_QUERY|select count(*) from items|0|1", "COM_QUIT|quit|0|0"));
        for (int i = 0; i < 2; i++) {
            Run run = Harness.allSplits(conns.get(i).events(), false);
            assertEquals(
                    expected.get(i),
                    run.records().stream()
                            .map(r -> r.command() + "|" + r.sql() + "|" + r.errno() + "|" + r.rowsSent())
                            .toList());
            assertEquals(1, run.stats().resyncs());
            assertEquals(1, run.stats().compressedConnections());
            assertEquals(0, run.stats().decodeErrorsTotal());
            assertEquals(0, run.stats().commandsDropped());
            assertEquals(0, run.stats().discardedBytes());
            assertEquals(0, run.stats().unmatchedResponses());
            assertEquals(0, run.stats().incompleteStatements());
        }
    }
}
