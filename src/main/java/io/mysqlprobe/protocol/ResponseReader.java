package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.protocol.PendingCommand.AfterDefinitions;
import io.mysqlprobe.tcp.Direction;

/**
 * Reads server packets of the command phase through the client command in flight (a FIFO, so
 * pipelined commands match their responses): OK / ERR / EOF, text and binary result sets with or
 * without CLIENT_DEPRECATE_EOF, multi-results, COM_STMT_PREPARE_OK, COM_FIELD_LIST, COM_STATISTICS,
 * COM_CHANGE_USER (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html).
 * Each handler returns what the server side waits for next.
 */
final class ResponseReader {

    /** Tri-state CLIENT_DEPRECATE_EOF: unknown until the handshake or a result set's shape tells. */
    enum DeprecateEof {
        UNKNOWN,
        YES,
        NO
    }

    private final MysqlConnectionDecoder decoder;
    private final Session session;
    private final ConnectionStates states;
    private final SyncControl sync;
    private final InFlightCommands inFlight;
    private final PacketReader reader = new PacketReader();
    private DeprecateEof deprecateEof = DeprecateEof.UNKNOWN;

    ResponseReader(
            MysqlConnectionDecoder decoder,
            Session session,
            ConnectionStates states,
            SyncControl sync,
            InFlightCommands inFlight) {
        this.decoder = decoder;
        this.inFlight = inFlight;
        this.session = session;
        this.states = states;
        this.sync = sync;
    }

    void register(PacketHandler[] server) {
        server[State.IDLE.ordinal()] = this::handleUnmatchedResponse;
        server[State.READ_RESULT_HEADER.ordinal()] = this::handleResultHeader;
        server[State.READ_COLUMNS.ordinal()] = this::handleColumnDefinition;
        server[State.READ_COLUMNS_EOF.ordinal()] = this::handleColumnsEof;
        server[State.READ_ROWS.ordinal()] = this::handleRow;
        server[State.READ_PREPARE_OK.ordinal()] = this::handlePrepareOk;
        server[State.READ_FIELD_LIST.ordinal()] = this::handleFieldList;
        server[State.READ_STATISTICS.ordinal()] = this::handleStatistics;
        server[State.READ_CHANGE_USER_RESULT.ordinal()] = this::handleChangeUserResult;
    }

    void deprecateEof(boolean negotiated) {
        deprecateEof = negotiated ? DeprecateEof.YES : DeprecateEof.NO;
    }

    /** At close: the commands still in flight never got (all of) their response; each is counted as incomplete. */
    void finishIncomplete() {
        PendingCommand c;
        while ((c = inFlight.poll()) != null) {
            session.emitIncomplete(c);
        }
    }

    /** At close: a response complete but for the packet that would have said so is finished. */
    void finishOnClose() {
        PendingCommand head = inFlight.head();
        if (head != null && states.server == State.READ_COLUMNS_EOF && head.afterDefinitions == AfterDefinitions.DONE) {
            completeHead();
        }
    }

    State handleUnmatchedResponse(Packet p) {
        session.stats.unmatchedResponses.increment();
        return State.IDLE;
    }

    State handleResultHeader(Packet p) {
        PendingCommand c = inFlight.first();
        PacketReader r = p.reader(reader);
        return switch (p.header()) {
            case PacketTypes.OK_PACKET -> c.readOk(r) ? resultEnded(c) : malformed(p, "OK_Packet");
            case PacketTypes.ERR_PACKET -> handleErr(c, p, State.READ_RESULT_HEADER);
            case PacketTypes.EOF_PACKET -> c.readEofOrOk(r, p.length) ? resultEnded(c) : malformed(p, "EOF_Packet");
            case PacketTypes.LOCAL_INFILE_REQUEST -> {
                if (c.command == Command.COM_QUERY && states.client == State.AWAIT_COMMAND) {
                    states.clientNow(State.AWAIT_LOCAL_INFILE_DATA);
                    yield State.READ_RESULT_HEADER;
                }
                yield sync.lostSync(
                        Direction.SERVER_TO_CLIENT,
                        p.streamOffset,
                        DecodeError.Kind.UNEXPECTED_PACKET,
                        "LOCAL INFILE request for " + c.command);
            }
            default -> readColumnCount(c, p, r);
        };
    }

