package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.FlowKey;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.function.Consumer;

/**
 * One connection's statements of unknown statement ids, held while the {@link PreparedStatementLookup} is asked
 * for their SQL, so that they are counted under their real template. Asks on the first unknown id and again at
 * most once per {@link #ASK_INTERVAL_US} of packet time while ids stay unknown. A held record goes out under the
 * resolved SQL as soon as the answer names it, under its {@link PreparedPlaceholder} when the answer does not,
 * and at the latest after {@code maxHoldUs} of packet time (at most {@link #MAX_HOLD_US}; the live pipeline gives
 * half its window publish grace) or when {@link #MAX_HELD} are held (counted as {@code held_statements_forced}):
 * inside a window's publish grace, so held statements are rarely late.
 * A record keeps its own timestamps. Owned by the connection's decoder (one thread).
 */
final class HeldStatements {

    static final long ASK_INTERVAL_US = 1_000_000;
    static final long MAX_HOLD_US = 500_000;
    static final int MAX_HELD = 1024;

    /** The SQL the server named for a statement id: the connection remembers it (later executes are direct). */
    interface Resolved {
        void remember(long statementId, String sql);
    }

    private record Held(StatementRecord record, long statementId, long deadlineTs) {}

    private final FlowKey key;
    private final PreparedStatementLookup lookup;
    private final ProtocolStats stats;
    private final Consumer<StatementRecord> sink;
    private final Resolved resolved;
    private final long maxHoldUs;
    private final ArrayDeque<Held> held = new ArrayDeque<>();
    /** Ticket of the latest request, -1 before the first. */
    private long ticket = -1;

    private long nextAskTs = Long.MIN_VALUE;

    HeldStatements(
            FlowKey key,
            PreparedStatementLookup lookup,
            ProtocolStats stats,
            Consumer<StatementRecord> sink,
            Resolved resolved,
            long maxHoldUs) {
        this.maxHoldUs = Math.max(1, Math.min(MAX_HOLD_US, maxHoldUs));
        this.key = key;
        this.lookup = lookup;
        this.stats = stats;
        this.sink = sink;
        this.resolved = resolved;
    }

    boolean isEmpty() {
        return held.isEmpty();
    }

    /**
     * At an execute of an id the connection does not know: its SQL when the answer to this connection's request
     * names it, else null (and the server is asked, when due).
     */
    String find(long statementId, long ts) {
        if (lookup == PreparedStatementLookup.NONE) {
            return null;
        }
        if (ticket >= 0 && lookup.answered(ticket)) {
            String sql = lookup.sql(key, statementId);
            if (sql != null) {
                return sql;
            }
        }
        if (ts >= nextAskTs) {
            ticket = lookup.request(key);
            nextAskTs = ts + ASK_INTERVAL_US;
        }
        return null;
    }

    /**
     * A finished statement of an unknown id: sent under its SQL when the answer is in and names it, else held until
     * the pending answer.
     *
     * @return false when neither (the caller sends it under its placeholder)
     */
    boolean hold(StatementRecord r, long statementId, long ts) {
        if (lookup == PreparedStatementLookup.NONE || ticket < 0) {
            return false;
        }
        if (lookup.answered(ticket)) { // the answer came in while the statement ran
            String sql = lookup.sql(key, statementId);
            if (sql == null) {
                return false; // the server does not know it: nothing to wait for
            }
            resolved.remember(statementId, sql);
            sink.accept(named(r, sql));
            return true;
        }
        if (held.size() >= MAX_HELD) {
            stats.heldStatementsForced.increment();
            release(held.pollFirst(), false);
        }
        held.addLast(new Held(r, statementId, ts + maxHoldUs));
        return true;
    }

    /** Sends what may go at packet time {@code ts}: all once answered, else what has been held too long. */
    void poll(long ts) {
        if (held.isEmpty()) {
            return;
        }
        boolean answered = lookup.answered(ticket);
        Iterator<Held> it = held.iterator();
        while (it.hasNext()) {
            Held h = it.next();
            if (answered) {
                it.remove();
                release(h, true);
            } else if (ts >= h.deadlineTs) {
                it.remove();
                stats.heldStatementsForced.increment();
                release(h, false);
            }
        }
    }

    /** Close, reset or change of user: everything held goes (resolved when the answer is in). */
    void releaseAll() {
        boolean answered = ticket >= 0 && lookup.answered(ticket);
        while (!held.isEmpty()) {
            release(held.pollFirst(), answered);
        }
    }

    /** COM_RESET_CONNECTION / COM_CHANGE_USER: the server dropped the statements; ask afresh for new unknown ids. */
    void forget() {
        releaseAll();
        ticket = -1;
        nextAskTs = Long.MIN_VALUE;
    }

    /** The record under the SQL the server named, with the values the execute bound when they fit its {@code ?}. */
    private static StatementRecord named(StatementRecord r, String sql) {
        boolean fit = r.parameters() != null && r.parameters().size() == SqlText.countPlaceholders(sql);
        return r.withSql(sql, fit ? r.parameters() : null);
    }

    private void release(Held h, boolean answered) {
        String sql = answered ? lookup.sql(key, h.statementId) : null;
        if (sql != null) {
            resolved.remember(h.statementId, sql);
            sink.accept(named(h.record, sql));
        } else {
            stats.unknownStatementIds.increment();
            sink.accept(h.record);
        }
    }
}
