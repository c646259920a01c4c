package io.mysqlprobe.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.protocol.Harness.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Decodes real traffic recorded from MariaDB 10.11.19 (see src/test/resources/protocol/README.md).
 */
class RealCaptureTest {

    static Run decode(String name) throws Exception {
        return decode(name, 0);
    }

    static Run decode(String name, int serverPort) throws Exception {
        List<PcapFixture.Connection> conns = PcapFixture.read("/protocol/" + name + ".pcap", serverPort);
        assertEquals(1, conns.size());
        return Harness.allSplits(conns.get(0).events(), conns.get(0).sawSyn());
    }

    /** The fields a record is checked on, one line each: command|sql|errno|sqlstate|rows|affected|warnings|status|db|in|out. */
    static List<String> lines(Run run) {
        return run.records().stream()
                .map(r -> r.command() + "|" + r.sql() + "|" + r.errno() + "|" + r.sqlState() + "|"
                        + r.rowsSent() + "|" + r.rowsAffected() + "|" + r.warnings() + "|" + r.serverStatus() + "|"
                        + r.db()
                        + "|" + r.bytesIn() + "|" + r.bytesOut())
                .toList();
    }

    static final String SET_SQL_MODE = "set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES'),"
            + "session_track_system_variables = CONCAT(@@global.session_track_system_variables,',tx_isolation'),"
            + "NAMES utf8mb4";

    static boolean deprecateEof(Run run) {
        return (run.decoder().capabilities() & CapabilityFlags.CLIENT_DEPRECATE_EOF) != 0;
    }

    static void assertClean(Run run) {
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(0, run.stats().commandsDropped());
        assertEquals(0, run.stats().unmatchedResponses());
        assertEquals(0, run.stats().discardedBytes());
    }

