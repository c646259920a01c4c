package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.protocol.PendingCommand.AfterDefinitions;
import io.mysqlprobe.tcp.Direction;
import java.util.ArrayDeque;

/**
 * Reads server packets of the command phase through the client command in flight (a FIFO, so
 * pipelined commands match their responses): OK / ERR / EOF, text and binary result sets with or
 * without CLIENT_DEPRECATE_EOF, multi-results, COM_STMT_PREPARE_OK, COM_FIELD_LIST, COM_STATISTICS,
 * COM_CHANGE_USER (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html).
 * Each handler returns what the server side waits for next.
 */
final class ResponseReader {

    /** Tri-state CLIENT_DEPRECATE_EOF: unknown until the handshake or a result set's shape tells. */
    enum DeprecateEof { UNKNOWN, YES, NO }

    private final MysqlConnectionDecoder d;
    private final Session session;
    private final ConnectionStates states;
    private final SyncControl sync;
    private final CommandParsers commands;
    private final ArrayDeque<PendingCommand> inFlight = new ArrayDeque<>();
    private final PacketReader reader = new PacketReader();
    private DeprecateEof deprecateEof = DeprecateEof.UNKNOWN;

    ResponseReader(MysqlConnectionDecoder decoder, Session session, ConnectionStates states, SyncControl sync,
                   CommandParsers commands) {
        this.d = decoder;
        this.session = session;
        this.states = states;
        this.sync = sync;
        this.commands = commands;
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

    /** The command whose response is being read, or null. */
    PendingCommand head() {
        return inFlight.peekFirst();
    }

    /** A command was sent: its response follows the responses of those already in flight. */
    void push(PendingCommand c) {
        inFlight.addLast(c);
    }

    /** Forgets every command in flight; returns how many (the caller counts them as dropped). */
    int dropAll() {
        int n = inFlight.size();
        inFlight.clear();
        return n;
    }

    /** At close: the commands still in flight never got (all of) their response; each is counted as incomplete. */
    void finishIncomplete() {
        PendingCommand c;
        while ((c = inFlight.pollFirst()) != null) {
            session.emitIncomplete(c);
        }
    }

    /**
     * Bytes of the server's response were lost while it was being read: takes the command out so it can still be
     * counted (the server did run it). Only when it is the one command in flight and its response had started.
     */
    PendingCommand takeCutResponse() {
        PendingCommand head = inFlight.peekFirst();
        if (head == null || inFlight.size() != 1 || !head.responseSeen) {
            return null;
        }
        return inFlight.pollFirst();
    }

    /** At close: a response complete but for the packet that would have said so is finished. */
    void finishOnClose() {
        PendingCommand head = inFlight.peekFirst();
        if (head != null && states.server == State.READ_COLUMNS_EOF
                && head.afterDefinitions == AfterDefinitions.DONE) {
            completeHead();
        }
    }

    /**
     * Charges a server packet to the command in flight (except where the handler decides whose it is).
     *
     * @param checkSequence whether the first response packet must carry the request's sequence id + 1
     *                      (not under compression, where the compressed header carries the sequence)
     * @return false when the packet cannot start this command's response: the stream is out of step
     */
    boolean account(Packet p, State state, boolean checkSequence) {
        PendingCommand head = inFlight.peekFirst();
        if (head == null || state == State.READ_COLUMNS_EOF) {
            return true;
        }
        if (checkSequence && !head.responseSeen && p.sequenceId != ((head.requestLastSequenceId + 1) & 0xFF)) {
            return false;
        }
        head.account(p);
        return true;
    }

    State handleUnmatchedResponse(Packet p) {
        session.stats.unmatchedResponses.increment();
        return State.IDLE;
    }

    State handleResultHeader(Packet p) {
        PendingCommand c = inFlight.getFirst();
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
                yield sync.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
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
            return sync.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
                    "bad column count packet");
        }
        c.afterDefinitions = AfterDefinitions.ROWS;
        c.definitionsRemaining = metadataFollows ? columns : 0;
        return c.definitionsRemaining == 0 ? definitionsDone(c) : State.READ_COLUMNS;
    }

    State handleColumnDefinition(Packet p) {
        PendingCommand c = inFlight.getFirst();
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
        PendingCommand c = inFlight.getFirst();
        boolean eof = p.header() == PacketTypes.EOF_PACKET && p.length == PacketTypes.EOF_PACKET_LENGTH_41;
        if (eof) {
            c.account(p);
            deprecateEof = DeprecateEof.NO;
            if (!c.readEof(p.reader(reader))) {
                return malformed(p, "EOF_Packet");
            }
            if (c.cursor && c.afterDefinitions == AfterDefinitions.ROWS
                    && (c.serverStatus & ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS) != 0) {
                return completeHead(); // rows come with COM_STMT_FETCH
            }
            return afterDefinitions(c);
        }
        if (deprecateEof == DeprecateEof.UNKNOWN) {
            deprecateEof = DeprecateEof.YES; // no EOF_Packet after the definitions
        }
        // the packet belongs to the next step (a row, the next block, the next command)
        return d.serverStep(afterDefinitions(c), p);
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
        PendingCommand c = inFlight.getFirst();
        if (p.isEofOrFinalOk()) {
            return c.readEofOrOk(p.reader(reader), p.length) ? resultEnded(c) : malformed(p, "end of result set");
        }
        if (p.isErr()) {
            return handleErr(c, p, State.READ_ROWS);
        }
        c.rowsSent++;
        return State.READ_ROWS;
    }

    /** Rows the framer counted in bulk: what {@link #account} and {@link #handleRow} do for each, at once. */
    void rows(int count, long wireBytes, long ts) {
        PendingCommand c = inFlight.getFirst();
        c.responseSeen = true;
        if (c.firstResponseTs == 0) {
            c.firstResponseTs = ts;
        }
        c.lastResponseTs = ts;
        c.bytesOut += wireBytes;
        c.rowsSent += count;
    }

    State handlePrepareOk(Packet p) {
        PendingCommand c = inFlight.getFirst();
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
        commands.rememberPreparedStatement(id, c.prepared, params);
        c.warnings = warnings;
        c.prepareColumns = columns;
        c.afterDefinitions = AfterDefinitions.PREPARE_COLUMNS;
        c.definitionsRemaining = params;
        return params > 0 ? State.READ_COLUMNS : afterDefinitions(c);
    }

    State handleFieldList(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            return handleErr(c, p, State.READ_FIELD_LIST);
        }
        if (p.isEofOrFinalOk()) {
            return c.readEofOrOk(p.reader(reader), p.length) ? completeHead() : malformed(p, "EOF_Packet");
        }
        return State.READ_FIELD_LIST;
    }

    State handleStatistics(Packet p) {
        PendingCommand c = inFlight.getFirst();
        return p.isErr() ? handleErr(c, p, State.READ_STATISTICS) : completeHead();
    }

    State handleChangeUserResult(Packet p) {
        PendingCommand c = inFlight.getFirst();
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
        PendingCommand c = inFlight.pollFirst();
        if (c == null) {
            return now;
        }
        session.emit(c, true); // the record carries the schema/user the command ran under
        if (c.ok) {
            session.applyChange(c, commands);
        }
        if (MysqlConnectionDecoder.DISCARDING.contains(now)) {
            return now;
        }
        PendingCommand next = inFlight.peekFirst();
        return next == null ? State.IDLE : next.responseState;
    }

    private State malformed(Packet p, String what) {
        return sync.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, what);
    }
}
