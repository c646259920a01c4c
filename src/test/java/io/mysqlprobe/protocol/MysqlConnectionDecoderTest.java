package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_CONNECT_WITH_DB;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_MULTI_STATEMENTS;
import static io.mysqlprobe.protocol.Packets.BASE_CAPS;
import static io.mysqlprobe.protocol.Packets.columnCount;
import static io.mysqlprobe.protocol.Packets.columnDef;
import static io.mysqlprobe.protocol.Packets.eof;
import static io.mysqlprobe.protocol.Packets.err;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.query;
import static io.mysqlprobe.protocol.Packets.textRow;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_QUERY_NO_GOOD_INDEX_USED;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_QUERY_NO_INDEX_USED;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_QUERY_WAS_SLOW;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_STATUS_AUTOCOMMIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MysqlConnectionDecoderTest {

    static final int AUTOCOMMIT = SERVER_STATUS_AUTOCOMMIT;
    static final long CLIENT_CAPS = BASE_CAPS | CLIENT_CONNECT_WITH_DB | CLIENT_MULTI_STATEMENTS;

    /** Greeting at 1000, HandshakeResponse at 1100, OK at 1200. */
    static List<Event> handshake(long serverCaps, long clientCaps) {
        List<Event> events = new ArrayList<>();
        events.add(Event.server(1000, Packets.greeting("8.0.36", 42, serverCaps)));
        events.add(Event.client(1100, Packets.handshakeResponse(clientCaps, "app", "shop")));
        events.add(Event.server(1200, ok(2, 0, 0, AUTOCOMMIT, 0)));
        return events;
    }

    static List<Event> handshake(long caps) {
        return handshake(
                caps | CLIENT_DEPRECATE_EOF | CapabilityFlags.CLIENT_COMPRESS | CapabilityFlags.CLIENT_QUERY_ATTRIBUTES,
                caps);
    }

    static long wire(byte[]... parts) {
        return Wire.concat(parts).length;
    }

    @Test
    void handshakeGivesServerVersionConnectionIdUserDbAndNegotiatedCapabilities() {
        Run run = Harness.allSplits(handshake(CLIENT_CAPS), true);
        MysqlConnectionDecoder d = run.decoder();
        assertEquals("8.0.36", d.serverVersion());
        assertEquals(42, d.connectionId());
        assertEquals("app", d.user());
        assertEquals("shop", d.db());
        assertEquals(CLIENT_CAPS, d.capabilities()); // server's DEPRECATE_EOF/COMPRESS/QUERY_ATTRIBUTES not asked for
        assertFalse(d.compressed());
        assertEquals(List.of(), run.records());
        assertEquals(1, run.stats().connections());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void greetingWhosePluginNameLacksItsNulIsStillRead() {
        byte[] g = Packets.greeting("5.5.8-log", 77, CLIENT_CAPS);
        byte[] cut = java.util.Arrays.copyOf(g, g.length - 1); // drop the final NUL ...
        cut[0]--; // ... and shorten the payload length
        List<Event> ev = new ArrayList<>(List.of(
                Event.server(1000, cut),
                Event.client(1100, Packets.handshakeResponse(CLIENT_CAPS, "app", "shop")),
                Event.server(1200, ok(2, 0, 0, AUTOCOMMIT, 0))));
        Run run = Harness.allSplits(ev, true);
        assertEquals("5.5.8-log", run.decoder().serverVersion());
        assertEquals(77, run.decoder().connectionId());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void greetingAnsweredWithErrIsCountedAsRefused() {
        List<Event> ev = List.of(Event.server(1000, err(0, 1040, "08004", "Too many connections")));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.stats().refusedConnections());
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(List.of(), run.records());
    }

    @Test
    void textResultSetWithEofPacketsTakesStatusAndWarningsFromTheFinalEof() {
        List<Event> ev = handshake(CLIENT_CAPS);
        byte[] q = query("select id, name from t");
        byte[] head = Wire.concat(columnCount(1, 2), columnDef(2, "id"), columnDef(3, "name"), eof(4, 0, AUTOCOMMIT));
        int finalStatus = AUTOCOMMIT | SERVER_QUERY_NO_INDEX_USED | SERVER_QUERY_WAS_SLOW;
        byte[] rows = Wire.concat(textRow(5, "1", "apple"), textRow(6, "2", null), eof(7, 1, finalStatus));
        ev.add(Event.client(2000, q));
        ev.add(Event.server(2100, head));
        ev.add(Event.server(2250, rows));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of(new StatementRecord(
                        Harness.FLOW,
                        42,
                        "app",
                        "shop",
                        Command.COM_QUERY,
                        "select id, name from t",
                        2000,
                        2100,
                        2250,
                        true,
                        0,
                        null,
                        null,
                        2,
                        0,
                        1,
                        finalStatus,
                        q.length,
                        wire(head, rows),
                        null,
                        false)),
                run.records());
        assertEquals(250, run.records().get(0).latencyUs());
    }

    @Test
    void textResultSetWithDeprecateEofEndsWithOkPacketWith0xFeHeader() {
        long caps = CLIENT_CAPS | CLIENT_DEPRECATE_EOF;
        List<Event> ev = handshake(caps);
        byte[] q = query("select name from t where x = 1");
        int status = AUTOCOMMIT | SERVER_QUERY_NO_GOOD_INDEX_USED;
        byte[] resp =
                Packets.resultSet(true, 1, new String[] {"name"}, new String[][] {{"a"}, {"b"}, {"c"}}, status, 2);
        ev.add(Event.client(3000, q));
        ev.add(Event.server(3400, resp));
        ev.add(Event.client(4000, query("select 1")));
        ev.add(Event.server(4010, Packets.resultSet(true, 1, new String[] {"1"}, new String[][] {}, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(2, run.records().size());
        assertEquals(
                new StatementRecord(
                        Harness.FLOW,
                        42,
                        "app",
                        "shop",
                        Command.COM_QUERY,
                        "select name from t where x = 1",
                        3000,
                        3400,
                        3400,
                        true,
                        0,
                        null,
                        null,
                        3,
                        0,
                        2,
                        status,
                        q.length,
                        resp.length,
                        null,
                        false),
                run.records().get(0));
        assertEquals(0, run.records().get(1).rowsSent());
        assertEquals(AUTOCOMMIT, run.records().get(1).serverStatus());
    }

    @Test
    void okGivesAffectedRowsAndWarnings() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("update t set a = 1")));
        ev.add(Event.server(2300, ok(1, 3, 0, AUTOCOMMIT | SERVER_QUERY_NO_INDEX_USED, 4)));
        StatementRecord r = Harness.allSplits(ev, true).records().get(0);
        assertEquals(3, r.rowsAffected());
        assertEquals(4, r.warnings());
        assertEquals(AUTOCOMMIT | SERVER_QUERY_NO_INDEX_USED, r.serverStatus());
        assertEquals(0, r.rowsSent());
        assertTrue(r.ok());
        assertEquals(300, r.latencyUs());
    }

    @Test
    void errGivesErrnoSqlStateAndMessageAndErrWithoutMarkerHasNoSqlState() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("select * from nosuch")));
        ev.add(Event.server(2100, err(1, 1146, "42S02", "Table 'shop.nosuch' doesn't exist")));
        ev.add(Event.client(3000, query("select 2")));
        ev.add(Event.server(3100, err(1, 1105, null, "unknown")));
        Run run = Harness.allSplits(ev, true);
        StatementRecord a = run.records().get(0);
        assertFalse(a.ok());
        assertEquals(1146, a.errno());
        assertEquals("42S02", a.sqlState());
        assertEquals("Table 'shop.nosuch' doesn't exist", a.errorMessage());
        StatementRecord b = run.records().get(1);
        assertEquals(1105, b.errno());
        assertNull(b.sqlState());
        assertEquals("unknown", b.errorMessage());
    }

    @Test
    void rowsCountedInBulkFromWholeBuffersEqualRowsFramedOneByOne() {
        for (boolean deprecateEof : new boolean[] {false, true}) {
            List<Event> ev = handshake(deprecateEof ? CLIENT_CAPS | CLIENT_DEPRECATE_EOF : CLIENT_CAPS);
            String[][] rows = new String[300][];
            for (int i = 0; i < rows.length; i++) {
                // a NULL first column (0xFB), an empty string (0x00) and ordinary text rows
                rows[i] = new String[] {i % 3 == 0 ? null : i % 3 == 1 ? "" : "row " + i, "x".repeat(i % 40)};
            }
            byte[] resp = Packets.resultSet(deprecateEof, 1, new String[] {"a", "b"}, rows, AUTOCOMMIT, 0);
            ev.add(Event.client(5000, query("select a, b from t")));
            ev.add(Event.server(5100, resp));
            ev.add(Event.client(6000, query("select 1")));
            ev.add(Event.server(
                    6010,
                    Packets.resultSet(deprecateEof, 1, new String[] {"1"}, new String[][] {{"1"}}, AUTOCOMMIT, 0)));
            Run whole = Harness.whole(ev, true);
            assertEquals(2, whole.records().size());
            assertEquals(300, whole.records().get(0).rowsSent());
            assertEquals(resp.length, whole.records().get(0).bytesOut());
            assertEquals(5100, whole.records().get(0).lastResponseTsUs());
            for (int chunk : new int[] {1, 5, 64, 1000}) {
                assertEquals(whole.records(), Harness.run(ev, true, chunk, null).records(), "chunks of " + chunk);
            }
        }
    }

    @Test
    void errAfterSomeRowsEndsTheResultSet() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("select x from big")));
        ev.add(Event.server(
                2100,
                columnCount(1, 1),
                columnDef(2, "x"),
                eof(3, 0, 0),
                textRow(4, "1"),
                err(5, 1317, "70100", "Query execution was interrupted")));
        StatementRecord r = Harness.allSplits(ev, true).records().get(0);
        assertEquals(1, r.rowsSent());
        assertEquals(1317, r.errno());
        assertFalse(r.ok());
    }

    @Test
    void initDbAndUseChangeTheSchemaOnlyOnOk() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, Packets.command(Command.COM_INIT_DB, "nosuchdb")));
        ev.add(Event.server(2010, err(1, 1049, "42000", "Unknown database 'nosuchdb'")));
        ev.add(Event.client(2100, Packets.command(Command.COM_INIT_DB, "sales")));
        ev.add(Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2200, query("select 1")));
        ev.add(Event.server(2210, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2300, query("USE `odd``name` ;")));
        ev.add(Event.server(2310, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2400, query("select 2")));
        ev.add(Event.server(2410, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        List<StatementRecord> r = run.records();
        assertEquals(5, r.size());
        assertEquals(Command.COM_INIT_DB, r.get(0).command());
        assertEquals("nosuchdb", r.get(0).sql());
        assertEquals("shop", r.get(0).db());
        assertEquals("shop", r.get(1).db()); // the record of INIT_DB carries the schema it ran in
        assertEquals("sales", r.get(2).db());
        assertEquals("sales", r.get(3).db());
        assertEquals("odd`name", r.get(4).db());
        assertEquals("odd`name", run.decoder().db());
    }

    @Test
    void pingQuitAndStatistics() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, Packets.command(Command.COM_PING, "")));
        ev.add(Event.server(2005, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2100, Packets.command(Command.COM_STATISTICS, "")));
        ev.add(Event.server(2105, Wire.payload().str("Uptime: 5  Threads: 1").packet(1)));
        ev.add(Event.client(2200, Packets.command(Command.COM_QUIT, "")));
        List<StatementRecord> r = Harness.allSplits(ev, true).records();
        assertEquals(3, r.size());
        assertEquals(Command.COM_PING, r.get(0).command());
        assertEquals("ping", r.get(0).sql());
        assertEquals(5, r.get(0).latencyUs());
        assertEquals(Command.COM_STATISTICS, r.get(1).command());
        assertEquals(2105, r.get(1).lastResponseTsUs());
        assertEquals(
                new StatementRecord(
                        Harness.FLOW,
                        42,
                        "app",
                        "shop",
                        Command.COM_QUIT,
                        "quit",
                        2200,
                        0,
                        0,
                        true,
                        0,
                        null,
                        null,
                        0,
                        0,
                        0,
                        0,
                        5,
                        0,
                        null,
                        false),
                r.get(2));
    }

    @Test
    void sslRequestMarksTheConnectionTlsAndCountsIt() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.server(1000, Packets.greeting("8.0.36", 7, CLIENT_CAPS | CapabilityFlags.CLIENT_SSL)));
        ev.add(Event.client(1100, Packets.sslRequest(CLIENT_CAPS), new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 1, 2}));
        ev.add(Event.server(1200, new byte[] {0x16, 0x03, 0x03, 0x00, 0x7a, 9, 9, 9}));
        ev.add(Event.client(1300, query("select 1")));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of(), run.records());
        assertEquals(1, run.stats().tlsConnections());
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(0, run.stats().discardedBytes());
    }

    @Test
    void authSwitchAndExtraRoundsUntilOk() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.server(1000, Packets.greeting("8.0.36", 9, CLIENT_CAPS)));
        ev.add(Event.client(1100, Packets.handshakeResponse(CLIENT_CAPS, "bob", "")));
        // AuthSwitchRequest: 0xFE, plugin name, plugin data
        ev.add(Event.server(
                1200,
                Wire.payload()
                        .int1(0xFE)
                        .nul("caching_sha2_password")
                        .str("01234567890123456789")
                        .int1(0)
                        .packet(2)));
        ev.add(Event.client(1300, Wire.payload().zeros(32).packet(3)));
        // AuthMoreData: perform_full_authentication (0x04)
        ev.add(Event.server(1400, Wire.payload().int1(0x01).int1(0x04).packet(4)));
        ev.add(Event.client(1500, Wire.payload().int1(0x02).packet(5))); // request public key
        ev.add(Event.server(
                1600,
                Wire.payload().int1(0x01).str("-----BEGIN PUBLIC KEY-----").packet(6)));
        ev.add(Event.client(1700, Wire.payload().zeros(256).packet(7)));
        ev.add(Event.server(1800, ok(8, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2000, query("select 1")));
        ev.add(Event.server(2001, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.records().size());
        assertEquals("bob", run.records().get(0).user());
        assertNull(run.records().get(0).db());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void authFailureIsCountedAndNothingElseDecoded() {
        List<Event> ev = new ArrayList<>();
        ev.add(Event.server(1000, Packets.greeting("8.0.36", 9, CLIENT_CAPS)));
        ev.add(Event.client(1100, Packets.handshakeResponse(CLIENT_CAPS, "bob", "")));
        ev.add(Event.server(1200, err(2, 1045, "28000", "Access denied for user 'bob'")));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.stats().authFailures());
        assertEquals(State.CLOSED, run.decoder().serverState());
        assertEquals(List.of(), run.records());
    }

    @Test
    void pipelinedCommandsMatchTheirResponsesInOrder() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, query("select a"), query("update b set c = 1"), query("select d")));
        ev.add(Event.server(
                2100,
                Packets.resultSet(true, 1, new String[] {"a"}, new String[][] {{"1"}}, AUTOCOMMIT, 0),
                ok(1, 5, 0, AUTOCOMMIT, 0)));
        ev.add(Event.server(2200, err(1, 1054, "42S22", "Unknown column 'd'")));
        List<StatementRecord> r = Harness.allSplits(ev, true).records();
        assertEquals(3, r.size());
        assertEquals("select a", r.get(0).sql());
        assertEquals(1, r.get(0).rowsSent());
        assertEquals("update b set c = 1", r.get(1).sql());
        assertEquals(5, r.get(1).rowsAffected());
        assertEquals(2100, r.get(1).lastResponseTsUs());
        assertEquals("select d", r.get(2).sql());
        assertEquals(1054, r.get(2).errno());
        assertEquals(200, r.get(2).latencyUs());
    }

    @Test
    void unmatchedServerPacketsAreCounted() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.server(2000, ok(1, 0, 0, 0, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(1, run.stats().unmatchedResponses());
        assertEquals(List.of(), run.records());
    }
}