    @Test
    void mariadbCliSessionWithEofPackets() throws Exception {
        Run run = decode("cli");
        assertClean(run);
        assertEquals("10.11.19-MariaDB-0+deb12u1", run.decoder().serverVersion().replace("5.5.5-", ""));
        assertEquals(5, run.decoder().connectionId());
        assertEquals(false, deprecateEof(run));
        assertEquals(
                List.of(
                        "COM_QUERY|select @@version|0|null|1|0|0|2|shop|21|91",
                        "COM_QUERY|select id, name from items order by id|0|null|3|0|0|34|shop|43|152",
                        "COM_QUERY|select * from nosuch|1146|42S02|0|0|0|0|shop|25|46",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
        StatementRecord first = run.records().get(0);
        assertEquals(1795300737805658L, first.requestTsUs());
        assertEquals(1795300737805929L, first.lastResponseTsUs());
        assertEquals("root", first.user());
    }

    @Test
    void mariadbCliSessionWithCompression() throws Exception {
        Run run = decode("cli_compress");
        assertClean(run);
        assertEquals(1, run.stats().compressedConnections());
        assertEquals(true, run.decoder().compressed());
        assertEquals(
                List.of(
                        "COM_QUERY|select id, name from items order by id|0|null|3|0|0|34|shop|43|152",
                        "COM_QUERY|select * from nosuch|1146|42S02|0|0|0|0|shop|25|46",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
    }

    @Test
    void jdbcTextProtocolWithDeprecateEofMultiStatementsAndUse() throws Exception {
        Run run = decode("jdbc_text");
        assertClean(run);
        assertEquals(true, deprecateEof(run));
        assertEquals(
                List.of(
                        "COM_QUERY|" + SET_SQL_MODE + "|0|null|0|0|0|16386|shop|170|111",
                        "COM_QUERY|select id, name from items order by id|0|null|3|0|0|34|shop|43|144",
                        "COM_QUERY|update items set name = 'x' where id > 1|0|null|0|2|0|2|shop|45|52",
                        "COM_QUERY|select * from nosuch|1146|42S02|0|0|0|0|shop|25|46",
                        "COM_QUERY|insert into items values (10,'a')|0|null|0|1|0|10|shop|109|11",
                        "COM_QUERY|select name from items where id = 10|0|null|1|0|0|10|shop|0|71",
                        "COM_QUERY|delete from items where id = 10|0|null|0|1|0|2|shop|0|11",
                        "COM_QUERY|use mysql|0|null|0|0|0|16386|shop|14|21",
                        "COM_QUERY|select count(*) from user|0|null|1|0|0|2|mysql|30|57",
                        "COM_QUIT|quit|0|null|0|0|0|0|mysql|5|0"),
                lines(run));
        // statements of one multi-statement query follow each other: each starts where the previous ended
        assertEquals(
                run.records().get(4).lastResponseTsUs(), run.records().get(5).requestTsUs());
        assertEquals(
                run.records().get(5).lastResponseTsUs(), run.records().get(6).requestTsUs());
    }

    @Test
    void jdbcServerPreparedStatementsPipelinedWithPrepare() throws Exception {
        Run run = decode("jdbc_prepared");
        assertClean(run);
        assertEquals(0, run.stats().unknownStatementIds());
        assertEquals(
                List.of(
                        "COM_QUERY|" + SET_SQL_MODE + "|0|null|0|0|0|16386|shop|170|111",
                        "COM_STMT_PREPARE|select id, name from items where id >= ?|0|null|0|0|0|0|shop|45|138",
                        "COM_STMT_EXECUTE|select id, name from items where id >= ?|0|null|2|0|0|2|shop|22|41",
                        "COM_STMT_EXECUTE|select id, name from items where id >= ?|0|null|1|0|0|2|shop|22|29",
                        "COM_STMT_CLOSE|stmt_close|0|null|0|0|0|0|shop|9|0",
                        "COM_STMT_PREPARE|insert into items values (?, ?)|0|null|0|0|0|0|shop|36|72",
                        "COM_STMT_EXECUTE|insert into items values (?, ?)|0|null|0|1|0|2|shop|26|11",
                        "COM_STMT_EXECUTE|insert into items values (?, ?)|1062|23000|0|0|0|0|shop|26|51",
                        "COM_STMT_CLOSE|stmt_close|0|null|0|0|0|0|shop|9|0",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
        // Connector/J sends EXECUTE (statement id -1) before PREPARE's answer arrives
        assertEquals(
                true, run.records().get(2).requestTsUs() < run.records().get(1).lastResponseTsUs());
    }

    @Test
    void jdbcCompressedProtocolWithARowSpanningFrames() throws Exception {
        Run run = decode("jdbc_compressed");
        assertClean(run);
        assertEquals(1, run.stats().compressedConnections());
        assertEquals(
                List.of(
                        "COM_QUERY|" + SET_SQL_MODE + "|0|null|0|0|0|16386|shop|170|111",
                        "COM_QUERY|select id, name from items order by id|0|null|4|0|0|34|shop|43|147",
                        "COM_QUERY|select repeat('abcdefgh', 2000) as big|0|null|1|0|0|2|shop|43|16053",
                        "COM_QUERY|select * from nosuch|1146|42S02|0|0|0|0|shop|25|46",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
    }

    @Test
    void jdbcConnectionOpenedBeforeTheCaptureResyncsOnItsNextQuery() throws Exception {
        SessionLookup watcher = conn -> conn.equals(Harness.FLOW) ? new SessionInfo("root", "shop") : null;
        List<PcapFixture.Connection> conns = PcapFixture.read("/protocol/jdbc_midstream.pcap", 46503);
        assertEquals(false, conns.get(0).sawSyn());
        Run run = Harness.allSplits(conns.get(0).events(), false, watcher);
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(0, run.stats().discardedBytes());
        assertEquals(1, run.stats().resyncs());
        assertEquals(1, run.stats().connectionsWithoutHandshake());
        assertEquals(
                List.of(
                        "COM_QUERY|select id, name from items where id < 3|0|null|2|0|0|2|shop|44|133",
                        "COM_QUERY|update items set name = 'z' where id = 3|0|null|0|1|0|2|shop|45|52",
                        // no matching row, no index: the flag comes from the final OK_Packet (0xFE)
                        "COM_QUERY|select id from items where name = 'none'|0|null|0|0|0|34|shop|45|61",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
        StatementRecord first = run.records().get(0);
        assertEquals(0, first.connectionId()); // greeting not seen
        assertEquals("root", first.user());
        assertEquals(1795301732575755L, first.requestTsUs());
        assertEquals(1795301732576049L, first.firstResponseTsUs());
        assertEquals(294, first.latencyUs());
    }

    @Test
    void cliLocalInfileAndCallWithTwoResultSets() throws Exception {
        Run run = decode("cli_infile_call");
        assertClean(run);
        assertEquals(
                List.of(
                        "COM_QUERY|load data local infile '/tmp/protocap/data.csv' into table items fields terminated by ','"
                                + "|0|null|0|3|0|2|shop|131|115",
                        "COM_QUERY|call report()|0|null|3|0|0|34|shop|18|150",
                        "COM_QUERY|select count(*) from items|0|null|1|0|0|34|shop|31|65",
                        "COM_QUIT|quit|0|null|0|0|0|0|shop|5|0"),
                lines(run));
        StatementRecord infile = run.records().get(0);
        assertEquals(1795301734616353L, infile.requestTsUs());
        assertEquals(1795301734616496L, infile.firstResponseTsUs()); // the LOCAL INFILE request
        assertEquals(1795301734616937L, infile.lastResponseTsUs()); // the OK after the file content
    }

    @Test
    void corruptedCapturesNeverThrowAndStayBounded() throws Exception {
        java.util.Random rnd = new java.util.Random(7);
        for (String name :
                List.of("cli", "cli_compress", "jdbc_text", "jdbc_prepared", "jdbc_compressed", "cli_infile_call")) {
            List<Harness.Event> events =
                    PcapFixture.read("/protocol/" + name + ".pcap").get(0).events();
            for (int round = 0; round < 200; round++) {
                List<StatementRecord> out = new java.util.ArrayList<>();
                ProtocolStats stats = new ProtocolStats();
                MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, true, out::add, stats, null);
                for (Harness.Event e : events) {
                    byte[] b = e.bytes().clone();
                    for (int flips = rnd.nextInt(3); flips > 0; flips--) {
                        b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                    }
                    d.onData(e.dir(), e.ts(), b, 0, b.length);
                    if (rnd.nextInt(20) == 0) {
                        d.onGap(e.dir(), e.ts(), 10);
                    }
                }
                d.onClose(0, io.mysqlprobe.tcp.StreamHandler.CloseReason.FIN);
                assertEquals(0, stats.snapshot().decodeErrors(DecodeError.Kind.INTERNAL), name + " round " + round);
                assertEquals(true, d.bufferCapacity() <= 2 * MysqlConnectionDecoder.DEFAULT_MAX_REQUEST_CAPTURE);
            }
        }
    }
}
