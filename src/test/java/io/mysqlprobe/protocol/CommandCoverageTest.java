package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.handshake;
import static io.mysqlprobe.protocol.Packets.columnCount;
import static io.mysqlprobe.protocol.Packets.columnDef;
import static io.mysqlprobe.protocol.Packets.eof;
import static io.mysqlprobe.protocol.Packets.err;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.okFe;
import static io.mysqlprobe.protocol.Packets.query;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_PS_OUT_PARAMS;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_STATUS_LAST_ROW_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prepared statements, multi-results, LOCAL INFILE and the less common commands, on tiny annotated packets. */
class CommandCoverageTest {

    /** COM_STMT_PREPARE_OK: status, statement_id, num_columns, num_params, reserved_1, warning_count. */
    static byte[] prepareOk(int seq, long id, int columns, int params) {
        return Wire.payload()
                .int1(0)
                .int4(id)
                .int2(columns)
                .int2(params)
                .int1(0)
                .int2(0)
                .packet(seq);
    }

    /** COM_STMT_EXECUTE: statement_id, flags, iteration_count (no parameters). */
    static byte[] execute(long id, int flags) {
        return Wire.payload()
                .int1(Command.COM_STMT_EXECUTE.code)
                .int4(id)
                .int1(flags)
                .int4(1)
                .packet(0);
    }

    static byte[] stmt(Command cmd, long id) {
        return Wire.payload().int1(cmd.code).int4(id).packet(0);
    }

    /** Binary protocol row: 0x00 header, NULL bitmap (offset 2), values. */
    static byte[] binaryRow(int seq, int value) {
        return Wire.payload().int1(0).int1(0).int4(value).packet(seq);
    }

    static List<String> sqls(Run run) {
        return run.records().stream().map(r -> r.command() + ":" + r.sql()).toList();
    }