    private State readColumnCount(PendingCommand c, Packet p, PacketReader r) {
        long columns = r.readLengthEncodedInteger();
        // MariaDB (MARIADB_CLIENT_CACHE_METADATA) / MySQL (CLIENT_OPTIONAL_RESULTSET_METADATA) append
        // a metadata_follows byte; 0 means the column definitions are not sent.
        boolean metadataFollows = !r.hasRemaining() || r.readInt1() != 0;
        if (r.overrun() || columns == 0 || p.length > 16) {
            return sync.lostSync(
                    Direction.SERVER_TO_CLIENT,
                    p.streamOffset,
                    DecodeError.Kind.UNEXPECTED_PACKET,
                    "bad column count packet");
        }
        c.afterDefinitions = AfterDefinitions.ROWS;
        c.definitionsRemaining = metadataFollows ? columns : 0;
        return c.definitionsRemaining == 0 ? definitionsDone(c) : State.READ_COLUMNS;
    }

    State handleColumnDefinition(Packet p) {
        PendingCommand c = inFlight.first();
        if (p.isErr()) {
            return handleErr(c, p, State.READ_COLUMNS);
        }
        if (c.unknownStatement != null && c.afterDefinitions == AfterDefinitions.ROWS) {
            c.unknownStatement.column(p.reader(reader)); // the result's schema.table(columns) names it
        }
        return --c.definitionsRemaining == 0 ? definitionsDone(c) : State.READ_COLUMNS;
    }

    private State definitionsDone(PendingCommand c) {
        return deprecateEof == DeprecateEof.YES ? afterDefinitions(c) : State.READ_COLUMNS_EOF;
    }

    /** The EOF_Packet after definitions is there unless CLIENT_DEPRECATE_EOF; when unknown, its shape tells. */
    State handleColumnsEof(Packet p) {
        PendingCommand c = inFlight.first();
        boolean eof = p.header() == PacketTypes.EOF_PACKET && p.length == PacketTypes.EOF_PACKET_LENGTH_41;
        if (eof) {
            c.account(p);
            deprecateEof = DeprecateEof.NO;
            if (!c.readEof(p.reader(reader))) {
                return malformed(p, "EOF_Packet");
            }
            if (c.cursor
                    && c.afterDefinitions == AfterDefinitions.ROWS
                    && (c.serverStatus & ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS) != 0) {
                return completeHead(); // rows come with COM_STMT_FETCH
            }
            return afterDefinitions(c);
        }
        if (deprecateEof == DeprecateEof.UNKNOWN) {
            deprecateEof = DeprecateEof.YES; // no EOF_Packet after the definitions
        }
        // the packet belongs to the next step (a row, the next block, the next command)
        return decoder.serverStep(afterDefinitions(c), p);
    }

    private State afterDefinitions(PendingCommand c) {
        return switch (c.afterDefinitions) {
            case ROWS -> State.READ_ROWS;
            case PREPARE_COLUMNS -> {
                c.afterDefinitions = AfterDefinitions.DONE;
                c.definitionsRemaining = c.prepareColumns;
                yield c.prepareColumns > 0 ? State.READ_COLUMNS : completeHead();
            }
            case DONE -> completeHead();
        };
    }

    State handleRow(Packet p) {
        PendingCommand c = inFlight.first();
        if (p.isEofOrFinalOk()) {
            return c.readEofOrOk(p.reader(reader), p.length) ? resultEnded(c) : malformed(p, "end of result set");
        }
        if (p.isErr()) {
            return handleErr(c, p, State.READ_ROWS);
        }
        c.rowsSent++;
        return State.READ_ROWS;
    }

