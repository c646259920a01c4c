package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.CommandCoverageTest.prepareOk;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.handshake;
import static io.mysqlprobe.protocol.Packets.columnDef;
import static io.mysqlprobe.protocol.Packets.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/** COM_STMT_EXECUTE parameter blocks decoded by type, for slow samples with values. */
class ExecuteParametersTest {

    static final String SQL = "insert into t values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) /* ? in a comment */";

    /** Header of COM_STMT_EXECUTE: statement_id, flags, iteration_count. */
    static Wire executeHeader(long id) {
        return Wire.payload()
                .int1(Command.COM_STMT_EXECUTE.code)
                .int4(id)
                .int1(0)
                .int4(1);
    }

    static List<Event> prepared(String sql, int params) {
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, Packets.command(Command.COM_STMT_PREPARE, sql)));
        byte[][] defs = new byte[params + 1][];
        defs[0] = prepareOk(1, 1, 0, params);
        for (int i = 0; i < params; i++) {
            defs[i + 1] = columnDef(2 + i, "?");
        }
        ev.add(Event.server(2010, defs));
        return ev;
    }

    @Test
    void everyTypeIsDecodedAndTypesAreRememberedWhenNotResent() {
        List<Event> ev = prepared(SQL, 10);
        Wire first = executeHeader(1)
                .int1(0b0000_0000)
                .int1(0b10) // NULL bitmap: parameter 9 is NULL
                .int1(1) // new_params_bound_flag
                .int2(ColumnTypes.MYSQL_TYPE_TINY | ColumnTypes.UNSIGNED_FLAG << 8)
                .int2(ColumnTypes.MYSQL_TYPE_LONGLONG)
                .int2(ColumnTypes.MYSQL_TYPE_DOUBLE)
                .int2(ColumnTypes.MYSQL_TYPE_NEWDECIMAL)
                .int2(ColumnTypes.MYSQL_TYPE_VAR_STRING)
                .int2(ColumnTypes.MYSQL_TYPE_BLOB)
                .int2(ColumnTypes.MYSQL_TYPE_DATE)
                .int2(ColumnTypes.MYSQL_TYPE_DATETIME)
                .int2(ColumnTypes.MYSQL_TYPE_TIME)
                .int2(ColumnTypes.MYSQL_TYPE_FLOAT)
                .int1(200) // TINY unsigned
                .int8(-5) // LONGLONG
                .int8(Double.doubleToLongBits(1.5)) // DOUBLE
                .lenencStr("12.34") // NEWDECIMAL
                .lenencStr("it's") // VAR_STRING
                .lenenc(3)
                .int1(0)
                .int1(0xFF)
                .int1(1) // BLOB, binary
                .int1(4)
                .int2(2026)
                .int1(11)
                .int1(21) // DATE
                .int1(11)
                .int2(2026)
                .int1(11)
                .int1(21)
                .int1(23)
                .int1(5)
                .int1(9)
                .int4(120) // DATETIME
                .int1(8)
                .int1(1)
                .int4(1)
                .int1(2)
                .int1(3)
                .int1(4); // TIME -26:03:04
        // FLOAT is NULL: no value
        ev.add(Event.client(2100, first.packet(0)));
        ev.add(Event.server(2110, ok(1, 1, 0, AUTOCOMMIT, 0)));
        // second execute: new_params_bound_flag 0, the types of the first are used
        Wire second = executeHeader(1).int1(0b1111_1110).int1(0b11).int1(0).int1(7);
        ev.add(Event.client(2200, second.packet(0)));
        ev.add(Event.server(2210, ok(1, 1, 0, AUTOCOMMIT, 0)));
        Run run = Harness.allSplits(ev, true);
        assertEquals(3, run.records().size());
        StatementRecord r = run.records().get(1);
        assertEquals(SQL, r.sql());
        assertEquals(
                List.of(
                        "200",
                        "-5",
                        "1.5",
                        "12.34",
                        "'it\\'s'",
                        "X'00ff01'",
                        "'2026-11-21'",
                        "'2026-11-21 23:05:09.000120'",
                        "'-26:03:04'",
                        "NULL"),
                r.parameters());
        assertEquals(
                "insert into t values (200, -5, 1.5, 12.34, 'it\\'s', X'00ff01', '2026-11-21', "
                        + "'2026-11-21 23:05:09.000120', '-26:03:04', NULL) /* ? in a comment */",
                r.sqlWithParameters());
        assertEquals(
                List.of("7", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"),
                run.records().get(2).parameters());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void typesNeverSeenLeaveParametersUnknownButTheStatementCounted() {
        List<Event> ev = prepared("select ?", 1);
        ev.add(Event.client(2100, executeHeader(1).int1(0).int1(0).int4(1).packet(0))); // flag 0, no types known
        ev.add(Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.whole(ev, true);
        assertEquals(2, run.records().size());
        assertNull(run.records().get(1).parameters());
        assertEquals("select ?", run.records().get(1).sqlWithParameters());
        assertEquals(0, run.stats().decodeErrorsTotal());
    }

    @Test
    void longDataParametersAndLongStringsAreMarked() {
        List<Event> ev = prepared("select ?, ?", 2);
        ev.add(Event.client(
                2050,
                Wire.payload()
                        .int1(Command.COM_STMT_SEND_LONG_DATA.code)
                        .int4(1)
                        .int2(0)
                        .str("big")
                        .packet(0)));
        String longText = "x".repeat(300);
        ev.add(Event.client(
                2100,
                executeHeader(1)
                        .int1(0)
                        .int1(1)
                        .int2(ColumnTypes.MYSQL_TYPE_BLOB)
                        .int2(ColumnTypes.MYSQL_TYPE_VAR_STRING)
                        .lenencStr(longText)
                        .packet(0)));
        ev.add(Event.server(2110, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.whole(ev, true);
        assertEquals(
                List.of("'<long data>'", "'" + "x".repeat(ExecuteParameters.MAX_LITERAL_CHARS) + "...'"),
                run.records().get(2).parameters());
    }

    @Test
    void pipelinedExecuteOfTheStatementJustPreparedCountsPlaceholders() {
        // MariaDB Connector/J: PREPARE then EXECUTE with statement id 0xFFFFFFFF before PREPARE_OK arrives
        List<Event> ev = handshake(CLIENT_CAPS | CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(
                2000,
                Packets.command(Command.COM_STMT_PREPARE, "select ? from dual where '?' = ?"),
                executeHeader(0xFFFF_FFFFL)
                        .int1(0)
                        .int1(1)
                        .int2(ColumnTypes.MYSQL_TYPE_LONG)
                        .int2(ColumnTypes.MYSQL_TYPE_SHORT)
                        .int4(-1)
                        .int2(3)
                        .packet(0)));
        ev.add(Event.server(2010, prepareOk(1, 5, 0, 2), columnDef(2, "?"), columnDef(3, "?")));
        ev.add(Event.server(2020, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = Harness.whole(ev, true);
        assertEquals("select -1 from dual where '?' = 3", run.records().get(1).sqlWithParameters());
    }

    @Test
    void literalsPerExecuteAreBoundedAndTheRestStayPlaceholders() {
        int n = 300; // 300 literals of 258 characters: more than MAX_TOTAL_CHARS
        String sql = "insert into t values (" + "?, ".repeat(n - 1) + "?)";
        List<Event> ev = prepared(sql, n);
        Wire w = executeHeader(1).zeros((n + 7) / 8).int1(1);
        for (int i = 0; i < n; i++) {
            w.int2(ColumnTypes.MYSQL_TYPE_VAR_STRING);
        }
        for (int i = 0; i < n; i++) {
            w.lenencStr("y".repeat(ExecuteParameters.MAX_LITERAL_CHARS));
        }
        ev.add(Event.client(2100, w.packet(0)));
        ev.add(Event.server(2110, ok(1, 1, 0, AUTOCOMMIT, 0)));
        Run run = Harness.whole(ev, true);
        StatementRecord r = run.records().get(1);
        int kept = r.parameters().size();
        assertEquals(ExecuteParameters.MAX_TOTAL_CHARS / (ExecuteParameters.MAX_LITERAL_CHARS + 2) + 1, kept);
        assertEquals(
                n - kept, r.sqlWithParameters().chars().filter(ch -> ch == '?').count());
    }
}