    @Test
    void preparedStatementWithEofPacketsExecuteAndFetchWithCursor() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, Packets.command(Command.COM_STMT_PREPARE, "select a from t where b = ? and c = ?")));
        // 2 parameter definitions + EOF, 1 column definition + EOF
        ev.add(Event.server(
                2010,
                prepareOk(1, 7, 1, 2),
                columnDef(2, "?"),
                columnDef(3, "?"),
                eof(4, 0, AUTOCOMMIT),
                columnDef(5, "a"),
                eof(6, 0, AUTOCOMMIT)));
        ev.add(Event.client(2100, execute(7, 0)));
        ev.add(Event.server(
                2110,
                columnCount(1, 1),
                columnDef(2, "a"),
                eof(3, 0, AUTOCOMMIT),
                binaryRow(4, 1),
                binaryRow(5, 2),
                binaryRow(6, 3),
                eof(7, 0, AUTOCOMMIT | ServerStatusFlags.SERVER_QUERY_NO_INDEX_USED)));
        ev.add(Event.client(2200, execute(7, PacketTypes.CURSOR_TYPE_READ_ONLY)));
        ev.add(Event.server(
                2210, columnCount(1, 1), columnDef(2, "a"), eof(3, 0, AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS)));
        ev.add(Event.client(
                2300,
                Wire.payload().int1(Command.COM_STMT_FETCH.code).int4(7).int4(2).packet(0)));
        ev.add(Event.server(
                2310, binaryRow(1, 1), binaryRow(2, 2), eof(3, 0, AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS)));
        ev.add(Event.client(
                2400,
                Wire.payload().int1(Command.COM_STMT_FETCH.code).int4(7).int4(2).packet(0)));
        ev.add(Event.server(2410, binaryRow(1, 3), eof(2, 0, AUTOCOMMIT | SERVER_STATUS_LAST_ROW_SENT)));
        ev.add(Event.client(2500, stmt(Command.COM_STMT_RESET, 7)));
        ev.add(Event.server(2510, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(
                2600,
                Wire.payload()
                        .int1(Command.COM_STMT_SEND_LONG_DATA.code)
                        .int4(7)
                        .int2(0)
                        .str("blob")
                        .packet(0)));
        ev.add(Event.client(2700, stmt(Command.COM_STMT_CLOSE, 7)));
        ev.add(Event.client(2800, execute(7, 0))); // closed: unknown now
        ev.add(Event.server(
                2810, err(1, 1243, "HY000", "Unknown prepared statement handler (7) given to mysqld_stmt_execute")));
        Run run = Harness.allSplits(ev, true);
        String sql = "select a from t where b = ? and c = ?";
        assertEquals(
                List.of(
                        "COM_STMT_PREPARE:" + sql,
                        "COM_STMT_EXECUTE:" + sql,
                        "COM_STMT_EXECUTE:" + sql,
                        "COM_STMT_FETCH:" + sql,
                        "COM_STMT_FETCH:" + sql,
                        "COM_STMT_RESET:stmt_reset",
                        "COM_STMT_SEND_LONG_DATA:stmt_send_long_data",
                        "COM_STMT_CLOSE:stmt_close",
                        "COM_STMT_EXECUTE:prepared statement (0 params)"),
                sqls(run)); // closed: its placeholder
        List<StatementRecord> r = run.records();
        assertEquals(2010, r.get(0).lastResponseTsUs());
        assertEquals(3, r.get(1).rowsSent());
        assertEquals(
                AUTOCOMMIT | ServerStatusFlags.SERVER_QUERY_NO_INDEX_USED,
                r.get(1).serverStatus());
        assertEquals(0, r.get(2).rowsSent());
        assertEquals(AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS, r.get(2).serverStatus());
        assertEquals(2, r.get(3).rowsSent());
        assertEquals(1, r.get(4).rowsSent());
        assertEquals(AUTOCOMMIT | SERVER_STATUS_LAST_ROW_SENT, r.get(4).serverStatus());
        assertEquals(0, r.get(6).lastResponseTsUs());
        assertEquals(1243, r.get(8).errno());
        assertEquals(1, run.stats().unknownStatementIds());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void preparedStatementWithDeprecateEofAndNoParametersOrColumns() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, Packets.command(Command.COM_STMT_PREPARE, "insert into t values (?)")));
        ev.add(Event.server(2010, prepareOk(1, 1, 0, 1), columnDef(2, "?")));
        ev.add(Event.client(2100, Packets.command(Command.COM_STMT_PREPARE, "commit")));
        ev.add(Event.server(2110, prepareOk(1, 2, 0, 0)));
        ev.add(Event.client(2200, Packets.command(Command.COM_STMT_PREPARE, "select ?")));
        ev.add(Event.server(2210, prepareOk(1, 3, 1, 1), columnDef(2, "?"), columnDef(3, "?")));
        ev.add(Event.client(2300, execute(3, 0)));
        ev.add(Event.server(2310, columnCount(1, 1), columnDef(2, "?"), binaryRow(3, 5), okFe(4, AUTOCOMMIT, 0)));
        ev.add(Event.client(2400, execute(1, 0)));
        ev.add(Event.server(2410, ok(1, 1, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2500, execute(2, 0)));
        ev.add(Event.server(2510, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of(
                        "COM_STMT_PREPARE:insert into t values (?)",
                        "COM_STMT_PREPARE:commit",
                        "COM_STMT_PREPARE:select ?",
                        "COM_STMT_EXECUTE:select ?",
                        "COM_STMT_EXECUTE:insert into t values (?)",
                        "COM_STMT_EXECUTE:commit"),
                sqls(run));
        assertEquals(1, run.records().get(3).rowsSent());
        assertEquals(1, run.records().get(4).rowsAffected());
        assertEquals(0, run.stats().unknownStatementIds());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void resultSetWithoutMetadataMariaDbCacheMetadata() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, Packets.command(Command.COM_STMT_PREPARE, "select a, b from t")));
        ev.add(Event.server(2010, prepareOk(1, 9, 2, 0), columnDef(2, "a"), columnDef(3, "b")));
        ev.add(Event.client(2100, execute(9, 0)));
        // column_count=2 then metadata_follows=0: the definitions are not resent
        ev.add(Event.server(
                2110,
                Wire.payload().lenenc(2).int1(0).packet(1),
                binaryRow(2, 1),
                binaryRow(3, 2),
                okFe(4, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of("COM_STMT_PREPARE:select a, b from t", "COM_STMT_EXECUTE:select a, b from t"), sqls(run));
        assertEquals(2, run.records().get(1).rowsSent());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void preparedStatementTableIsBoundedAndOverflowCounted() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        // each text is cut to the 1 MiB capture cap; four fit in the 4 Mi-character budget, the fifth does not
        String big = "select '" + "x".repeat(3 << 20) + "'";
        for (int id = 1; id <= 5; id++) {
            ev.add(Event.client(2000 + id * 10, Packets.command(Command.COM_STMT_PREPARE, big)));
            ev.add(Event.server(2001 + id * 10, prepareOk(1, id, 0, 0)));
        }
        ev.add(Event.client(2200, execute(4, 0)));
        ev.add(Event.server(2210, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2300, execute(5, 0)));
        ev.add(Event.server(2310, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.run(ev, true, 1 << 20, null);
        assertEquals(1, run.stats().statementTableOverflows());
        assertEquals(1, run.stats().unknownStatementIds());
        assertEquals(5, run.stats().truncatedRequests());
        assertEquals(
                MysqlConnectionDecoder.DEFAULT_MAX_REQUEST_CAPTURE - 1,
                run.records().get(5).sql().length());
        assertEquals("prepared statement (0 params)", run.records().get(6).sql());
    }

    @Test
    void multiStatementQueryYieldsOneRecordPerStatement() {
        List<Event> ev = handshake(CLIENT_CAPS);
        byte[] q = query("insert into t values (1, ';'); /* ; */ select a from t; delete from t where a = 1");
        ev.add(Event.client(2000, q));
        ev.add(Event.server(2100, ok(1, 1, 1, AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS, 0)));
        ev.add(Event.server(
                2200,
                Packets.resultSet(
                        false,
                        2,
                        new String[] {"a"},
                        new String[][] {{"1"}, {"2"}},
                        AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS,
                        0)));
        ev.add(Event.server(2300, ok(7, 2, 0, AUTOCOMMIT, 1)));
        Run run = Harness.allSplits(ev, true);
        List<StatementRecord> r = run.records();
        assertEquals(3, r.size());
        assertEquals("insert into t values (1, ';')", r.get(0).sql());
        assertEquals("/* ; */ select a from t", r.get(1).sql());
        assertEquals("delete from t where a = 1", r.get(2).sql());
        assertEquals(
                List.of(2000L, 2100L, 2200L),
                r.stream().map(StatementRecord::requestTsUs).toList());
        assertEquals(
                List.of(2100L, 2200L, 2300L),
                r.stream().map(StatementRecord::lastResponseTsUs).toList());
        assertEquals(
                List.of(0L, 2L, 0L), r.stream().map(StatementRecord::rowsSent).toList());
        assertEquals(
                List.of(1L, 0L, 2L),
                r.stream().map(StatementRecord::rowsAffected).toList());
        assertEquals(
                List.of((long) q.length, 0L, 0L),
                r.stream().map(StatementRecord::bytesIn).toList());
        assertEquals(1, r.get(2).warnings());
    }

    @Test
    void multiStatementStoppedByAnErrorNamesTheFailingStatement() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("insert into t values (1); insert into t values (1); select 1")));
        ev.add(Event.server(2100, ok(1, 1, 0, AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS, 0)));
        ev.add(Event.server(2200, err(2, 1062, "23000", "Duplicate entry '1' for key 'PRIMARY'")));
        List<StatementRecord> r = Harness.allSplits(ev, true).records();
        assertEquals(2, r.size());
        assertEquals("insert into t values (1)", r.get(1).sql());
        assertEquals(1062, r.get(1).errno());
    }

    @Test
    void callWithSeveralResultSetsIsOneRecordWithRowsSummed() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, query("call report(1)")));
        int more = AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS;
        ev.add(Event.server(
                2100,
                Packets.resultSet(true, 1, new String[] {"a"}, new String[][] {{"1"}, {"2"}}, more, 0),
                Packets.resultSet(true, 6, new String[] {"b"}, new String[][] {{"3"}}, more | SERVER_PS_OUT_PARAMS, 0),
                ok(10, 0, 0, AUTOCOMMIT, 0)));
        List<StatementRecord> r = Harness.allSplits(ev, true).records();
        assertEquals(1, r.size());
        assertEquals("call report(1)", r.get(0).sql());
        assertEquals(3, r.get(0).rowsSent());
        assertEquals(AUTOCOMMIT, r.get(0).serverStatus());
    }

    @Test
    void createProcedureWithSemicolonsInsideIsOneStatement() {
        List<Event> ev = handshake(CLIENT_CAPS);
        String sql = "create procedure p() begin select 1; select 2; end";
        ev.add(Event.client(2000, query(sql)));
        ev.add(Event.server(2100, ok(1, 0, 0, AUTOCOMMIT, 0)));
        List<StatementRecord> r = Harness.allSplits(ev, true).records();
        assertEquals(List.of(sql), r.stream().map(StatementRecord::sql).toList());
    }

    @Test
    void localInfileLatencyRunsToTheFinalOk() {
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_LOCAL_FILES);
        byte[] q = query("load data local infile '/tmp/x.csv' into table t");
        byte[] content1 = Wire.payload().str("1,a\n2,b\n").packet(2);
        byte[] content2 = Wire.payload().str("3,c\n").packet(3);
        byte[] empty = Wire.payload().packet(4);
        ev.add(Event.client(2000, q));
        ev.add(Event.server(2010, Wire.payload().int1(0xFB).str("/tmp/x.csv").packet(1)));
        ev.add(Event.client(2020, content1));
        ev.add(Event.client(2030, content2, empty));
        ev.add(Event.server(2500, ok(5, 3, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, query("select 1")));
        ev.add(Event.server(3001, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        StatementRecord r = run.records().get(0);
        assertEquals(500, r.latencyUs());
        assertEquals(3, r.rowsAffected());
        assertEquals(q.length + content1.length + content2.length + empty.length, r.bytesIn());
        assertEquals(2, run.records().size());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void changeUserWithAuthSwitchUpdatesUserAndDb() {
        List<Event> ev = handshake(CLIENT_CAPS);
        // COM_CHANGE_USER: user, auth-response (length-prefixed), schema, charset, plugin name
        ev.add(Event.client(
                2000,
                Wire.payload()
                        .int1(Command.COM_CHANGE_USER.code)
                        .nul("carol")
                        .int1(20)
                        .zeros(20)
                        .nul("crm")
                        .int2(0x21)
                        .nul("mysql_native_password")
                        .packet(0)));
        ev.add(Event.server(
                2010,
                Wire.payload()
                        .int1(0xFE)
                        .nul("mysql_native_password")
                        .zeros(20)
                        .int1(0)
                        .packet(1)));
        ev.add(Event.client(2020, Wire.payload().zeros(20).packet(2)));
        ev.add(Event.server(2030, ok(3, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, query("select 1")));
        ev.add(Event.server(3001, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of("COM_CHANGE_USER:change_user", "COM_QUERY:select 1"), sqls(run));
        assertEquals(30, run.records().get(0).latencyUs());
        assertEquals("carol", run.records().get(1).user());
        assertEquals("crm", run.records().get(1).db());
    }

    @Test
    void fieldListSetOptionResetConnectionAndKill() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(
                2000,
                Wire.payload().int1(Command.COM_FIELD_LIST.code).nul("items").packet(0)));
        ev.add(Event.server(2010, columnDef(1, "id"), columnDef(2, "name"), eof(3, 0, AUTOCOMMIT)));
        ev.add(Event.client(
                2100, Wire.payload().int1(Command.COM_SET_OPTION.code).int2(0).packet(0)));
        ev.add(Event.server(2110, eof(1, 0, AUTOCOMMIT)));
        ev.add(Event.client(2200, Packets.command(Command.COM_RESET_CONNECTION, "")));
        ev.add(Event.server(2210, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(
                2300,
                Wire.payload().int1(Command.COM_PROCESS_KILL.code).int4(99).packet(0)));
        ev.add(Event.server(2310, err(1, 1094, "HY000", "Unknown thread id: 99")));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of(
                        "COM_FIELD_LIST:field_list",
                        "COM_SET_OPTION:set_option",
                        "COM_RESET_CONNECTION:reset_connection",
                        "COM_PROCESS_KILL:process_kill"),
                sqls(run));
        assertEquals(
                List.of(10L, 10L, 10L, 10L),
                run.records().stream().map(StatementRecord::latencyUs).toList());
        assertEquals(1094, run.records().get(3).errno());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void queryAttributesAreSkippedToReachTheSqlText() {
        long caps = CLIENT_CAPS | CapabilityFlags.CLIENT_QUERY_ATTRIBUTES;
        List<Event> ev = handshake(caps);
        // parameter_count=2, parameter_set_count=1, null_bitmap (2nd is NULL), new_params_bind_flag=1,
        // types+names, one value (the LONGLONG), then the query
        ev.add(Event.client(
                2000,
                Wire.payload()
                        .int1(Command.COM_QUERY.code)
                        .lenenc(2)
                        .lenenc(1)
                        .int1(0b10)
                        .int1(1)
                        .int2(ColumnTypes.MYSQL_TYPE_LONGLONG)
                        .lenencStr("trace_id")
                        .int2(ColumnTypes.MYSQL_TYPE_NULL)
                        .lenencStr("nothing")
                        .int8(123456789L)
                        .str("select * from t")
                        .packet(0)));
        ev.add(Event.server(2010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        // no attributes: parameter_count=0, parameter_set_count=1
        ev.add(Event.client(
                2100,
                Wire.payload()
                        .int1(Command.COM_QUERY.code)
                        .lenenc(0)
                        .lenenc(1)
                        .str("select 2")
                        .packet(0)));
        ev.add(Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        // a string attribute
        ev.add(Event.client(
                2200,
                Wire.payload()
                        .int1(Command.COM_QUERY.code)
                        .lenenc(1)
                        .lenenc(1)
                        .int1(0)
                        .int1(1)
                        .int2(0xfd)
                        .lenencStr("k")
                        .lenencStr("value")
                        .str("select 3")
                        .packet(0)));
        ev.add(Event.server(2210, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of("COM_QUERY:select * from t", "COM_QUERY:select 2", "COM_QUERY:select 3"), sqls(run));
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void queryAttributesAreRecognisedOnAConnectionWhoseHandshakeWasNotSeen() {
        List<Event> ev = List.of(
                Event.client(
                        2100,
                        Wire.payload()
                                .int1(Command.COM_QUERY.code)
                                .lenenc(0)
                                .lenenc(1)
                                .str("select 2")
                                .packet(0)),
                Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        assertEquals(List.of("COM_QUERY:select 2"), sqls(Harness.allSplits(ev, false)));
    }

    @Test
    void longQueryInContinuationPacketsIsJoined() {
        List<Event> ev = handshake(CLIENT_CAPS);
        StringBuilder sb = new StringBuilder("select '");
        sb.append("x".repeat(0xFFFFFF + 100));
        sb.append("'");
        byte[] q =
                Wire.payload().int1(Command.COM_QUERY.code).str(sb.toString()).packet(0);
        ev.add(Event.client(2000, q));
        ev.add(Event.server(2100, ok(2, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.run(ev, true, 1 << 16, null);
        StatementRecord r = run.records().get(0);
        assertEquals(q.length, r.bytesIn());
        assertEquals(
                MysqlConnectionDecoder.DEFAULT_MAX_REQUEST_CAPTURE - 1, r.sql().length()); // capture cap
        assertEquals(1, run.stats().truncatedRequests());
        assertEquals(100, r.latencyUs());
    }

    @Test
    void unknownCommandByteIsCountedAndTheConnectionResyncs() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, Wire.payload().int1(0x60).int4(1).packet(0))); // no such command
        ev.add(Event.server(2010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2100, query("select 1")));
        ev.add(Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(List.of("COM_QUERY:select 1"), sqls(run));
        assertEquals(1, run.stats().decodeErrors(DecodeError.Kind.UNKNOWN_COMMAND));
        assertEquals(1, run.stats().resyncs());
    }

    @Test
    void mariaDbBulkExecuteIsOneStatementUnderThePreparedTemplate() {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, Packets.command(Command.COM_STMT_PREPARE, "insert into t values (?)")));
        ev.add(Event.server(2010, prepareOk(1, 3, 0, 1), columnDef(2, "?")));
        // COM_STMT_BULK_EXECUTE: statement_id, flags (SEND_TYPES_TO_SERVER), type, then rows: indicator, value
        ev.add(Event.client(
                2100,
                Wire.payload()
                        .int1(0xFA)
                        .int4(3)
                        .int2(128)
                        .int2(ColumnTypes.MYSQL_TYPE_LONG)
                        .int1(0)
                        .int4(1)
                        .int1(0)
                        .int4(2)
                        .int1(0)
                        .int4(3)
                        .packet(0)));
        ev.add(Event.server(2110, ok(1, 3, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of("COM_STMT_PREPARE:insert into t values (?)", "COM_STMT_BULK_EXECUTE:insert into t values (?)"),
                sqls(run));
        assertEquals(3, run.records().get(1).rowsAffected());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }
}
