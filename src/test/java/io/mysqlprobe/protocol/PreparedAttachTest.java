package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CommandCoverageTest.execute;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.handshake;
import static io.mysqlprobe.protocol.Packets.columnCount;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Statements prepared before the capture: placeholders from what the wire tells (items 2-3 of issue 12) and
 * statements held while the server is asked for their SQL (item 1), through a scripted lookup.
 */
class PreparedAttachTest {

    /** A lookup that answers when the test says, with the statements the test gives. */
    static final class ScriptedLookup implements PreparedStatementLookup {
        final Map<Long, String> statements = new ConcurrentHashMap<>();
        final AtomicInteger requests = new AtomicInteger();
        volatile long answeredUpTo;

        @Override
        public long request(FlowKey conn) {
            return requests.incrementAndGet();
        }

        @Override
        public boolean answered(long ticket) {
            return ticket <= answeredUpTo;
        }

        @Override
        public String sql(FlowKey conn, long statementId) {
            return conn.equals(Harness.FLOW) ? statements.get(statementId) : null;
        }

        void answer() {
            answeredUpTo = requests.get();
        }
    }

    /** COM_STMT_EXECUTE of {@code id} with new_params_bound_flag = 1: an INT 5 and a VAR_STRING 'ab'. */
    static byte[] executeWithTypes(long id) {
        return Wire.payload()
                .int1(Command.COM_STMT_EXECUTE.code)
                .int4(id)
                .int1(0)
                .int4(1)
                .int1(0) // NULL bitmap, 2 parameters
                .int1(1) // new_params_bound_flag
                .int2(ColumnTypes.MYSQL_TYPE_LONG)
                .int2(ColumnTypes.MYSQL_TYPE_VAR_STRING)
                .int4(5)
                .lenencStr("ab")
                .packet(0);
    }

    /** The same parameters, types not sent again (new_params_bound_flag = 0). */
    static byte[] executeWithoutTypes(long id) {
        return Wire.payload()
                .int1(Command.COM_STMT_EXECUTE.code)
                .int4(id)
                .int1(0)
                .int4(1)
                .int1(0)
                .int1(0)
                .int4(6)
                .lenencStr("cd")
                .packet(0);
    }

    /** A binary result of one row with columns id, name of shop.t (no EOF: CLIENT_DEPRECATE_EOF). */
    static byte[][] result() {
        return new byte[][] {
            columnCount(1, 2),
            Packets.columnDef(2, "id"),
            Packets.columnDef(3, "name"),
            Wire.payload().int1(0).int1(0).int4(1).lenencStr("x").packet(4),
            Packets.okFe(5, AUTOCOMMIT, 0)
        };
    }

    record Run(List<StatementRecord> records, ProtocolStats.Snapshot stats, MysqlConnectionDecoder decoder) {}