    State handlePrepareOk(Packet p) {
        PendingCommand c = inFlight.first();
        if (p.isErr()) {
            return handleErr(c, p, State.READ_PREPARE_OK);
        }
        PacketReader r = p.reader(reader);
        int status = r.readInt1();
        long id = r.readInt4();
        int columns = r.readInt2();
        int params = r.readInt2();
        r.skip(1); // reserved_1
        int warnings = r.remaining() >= 2 ? r.readInt2() : 0;
        if (r.overrun() || status != PacketTypes.OK_PACKET) {
            return malformed(p, "COM_STMT_PREPARE_OK");
        }
        c.preparedId = id;
        // now: an EXECUTE may be sent before the definitions end
        session.prepared.remember(id, c.prepared, params);
        c.warnings = warnings;
        c.prepareColumns = columns;
        c.afterDefinitions = AfterDefinitions.PREPARE_COLUMNS;
        c.definitionsRemaining = params;
        return params > 0 ? State.READ_COLUMNS : afterDefinitions(c);
    }

    State handleFieldList(Packet p) {
        PendingCommand c = inFlight.first();
        if (p.isErr()) {
            return handleErr(c, p, State.READ_FIELD_LIST);
        }
        if (p.isEofOrFinalOk()) {
            return c.readEofOrOk(p.reader(reader), p.length) ? completeHead() : malformed(p, "EOF_Packet");
        }
        return State.READ_FIELD_LIST;
    }

    State handleStatistics(Packet p) {
        PendingCommand c = inFlight.first();
        return p.isErr() ? handleErr(c, p, State.READ_STATISTICS) : completeHead();
    }

    State handleChangeUserResult(Packet p) {
        PendingCommand c = inFlight.first();
        switch (p.header()) {
            case PacketTypes.OK_PACKET -> {
                if (!c.readOk(p.reader(reader))) {
                    return malformed(p, "OK_Packet");
                }
                states.clientNow(State.AWAIT_COMMAND);
                return completeHead();
            }
            case PacketTypes.ERR_PACKET -> {
                states.clientNow(State.AWAIT_COMMAND);
                return handleErr(c, p, State.READ_CHANGE_USER_RESULT);
            }
            case PacketTypes.AUTH_SWITCH_REQUEST, PacketTypes.AUTH_MORE_DATA -> {
                states.clientNow(State.AWAIT_AUTH_DATA);
                return State.READ_CHANGE_USER_RESULT;
            }
            default -> {
                return State.READ_CHANGE_USER_RESULT;
            }
        }
    }

    /** ERR ends the command, but for MariaDB's progress reports; {@code stay} is the state it was read in. */
    private State handleErr(PendingCommand c, Packet p, State stay) {
        if (PendingCommand.isProgressReport(p)) {
            return stay; // MariaDB progress indication, the real answer follows
        }
        return c.readErr(p.reader(reader)) ? completeHead() : malformed(p, "ERR_Packet");
    }

    /** A result (OK, or the end of a result set) ended: more may follow (SERVER_MORE_RESULTS_EXISTS). */
    private State resultEnded(PendingCommand c) {
        if (!c.moreResults()) {
            return completeHead();
        }
        if (c.hasUnattributedStatements()) {
            session.emit(c, false);
            c.startNextStatement();
        }
        return State.READ_RESULT_HEADER;
    }

    /** The command at the head is finished: its record goes out; returns what the server side waits for next. */
    State completeHead() {
        State now = states.server;
        PendingCommand c = inFlight.poll();
        if (c == null) {
            return now;
        }
        session.emit(c, true); // the record carries the schema/user the command ran under
        if (c.ok) {
            session.applyChange(c);
        }
        if (MysqlConnectionDecoder.DISCARDING.contains(now)) {
            return now;
        }
        PendingCommand next = inFlight.head();
        return next == null ? State.IDLE : next.responseState;
    }

    private State malformed(Packet p, String what) {
        return sync.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, what);
    }
}
