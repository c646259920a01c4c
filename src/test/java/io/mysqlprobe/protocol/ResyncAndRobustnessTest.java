package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.handshake;
import static io.mysqlprobe.protocol.Packets.columnCount;
import static io.mysqlprobe.protocol.Packets.columnDef;
import static io.mysqlprobe.protocol.Packets.eof;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.okFe;
import static io.mysqlprobe.protocol.Packets.query;
import static io.mysqlprobe.protocol.Packets.textRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResyncAndRobustnessTest {

    static final SessionLookup WATCHER = conn -> new SessionInfo("watcher_user", "watcher_db");

    @Test
    void connectionOpenBeforeCaptureResyncsOnACommandAndLearnsEofStyleFromTheResultSet() {
        List<Event> ev = new ArrayList<>();
        // tail of an earlier response (not decodable: we joined mid-stream)
        ev.add(Event.server(500, new byte[] {5, 0, 0, 9, 'a', 'b', 'c', 'd', 'e', (byte) 0xfe, 0, 0}));
        byte[] q = query("select name from t");
        ev.add(Event.client(1000, q));
        // no EOF after the column definitions, rows, then OK with 0xFE header: CLIENT_DEPRECATE_EOF
        byte[] resp = Wire.concat(
                columnCount(1, 1),
                columnDef(2, "name"),
                textRow(3, "x"),
                textRow(4, "y"),
                okFe(5, AUTOCOMMIT | ServerStatusFlags.SERVER_QUERY_NO_INDEX_USED, 0));
        ev.add(Event.server(1100, resp));
        byte[] q2 = query("select 1");
        byte[] resp2 = Wire.concat(columnCount(1, 1), columnDef(2, "1"), okFe(3, AUTOCOMMIT, 0));
        ev.add(Event.client(2000, q2));
        ev.add(Event.server(2100, resp2));
        Run run = Harness.allSplits(ev, false, WATCHER);
        assertEquals(
                List.of(
                        new StatementRecord(
                                Harness.FLOW,
                                0,
                                "watcher_user",
                                "watcher_db",
                                Command.COM_QUERY,
                                "select name from t",
                                1000,
                                1100,
                                1100,
                                true,
                                0,
                                null,
                                null,
                                2,
                                0,
                                0,
                                AUTOCOMMIT | ServerStatusFlags.SERVER_QUERY_NO_INDEX_USED,
                                q.length,
                                resp.length,
                                null,
                                false),
                        new StatementRecord(
                                Harness.FLOW,
                                0,
                                "watcher_user",
                                "watcher_db",
                                Command.COM_QUERY,
                                "select 1",
                                2000,
                                2100,
                                2100,
                                true,
                                0,
                                null,
                                null,
                                0,
                                0,
                                0,
                                AUTOCOMMIT,
                                q2.length,
                                resp2.length,
                                null,
                                false)),
                run.records());
        assertEquals(0, run.records().get(1).rowsSent());
        assertEquals(1, run.stats().resyncs());
        assertEquals(1, run.stats().connectionsWithoutHandshake());
        assertEquals(12, run.stats().discardedBytes());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void connectionOpenBeforeCaptureLearnsEofPacketsFromTheResultSet() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, query("select name from t")));
        int status = AUTOCOMMIT | ServerStatusFlags.SERVER_QUERY_NO_GOOD_INDEX_USED;
        ev.add(Event.server(
                1100,
                columnCount(1, 1),
                columnDef(2, "name"),
                eof(3, 0, AUTOCOMMIT),
                textRow(4, "x"),
                eof(5, 3, status)));
        ev.add(Event.client(2000, query("select 1")));
        ev.add(Event.server(2100, columnCount(1, 1), columnDef(2, "1"), eof(3, 0, AUTOCOMMIT), eof(4, 0, AUTOCOMMIT)));
        Run run = Harness.allSplits(ev, false);
        assertEquals(2, run.records().size());
        StatementRecord a = run.records().get(0);
        assertNull(a.user());
        assertNull(a.db());
        assertEquals(1, a.rowsSent());
        assertEquals(3, a.warnings());
        assertEquals(status, a.serverStatus());
        assertEquals(0, run.records().get(1).rowsSent());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void unknownEofStyleWithAnEmptyResultSetTellsTheFinalOkFromAnEofByLength() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, query("select a from t where 1 = 0")));
        // 7-byte OK_Packet with 0xFE header right after the definitions: CLIENT_DEPRECATE_EOF, no rows
        ev.add(Event.server(1100, columnCount(1, 1), columnDef(2, "a"), okFe(3, AUTOCOMMIT, 0)));
        ev.add(Event.client(2000, query("select b")));
        ev.add(Event.server(2100, columnCount(1, 1), columnDef(2, "b"), textRow(3, "1"), okFe(4, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, false);
        assertEquals(
                List.of(0L, 1L),
                run.records().stream().map(StatementRecord::rowsSent).toList());
        assertEquals(
                List.of(1100L, 2100L),
                run.records().stream().map(StatementRecord::lastResponseTsUs).toList());
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(0, run.stats().unmatchedResponses());
    }

    @Test
    void unknownEofStyleAfterPrepareWithoutColumnsIsSettledByTheNextPacket() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, Packets.command(Command.COM_STMT_PREPARE, "insert into t values (?)")));
        // one parameter definition; is an EOF_Packet coming? Only the next packet tells.
        ev.add(Event.server(1100, CommandCoverageTest.prepareOk(1, 4, 0, 1), columnDef(2, "?")));
        ev.add(Event.client(2000, CommandCoverageTest.execute(4, 0)));
        ev.add(Event.server(2100, ok(1, 1, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, Packets.command(Command.COM_STMT_PREPARE, "delete from t where a = ?")));
        ev.add(Event.server(3100, CommandCoverageTest.prepareOk(1, 5, 0, 1), columnDef(2, "?")));
        Run run = Harness.allSplits(ev, false);
        assertEquals(
                List.of("insert into t values (?)", "insert into t values (?)", "delete from t where a = ?"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertEquals(
                List.of(1100L, 2100L, 3100L),
                run.records().stream().map(StatementRecord::lastResponseTsUs).toList());
        assertEquals(1, run.records().get(1).rowsAffected());
        assertEquals(0, run.stats().unknownStatementIds());
        assertEquals(0, run.stats().commandsDropped());
    }

    @Test
    void responseTailArrivingAfterResyncIsRejectedBySequenceId() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, query("select 1")));
        // not the answer to "select 1": the tail of an older result set (sequence id 9)
        ev.add(Event.server(1100, textRow(9, "old"), eof(10, 0, AUTOCOMMIT)));
        ev.add(Event.client(2000, query("select 2")));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, false);
        assertEquals(
                List.of("select 2"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertEquals(1, run.stats().decodeErrors(DecodeError.Kind.UNEXPECTED_SEQUENCE));
        assertEquals(1, run.stats().commandsDropped());
        assertEquals(2, run.stats().resyncs());
    }

    @Test
    void factoryWiresSinkStatsAndSessionLookup() {
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlStreamHandlerFactory factory = new MysqlStreamHandlerFactory(out::add, stats, WATCHER);
        var h = factory.open(Harness.FLOW, 10, false);
        byte[] q = query("select 1");
        h.onData(Direction.CLIENT_TO_SERVER, 20, q, 0, q.length);
        byte[] r = ok(1, 0, 0, AUTOCOMMIT, 0);
        h.onData(Direction.SERVER_TO_CLIENT, 30, r, 0, r.length);
        factory.open(Harness.FLOW, 40, true);
        assertEquals(1, out.size());
        assertEquals("watcher_db", out.get(0).db());
        assertEquals(2, stats.snapshot().connections());
        assertEquals(1, stats.snapshot().statements());
    }

    @Test
    void tlsSessionWhoseStartWasNotSeenIsCountedAsTls() {
        List<Event> ev = List.of(
                // TLS 1.2 application_data record: type 0x17, version 3.3, length 0x0120
                Event.client(1000, new byte[] {0x17, 0x03, 0x03, 0x01, 0x20, 5, 6, 7, 8}),
                Event.server(1100, new byte[] {0x17, 0x03, 0x03, 0x00, 0x40, 1, 2, 3}),
                Event.client(1200, query("select 1")));
        Run run = Harness.allSplits(ev, false);
        assertEquals(1, run.stats().tlsConnections());
        assertEquals(List.of(), run.records());
        assertEquals(0, run.stats().discardedBytes()); // TLS bytes are skipped, not counted as lost
    }

    @Test
    void aResponseCutByAGapIsStillCountedToItsEndAndLaterCommandsAreDecodedAgain() {
        List<Event> ev = handshake(CLIENT_CAPS);
        byte[] q = query("select x from big");
        byte[] before = Wire.concat(columnCount(1, 1), columnDef(2, "x"), eof(3, 0, 0), textRow(4, "1"));
        byte[] after = Wire.concat(textRow(77, "9"), eof(78, 0, AUTOCOMMIT)); // the rest of the cut response
        ev.add(Event.client(2000, q));
        ev.add(Event.server(2100, before));
        ev.add(Event.gap(Direction.SERVER_TO_CLIENT, 2200, 50_000));
        ev.add(Event.server(2300, after));
        ev.add(Event.client(3000, query("select 2")));
        ev.add(Event.server(3100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(2, run.records().size());
        StatementRecord cut = run.records().get(0);
        assertEquals("select x from big", cut.sql());
        assertEquals(2000, cut.requestTsUs());
        assertEquals(2100, cut.firstResponseTsUs());
        assertEquals(2300, cut.lastResponseTsUs(), "latency runs to the last byte of the cut response");
        assertEquals(1, cut.rowsSent(), "rows seen before the gap: a lower bound");
        assertEquals(before.length + after.length, cut.bytesOut());
        StatementRecord r = run.records().get(1);
        assertEquals("select 2", r.sql());
        assertEquals("app", r.user()); // the session survives the gap
        assertEquals(42, r.connectionId());
        assertEquals(1, run.stats().gaps());
        assertEquals(1, run.stats().resyncs());
        assertEquals(1, run.stats().responsesCutByGap());
        assertEquals(0, run.stats().commandsDropped());
        assertEquals(after.length, run.stats().discardedBytes());
    }

    @Test
    void aRequestCutByAGapIsDroppedAndCounted() {
        List<Event> ev = handshake(CLIENT_CAPS);
        byte[] q = query("select x from big where a = 'long enough to be cut'");
        ev.add(Event.client(2000, java.util.Arrays.copyOf(q, 10)));
        ev.add(Event.gap(Direction.CLIENT_TO_SERVER, 2050, 20));
        ev.add(Event.client(2060, java.util.Arrays.copyOfRange(q, 30, q.length)));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, query("select 2")));
        ev.add(Event.server(3100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        // whole chunks: resync looks at chunk starts (see garbageAfterAGapIsSkippedUntilAPlausibleCommand)
        Run run = Harness.whole(ev, true);
        assertEquals(
                List.of("select 2"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertEquals(0, run.stats().responsesCutByGap());
        assertEquals(1, run.stats().gaps());
    }

    @Test
    void garbageAfterAGapIsSkippedUntilAPlausibleCommand() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.gap(Direction.CLIENT_TO_SERVER, 1500, 100));
        ev.add(Event.client(1600, "rest of some long query text that lost its head".getBytes()));
        ev.add(Event.client(1700, new byte[] {1, 0, 0, 0, 0x03})); // COM_QUERY of length 1: not plausible
        ev.add(Event.client(1800, new byte[] {9, 0, 0, 3, 0x03, 'x'})); // sequence id 3: not a command start
        ev.add(Event.client(2000, query("select 3")));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        // whole chunks only: while UNSYNCED a command is looked for at the start of each chunk, so how
        // garbage is cut changes which bytes are probed (the records after the resync do not change)
        Run run = Harness.whole(ev, true);
        assertEquals(1, run.records().size());
        assertEquals("select 3", run.records().get(0).sql());
        assertEquals(1, run.stats().resyncs());
        assertEquals(47 + 5 + 6, run.stats().discardedBytes());
    }

    @Test
    void nonMysqlBytesOnThePortAreCountedWithoutException() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.client(1000, "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes()));
        ev.add(Event.server(1100, "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes()));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of(), run.records());
        assertEquals(1, run.stats().undecodableConnections());
        assertEquals(1, run.stats().decodeErrors(DecodeError.Kind.BAD_HANDSHAKE_RESPONSE));
        // the 4 bytes read as a packet header are refused, everything after is dropped and counted
        assertEquals(
                ev.get(0).bytes().length - 4 + ev.get(1).bytes().length,
                run.stats().discardedBytes());

        List<Event> serverFirst = List.of(Event.server(1000, "SSH-2.0-OpenSSH_9.2\r\n".getBytes()));
        Run ssh = Harness.allSplits(serverFirst, true);
        assertEquals(1, ssh.stats().decodeErrors(DecodeError.Kind.BAD_GREETING));
        assertEquals(1, ssh.stats().undecodableConnections());
    }

    @Test
    void randomBytesNeverThrowAndNeverBufferMuch() {
        Random rnd = new Random(42);
        for (int conn = 0; conn < 200; conn++) {
            ProtocolStats stats = new ProtocolStats();
            List<StatementRecord> out = new ArrayList<>();
            MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, conn % 2 == 0, out::add, stats, null);
            for (int i = 0; i < 50; i++) {
                byte[] b = new byte[rnd.nextInt(3000)];
                rnd.nextBytes(b);
                d.onData(
                        rnd.nextBoolean() ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT, i, b, 0, b.length);
                assertTrue(d.bufferCapacity() <= 2 * MysqlConnectionDecoder.DEFAULT_MAX_REQUEST_CAPTURE);
            }
            d.onClose(100, StreamHandler.CloseReason.RST);
            assertEquals(0, stats.snapshot().decodeErrors(DecodeError.Kind.INTERNAL));
        }
    }

    @Test
    void malformedResponseCountsAndResyncs() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("select 1")));
        ev.add(Event.server(2100, Wire.payload().int1(0xFF).int1(1).packet(1))); // ERR_Packet cut inside errno
        ev.add(Event.client(3000, query("select 2")));
        ev.add(Event.server(3100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.stats().decodeErrors(DecodeError.Kind.MALFORMED_PACKET));
        assertEquals(1, run.stats().commandsDropped());
        assertEquals(1, run.stats().resyncs());
        assertEquals(
                List.of("select 2"),
                run.records().stream().map(StatementRecord::sql).toList());
    }

    @Test
    void fiftyMegabyteResultIsCountedWithBoundedMemory() {
        ProtocolStats stats = new ProtocolStats();
        List<StatementRecord> out = new ArrayList<>();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, true, out::add, stats, null);
        feed(d, Direction.SERVER_TO_CLIENT, 1, Packets.greeting("8.0.36", 1, CLIENT_CAPS));
        feed(d, Direction.CLIENT_TO_SERVER, 2, Packets.handshakeResponse(CLIENT_CAPS, "u", "d"));
        feed(d, Direction.SERVER_TO_CLIENT, 3, ok(2, 0, 0, 0, 0));
        feed(d, Direction.CLIENT_TO_SERVER, 10, query("select blob from big"));
        byte[] head = Wire.concat(columnCount(1, 1), columnDef(2, "blob"), eof(3, 0, 0));
        feed(d, Direction.SERVER_TO_CLIENT, 20, head);
        // 800 rows of 64 KiB (one length-encoded string each) = 50 MiB, streamed in 16 KiB chunks
        byte[] value = new byte[64 * 1024 - 4];
        byte[] row = Wire.payload().lenenc(value.length).bytes(value).raw();
        long total = head.length;
        int seq = 4;
        byte[] chunkBuf = new byte[16 * 1024];
        for (int i = 0; i < 800; i++) {
            byte[] pkt = Wire.frame(row, seq++);
            for (int off = 0; off < pkt.length; off += chunkBuf.length) {
                int n = Math.min(chunkBuf.length, pkt.length - off);
                System.arraycopy(pkt, off, chunkBuf, 0, n);
                d.onData(Direction.SERVER_TO_CLIENT, 30 + i, chunkBuf, 0, n);
            }
            total += pkt.length;
            assertTrue(
                    d.bufferCapacity() <= 2 * MysqlConnectionDecoder.DEFAULT_MAX_RESPONSE_CAPTURE + 1024,
                    "buffered " + d.bufferCapacity());
        }
        // and one 20 MiB row: a 0xFFFFFF packet plus a continuation packet
        byte[] hugeValue = new byte[20 * 1024 * 1024];
        byte[] hugeRow = Wire.frame(
                Wire.payload().lenenc(hugeValue.length).bytes(hugeValue).raw(), seq);
        seq += 2;
        for (int off = 0; off < hugeRow.length; off += 1 << 20) {
            int n = Math.min(1 << 20, hugeRow.length - off);
            d.onData(Direction.SERVER_TO_CLIENT, 900, hugeRow, off, n);
        }
        total += hugeRow.length;
        byte[] end = eof(seq, 0, 0);
        feed(d, Direction.SERVER_TO_CLIENT, 1000, end);
        total += end.length;
        assertEquals(1, out.size());
        assertEquals(801, out.get(0).rowsSent());
        assertEquals(total, out.get(0).bytesOut());
        assertEquals(990, out.get(0).latencyUs());
        assertTrue(d.bufferCapacity() <= 2 * MysqlConnectionDecoder.DEFAULT_MAX_RESPONSE_CAPTURE + 1024);
    }

    static void feed(MysqlConnectionDecoder d, Direction dir, long ts, byte[] b) {
        d.onData(dir, ts, b, 0, b.length);
    }
}