    /** Feeds the events; {@code between} runs before each event (the test answers the lookup there). */
    static Run run(
            List<Event> events, PreparedStatementLookup lookup, java.util.function.IntConsumer between, boolean close) {
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, true, out::add, stats, null);
        List<MysqlConnectionDecoder> holding = new ArrayList<>();
        d.preparedLookup(lookup, HeldStatements.MAX_HOLD_US, holding::add);
        for (int i = 0; i < events.size(); i++) {
            between.accept(i);
            Event e = events.get(i);
            d.onData(e.dir(), e.ts(), e.bytes(), 0, e.bytes().length);
        }
        if (close) {
            d.onClose(events.get(events.size() - 1).ts(), StreamHandler.CloseReason.FIN);
        }
        return new Run(out, stats.snapshot(), d);
    }

    static List<String> sqls(Run run) {
        return run.records().stream().map(StatementRecord::sql).toList();
    }

    @Test
    void placeholderTellsParametersAndResultColumnsAndRemembersTheCount() {
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, executeWithTypes(9)));
        ev.add(Event.server(2010, result()));
        ev.add(Event.client(2100, executeWithoutTypes(9))); // the count was remembered for id 9
        ev.add(Event.server(2110, ok(1, 1, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2200, executeWithoutTypes(10))); // types never seen: the wire does not tell
        ev.add(Event.server(2210, ok(1, 1, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2300, execute(11, 0))); // nothing after iteration_count: no parameters
        ev.add(Event.server(2310, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2400, query("-- only a comment")));
        ev.add(Event.server(2410, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Harness.Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of(
                        "prepared statement (2 params) -> shop.t(id, name)",
                        "prepared statement (2 params)",
                        "prepared statement (? params)",
                        "prepared statement (0 params)",
                        "-- only a comment"),
                run.records().stream().map(StatementRecord::sql).toList());
        assertEquals(List.of("6", "'cd'"), run.records().get(1).parameters(), "types remembered from the first");
        assertEquals(4, run.stats().unknownStatementIds());
        assertEquals(0, run.stats().decodeErrorsTotal());
        assertEquals(
                List.of("shop.t"),
                PreparedPlaceholder.tables(run.records().get(0).sql()));
    }

    @Test
    void placeholderGroupsColumnsByTableAndBoundsThem() {
        PreparedPlaceholder p = new PreparedPlaceholder(1);
        p.column("shop.a", "x");
        p.column("shop.a", "y");
        p.column("", "COUNT(*)");
        p.column("shop.b", "z");
        assertEquals("prepared statement (1 param) -> shop.a(x, y), (COUNT(*)), shop.b(z)", p.text());
        assertEquals(List.of("shop.a", "shop.b"), PreparedPlaceholder.tables(p.text()));
        PreparedPlaceholder many = new PreparedPlaceholder(-1);
        for (int i = 0; i < 100; i++) {
            many.column("s.t", "c" + i);
        }
        assertTrue(many.text().endsWith(", c63), ..."), many.text());
        assertTrue(PreparedPlaceholder.is(many.text()) && !PreparedPlaceholder.is("select 1"));
    }

    @Test
    void heldStatementsGoOutUnderTheSqlTheServerNamesAndLaterExecutesAreDirect() {
        ScriptedLookup lookup = new ScriptedLookup();
        lookup.statements.put(9L, "select id, name from t where id = ? and name = ?");
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, executeWithTypes(9)));
        ev.add(Event.server(2010, result()));
        ev.add(Event.client(2100, executeWithoutTypes(9))); // asked once already: held too
        ev.add(Event.server(2110, result()));
        ev.add(Event.client(2200, query("select 1"))); // the answer is in by now: both go out resolved
        ev.add(Event.server(2210, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(2300, executeWithoutTypes(9))); // direct, values decoded with the remembered types
        ev.add(Event.server(2310, result()));
        Run run = run(
                ev,
                lookup,
                i -> {
                    if (i == 7) {
                        lookup.answer();
                    }
                },
                true);
        String sql = "select id, name from t where id = ? and name = ?";
        assertEquals(List.of(sql, sql, "select 1", sql), sqls(run));
        assertEquals(1, lookup.requests.get(), "asked once: the second unknown execute came within a second");
        assertEquals(2000, run.records().get(0).requestTsUs(), "a held record keeps its own time");
        assertEquals(List.of("5", "'ab'"), run.records().get(0).parameters(), "values read with the sent types");
        assertEquals(
                "select id, name from t where id = 5 and name = 'ab'",
                run.records().get(0).sqlWithParameters());
        assertEquals(List.of("6", "'cd'"), run.records().get(3).parameters());
        assertEquals(0, run.stats().unknownStatementIds());
        assertEquals(1, run.stats().statementIdsResolved());
        assertEquals(0, run.stats().heldStatementsForced());
    }

    @Test
    void anAnswerThatComesInWhileTheStatementRunsNamesIt() {
        ScriptedLookup lookup = new ScriptedLookup();
        lookup.statements.put(9L, "select id, name from t where id = ? and name = ?");
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, executeWithTypes(9)));
        ev.add(Event.server(2010, result())); // the answer is in before the response ends
        Run run = run(
                ev,
                lookup,
                i -> {
                    if (i == 4) {
                        lookup.answer();
                    }
                },
                false);
        assertEquals(List.of("select id, name from t where id = ? and name = ?"), sqls(run), "not held: sent at once");
        assertEquals(0, run.stats().unknownStatementIds());
        assertEquals(1, run.stats().statementIdsResolved());
    }

    @Test
    void anAnswerWithoutTheIdReleasesThePlaceholderAndTheServerIsAskedAgainAfterASecond() {
        ScriptedLookup lookup = new ScriptedLookup();
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, execute(3, 0)));
        ev.add(Event.server(2010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(3000, execute(3, 0))); // answered without it, asked < 1 s ago: placeholder at once
        ev.add(Event.server(3010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(1_200_000, execute(4, 0))); // a second later: asked again, the server knows it now
        ev.add(Event.server(1_200_010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(1_300_000, query("select 1")));
        ev.add(Event.server(1_300_010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = run(
                ev,
                lookup,
                i -> {
                    if (i == 5) {
                        lookup.answer();
                    } else if (i == 9) {
                        lookup.statements.put(4L, "commit");
                        lookup.answer();
                    }
                },
                true);
        assertEquals(
                List.of("prepared statement (0 params)", "prepared statement (0 params)", "commit", "select 1"),
                sqls(run));
        assertEquals(2, lookup.requests.get());
        assertEquals(2, run.stats().unknownStatementIds());
        assertEquals(0, run.stats().heldStatementsForced());
    }

    @Test
    void aLookupThatNeverAnswersReleasesAfterTheTimeBoundOnASweepAndEverythingOnClose() {
        ScriptedLookup lookup = new ScriptedLookup(); // never answers: a watcher stuck on a dead server
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        ev.add(Event.client(2000, execute(3, 0)));
        ev.add(Event.server(2010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        ev.add(Event.client(400_000, execute(3, 0)));
        ev.add(Event.server(400_010, ok(1, 0, 0, AUTOCOMMIT, 0)));
        Run run = run(ev, lookup, i -> {}, false);
        assertTrue(run.records().isEmpty(), "both held");
        assertTrue(
                run.decoder().releaseHeld(2010 + HeldStatements.MAX_HOLD_US),
                "held from its end (2010): the first is due, the second not yet");
        assertEquals(1, run.records().size());
        assertEquals(2000, run.records().get(0).requestTsUs());
        run.decoder().onClose(600_000, StreamHandler.CloseReason.FIN);
        assertEquals(2, run.records().size());
        assertEquals(List.of("prepared statement (0 params)", "prepared statement (0 params)"), sqls(run));
        assertNull(run.records().get(1).parameters());
        assertEquals(1, run.decoder().stats().snapshot().heldStatementsForced());
        assertEquals(2, run.decoder().stats().snapshot().unknownStatementIds());
    }

    @Test
    void heldCountIsBounded() {
        ScriptedLookup lookup = new ScriptedLookup();
        List<Event> ev = handshake(CLIENT_CAPS | CapabilityFlags.CLIENT_DEPRECATE_EOF);
        for (int i = 0; i < HeldStatements.MAX_HELD + 5; i++) {
            ev.add(Event.client(2000 + i * 10L, execute(3, 0)));
            ev.add(Event.server(2005 + i * 10L, ok(1, 0, 0, AUTOCOMMIT, 0)));
        }
        Run run = run(ev, lookup, i -> {}, false);
        assertEquals(5, run.records().size());
        assertEquals(5, run.decoder().stats().snapshot().heldStatementsForced());
    }
}
