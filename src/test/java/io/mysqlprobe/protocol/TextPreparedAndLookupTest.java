package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.AUTOCOMMIT;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.CLIENT_CAPS;
import static io.mysqlprobe.protocol.MysqlConnectionDecoderTest.handshake;
import static io.mysqlprobe.protocol.Packets.err;
import static io.mysqlprobe.protocol.Packets.ok;
import static io.mysqlprobe.protocol.Packets.query;
import static io.mysqlprobe.protocol.ServerStatusFlags.SERVER_MORE_RESULTS_EXISTS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.protocol.Harness.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Text PREPARE / EXECUTE / DEALLOCATE PREPARE, and a session lookup asked again while user/db are unknown. */
class TextPreparedAndLookupTest {

    private static List<String> sqls(Run run) {
        return run.records().stream().map(StatementRecord::sql).toList();
    }

    private static void roundTrip(List<Event> ev, long ts, String sql) {
        ev.add(Event.client(ts, query(sql)));
        ev.add(Event.server(ts + 10, ok(1, 0, 0, AUTOCOMMIT, 0)));
    }

    @Test
    void executeByNameIsReportedUnderThePreparedText() {
        List<Event> ev = handshake(CLIENT_CAPS);
        roundTrip(ev, 2000, "PREPARE s1 FROM 'select * from t where id = ? and name = ''it''''s'''");
        roundTrip(ev, 2100, "set @a = 5");
        roundTrip(ev, 2200, "EXECUTE S1 USING @a, concat('x', ',')");
        roundTrip(ev, 2300, "/* c */ execute `s1`");
        roundTrip(ev, 2400, "DEALLOCATE PREPARE s1");
        ev.add(Event.client(2500, query("EXECUTE s1 USING @a")));
        ev.add(Event.server(2510, err(1, 1243, "HY000", "Unknown prepared statement handler (s1) given to EXECUTE")));
        roundTrip(ev, 2600, "prepare s2 from @q");
        roundTrip(ev, 2700, "execute s2");
        roundTrip(ev, 2800, "EXECUTE IMMEDIATE 'select ? + 1' USING 41");
        roundTrip(ev, 2900, "drop table t");
        Run run = Harness.allSplits(ev, true);
        String text = "select * from t where id = ? and name = 'it''s'";
        assertEquals(
                List.of(
                        "PREPARE s1 FROM 'select * from t where id = ? and name = ''it''''s'''",
                        "set @a = 5",
                        text,
                        text,
                        "DEALLOCATE PREPARE s1",
                        "EXECUTE s1 USING @a",
                        "prepare s2 from @q",
                        "execute s2",
                        "select ? + 1",
                        "drop table t"),
                sqls(run));
        StatementRecord exec = run.records().get(2);
        assertEquals(List.of("@a", "concat('x', ',')"), exec.parameters());
        assertEquals("select * from t where id = @a and name = 'it''s'", exec.sqlWithParameters());
        assertNull(run.records().get(3).parameters());
        assertEquals(1243, run.records().get(5).errno());
        assertEquals("select 41 + 1", run.records().get(8).sqlWithParameters());
        assertEquals(2, run.stats().unknownStatementIds());
    }

    @Test
    void failedPrepareIsNotRememberedAndMultiStatementExecuteResolvesPerStatement() {
        List<Event> ev = handshake(CLIENT_CAPS);
        ev.add(Event.client(2000, query("prepare bad from 'selec 1'")));
        ev.add(Event.server(2010, err(1, 1064, "42000", "You have an error in your SQL syntax")));
        roundTrip(ev, 2100, "prepare good from \"select 2\"");
        ev.add(Event.client(2200, query("execute good; execute bad")));
        ev.add(Event.server(
                2210,
                ok(1, 0, 0, AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS, 0),
                err(2, 1243, "HY000", "Unknown prepared statement handler (bad) given to EXECUTE")));
        Run run = Harness.allSplits(ev, true);
        assertEquals(
                List.of("prepare bad from 'selec 1'", "prepare good from \"select 2\"", "select 2", "execute bad"),
                sqls(run)); // unknown name: its own text (it was an empty template)
    }

    @Test
    void theNameTableIsBounded() {
        List<Event> ev = handshake(CLIENT_CAPS);
        long ts = 2000;
        for (int i = 0; i <= TextPreparedStatements.MAX_NAMES; i++) {
            roundTrip(ev, ts += 100, "prepare p" + i + " from 'select " + i + "'");
        }
        Run run = Harness.whole(ev, true);
        assertEquals(1, run.stats().statementTableOverflows());
    }

    @Test
    void connectionWithoutHandshakeAsksTheLookupAgainUntilUserAndDbAreKnown() {
        AtomicReference<SessionInfo> known = new AtomicReference<>();
        AtomicInteger asked = new AtomicInteger();
        SessionLookup watcher = conn -> {
            asked.incrementAndGet();
            return known.get();
        };
        List<Event> ev = new ArrayList<>();
        roundTrip(ev, 1_000_000, "select 1"); // resync: asked, unknown
        roundTrip(ev, 1_500_000, "select 2"); // within a second: not asked
        ev.add(Event.client(2_100_000, query("select 3"))); // asked again: the watcher knows by now
        List<StatementRecord> out = new ArrayList<>();
        ProtocolStats stats = new ProtocolStats();
        MysqlConnectionDecoder d = new MysqlConnectionDecoder(Harness.FLOW, false, out::add, stats, watcher);
        for (Event e : ev) {
            if (e.ts() == 2_100_000) {
                known.set(new SessionInfo("app", "shop"));
            }
            d.onData(e.dir(), e.ts(), e.bytes(), 0, e.bytes().length);
        }
        byte[] lastOk = ok(1, 0, 0, AUTOCOMMIT, 0);
        d.onData(io.mysqlprobe.tcp.Direction.SERVER_TO_CLIENT, 2_100_010, lastOk, 0, lastOk.length);
        roundTripInto(d, 4_000_000, "select 4"); // both known: not asked any more
        assertEquals(4, out.size());
        assertNull(out.get(0).user());
        assertNull(out.get(1).db());
        assertEquals("app", out.get(2).user());
        assertEquals("shop", out.get(2).db());
        assertEquals("shop", out.get(3).db());
        assertEquals(2, asked.get());
    }

    private static void roundTripInto(MysqlConnectionDecoder d, long ts, String sql) {
        byte[] q = query(sql);
        d.onData(io.mysqlprobe.tcp.Direction.CLIENT_TO_SERVER, ts, q, 0, q.length);
        byte[] r = ok(1, 0, 0, AUTOCOMMIT, 0);
        d.onData(io.mysqlprobe.tcp.Direction.SERVER_TO_CLIENT, ts + 10, r, 0, r.length);
    }
}
