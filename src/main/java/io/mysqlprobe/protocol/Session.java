package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_MULTI_STATEMENTS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_QUERY_ATTRIBUTES;

import io.mysqlprobe.tcp.FlowKey;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What one connection knows about itself (capabilities, server, user, schema, compression) and where its
 * statements go: {@link #emit} turns a finished command into a {@link StatementRecord}, naming text-prepared
 * statements and holding statements of ids prepared before the capture. User/db unknown for lack of a handshake
 * come from the {@link SessionLookup}, asked at most once per {@link #LOOKUP_INTERVAL_US} of packet time.
 */
final class Session {

    /** How often a connection whose user/db are unknown asks the {@link SessionLookup} again. */
    static final long LOOKUP_INTERVAL_US = 1_000_000;

    final FlowKey key;
    final Consumer<StatementRecord> sink;
    final ProtocolStats stats;
    private final SessionLookup sessionLookup;
    private final MysqlConnectionDecoder owner;
    final TextPreparedStatements textPrepared;
    final PreparedStatementTable prepared;

    /** Negotiated capabilities (client ∩ server), or -1 when the handshake was not seen. */
    long capabilities = -1;

    long connectionId;
    String serverVersion;
    String user;
    String db;
    boolean compressed;
    /** Handshake not seen: user/db come from the {@link SessionLookup}, asked again while either is unknown. */
    boolean fromLookup;
    /** Packet time before which the lookup is not asked again. */
    private long nextLookupTs = Long.MIN_VALUE;

    /**
     * Statements of ids prepared before the capture, held while a lookup asks the server for their SQL (no lookup
     * until {@link MysqlConnectionDecoder#preparedLookup} sets one).
     */
    HeldStatements held;

    Consumer<MysqlConnectionDecoder> onHold = d -> {};
    BooleanSupplier parameterValues = () -> true;

    Session(
            FlowKey key,
            Consumer<StatementRecord> sink,
            ProtocolStats stats,
            SessionLookup sessionLookup,
            MysqlConnectionDecoder owner) {
        this.key = key;
        this.sink = sink;
        this.stats = stats;
        this.sessionLookup = sessionLookup == null ? SessionLookup.NONE : sessionLookup;
        this.owner = owner;
        this.textPrepared = new TextPreparedStatements(stats);
        this.prepared = new PreparedStatementTable(stats);
        this.held = new HeldStatements(
                key, PreparedStatementLookup.NONE, stats, sink, prepared::rememberResolved, HeldStatements.MAX_HOLD_US);
    }

    boolean has(long capability) {
        return capabilities >= 0 && (capabilities & capability) != 0;
    }

    boolean capabilitiesKnown() {
        return capabilities >= 0;
    }

    boolean queryAttributes() {
        return has(CLIENT_QUERY_ATTRIBUTES);
    }

    boolean multiStatementsPossible() {
        return !capabilitiesKnown() || has(CLIENT_MULTI_STATEMENTS);
    }

    boolean parameterValuesWanted() {
        return parameterValues.getAsBoolean();
    }

    void emit(PendingCommand c, boolean finalResult) {
        stats.statements.increment();
        StatementRecord r = c.toRecord(key, connectionId, user, db, finalResult);
        if (c.command == Command.COM_QUERY && r.sql() != null) {
            r = textPrepared.apply(r);
        }
        if (c.unknownStatement != null && held.hold(r, c.statementId, Math.max(c.requestTs, c.lastResponseTs))) {
            if (!held.isEmpty()) {
                onHold.accept(owner); // sent under its SQL once the server names it, else under the placeholder
            }
            return;
        }
        if (PreparedPlaceholder.is(r.sql())) {
            stats.unknownStatementIds.increment();
        }
        sink.accept(r);
    }

    /** A command whose response never arrived (the connection ended first): a record flagged incomplete. */
    void emitIncomplete(PendingCommand c) {
        stats.incompleteStatements.increment();
        c.incomplete = true;
        emit(c, true);
    }

    /** A command's OK took effect: its schema, its user, or a reset that forgets the prepared statements. */
    void applyChange(PendingCommand c) {
        if (c.schemaOnOk != null) {
            db = c.schemaOnOk;
        }
        if (c.changeUserOnOk != null) {
            user = c.changeUserOnOk.user();
            db = c.changeUserOnOk.db();
            fromLookup = false; // the wire told us
            forgetStatements();
        }
        if (c.command == Command.COM_RESET_CONNECTION) {
            forgetStatements();
        }
    }

    private void forgetStatements() {
        prepared.forgetAll();
        textPrepared.clear();
        held.forget();
    }

    /** After a resync the lookup is asked at the next command. */
    void askLookupNow() {
        if (fromLookup) {
            nextLookupTs = Long.MIN_VALUE;
        }
    }

    /** Fills user/db still unknown from the {@link SessionLookup} (the watcher may learn them after the resync). */
    void askLookup(long ts) {
        if (user != null && db != null) {
            fromLookup = false;
            return;
        }
        if (ts < nextLookupTs) {
            return;
        }
        nextLookupTs = ts + LOOKUP_INTERVAL_US;
        SessionInfo s = sessionLookup.lookup(key);
        if (s != null) {
            if (user == null) {
                user = s.user();
            }
            if (db == null) {
                db = s.db();
            }
        }
    }
}
