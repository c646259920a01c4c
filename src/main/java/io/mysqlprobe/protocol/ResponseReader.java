package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.protocol.PendingCommand.AfterDefinitions;
import io.mysqlprobe.tcp.Direction;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads server packets of the command phase through the client command in flight (a FIFO, so
 * pipelined commands match their responses): OK / ERR / EOF, text and binary result sets with or
 * without CLIENT_DEPRECATE_EOF, multi-results, COM_STMT_PREPARE_OK, COM_FIELD_LIST, COM_STATISTICS,
 * COM_CHANGE_USER (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html).
 */
final class ResponseReader {

    /** Tri-state CLIENT_DEPRECATE_EOF: unknown until the handshake or a result set's shape tells. */
    enum DeprecateEof { UNKNOWN, YES, NO }

    private final MysqlConnectionDecoder d;
    private final ArrayDeque<PendingCommand> inFlight = new ArrayDeque<>();
    private final PacketReader reader = new PacketReader();
    private DeprecateEof deprecateEof = DeprecateEof.UNKNOWN;

    ResponseReader(MysqlConnectionDecoder decoder) {
        this.d = decoder;
    }

    void register(Map<State, Consumer<Packet>> handlers) {
        handlers.put(State.IDLE, this::handleUnmatchedResponse);
        handlers.put(State.READ_RESULT_HEADER, this::handleResultHeader);
        handlers.put(State.READ_COLUMNS, this::handleColumnDefinition);
        handlers.put(State.READ_COLUMNS_EOF, this::handleColumnsEof);
        handlers.put(State.READ_ROWS, this::handleRow);
        handlers.put(State.READ_PREPARE_OK, this::handlePrepareOk);
        handlers.put(State.READ_FIELD_LIST, this::handleFieldList);
        handlers.put(State.READ_STATISTICS, this::handleStatistics);
        handlers.put(State.READ_CHANGE_USER_RESULT, this::handleChangeUserResult);
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
        if (d.serverState() == State.IDLE) {
            d.serverState(c.responseState);
        }
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
            d.emitIncomplete(c);
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
        if (head != null && d.serverState() == State.READ_COLUMNS_EOF
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
    boolean account(Packet p, boolean checkSequence) {
        PendingCommand head = inFlight.peekFirst();
        if (head == null || d.serverState() == State.READ_COLUMNS_EOF) {
            return true;
        }
        if (checkSequence && !head.responseSeen && p.sequenceId != ((head.requestLastSequenceId + 1) & 0xFF)) {
            return false;
        }
        head.account(p);
        return true;
    }

    void handleUnmatchedResponse(Packet p) {
        d.stats().unmatchedResponses.increment();
    }

    void handleResultHeader(Packet p) {
        PendingCommand c = inFlight.getFirst();
        PacketReader r = p.reader(reader);
        switch (p.header()) {
            case PacketTypes.OK_PACKET -> {
                if (c.readOk(r)) {
                    resultEnded(c);
                } else {
                    malformed(p, "OK_Packet");
                }
            }
            case PacketTypes.ERR_PACKET -> handleErr(c, p);
            case PacketTypes.EOF_PACKET -> {
                if (c.readEofOrOk(r, p.length)) {
                    resultEnded(c);
                } else {
                    malformed(p, "EOF_Packet");
                }
            }
            case PacketTypes.LOCAL_INFILE_REQUEST -> {
                if (c.command == Command.COM_QUERY && d.clientState() == State.AWAIT_COMMAND) {
                    d.clientState(State.AWAIT_LOCAL_INFILE_DATA);
                } else {
                    d.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
                            "LOCAL INFILE request for " + c.command);
                }
            }
            default -> readColumnCount(c, p, r);
        }
    }

    private void readColumnCount(PendingCommand c, Packet p, PacketReader r) {
        long columns = r.readLengthEncodedInteger();
        // MariaDB (MARIADB_CLIENT_CACHE_METADATA) / MySQL (CLIENT_OPTIONAL_RESULTSET_METADATA) append
        // a metadata_follows byte; 0 means the column definitions are not sent.
        boolean metadataFollows = !r.hasRemaining() || r.readInt1() != 0;
        if (r.overrun() || columns == 0 || p.length > 16) {
            d.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
                    "bad column count packet");
            return;
        }
        c.afterDefinitions = AfterDefinitions.ROWS;
        c.definitionsRemaining = metadataFollows ? columns : 0;
        if (c.definitionsRemaining == 0) {
            definitionsDone(c);
        } else {
            d.serverState(State.READ_COLUMNS);
        }
    }

    void handleColumnDefinition(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
            return;
        }
        if (c.unknownStatement != null && c.afterDefinitions == AfterDefinitions.ROWS) {
            c.unknownStatement.column(p.reader(reader)); // the result's schema.table(columns) names it
        }
        if (--c.definitionsRemaining == 0) {
            definitionsDone(c);
        }
    }

    private void definitionsDone(PendingCommand c) {
        if (deprecateEof == DeprecateEof.YES) {
            afterDefinitions(c);
        } else {
            d.serverState(State.READ_COLUMNS_EOF);
        }
    }

    /** The EOF_Packet after definitions is there unless CLIENT_DEPRECATE_EOF; when unknown, its shape tells. */
    void handleColumnsEof(Packet p) {
        PendingCommand c = inFlight.getFirst();
        boolean eof = p.header() == PacketTypes.EOF_PACKET && p.length == PacketTypes.EOF_PACKET_LENGTH_41;
        if (eof) {
            c.account(p);
            deprecateEof = DeprecateEof.NO;
            if (!c.readEof(p.reader(reader))) {
                malformed(p, "EOF_Packet");
                return;
            }
            if (c.cursor && c.afterDefinitions == AfterDefinitions.ROWS
                    && (c.serverStatus & ServerStatusFlags.SERVER_STATUS_CURSOR_EXISTS) != 0) {
                completeHead(); // rows come with COM_STMT_FETCH
                return;
            }
            afterDefinitions(c);
            return;
        }
        if (deprecateEof == DeprecateEof.UNKNOWN) {
            deprecateEof = DeprecateEof.YES; // no EOF_Packet after the definitions
        }
        afterDefinitions(c);
        d.onServerPacket(p); // the packet belongs to the next step (a row, the next block, the next command)
    }

    private void afterDefinitions(PendingCommand c) {
        switch (c.afterDefinitions) {
            case ROWS -> d.serverState(State.READ_ROWS);
            case PREPARE_COLUMNS -> {
                c.afterDefinitions = AfterDefinitions.DONE;
                c.definitionsRemaining = c.prepareColumns;
                if (c.prepareColumns > 0) {
                    d.serverState(State.READ_COLUMNS);
                } else {
                    completeHead();
                }
            }
            case DONE -> completeHead();
        }
    }

    void handleRow(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isEofOrFinalOk()) {
            if (c.readEofOrOk(p.reader(reader), p.length)) {
                resultEnded(c);
            } else {
                malformed(p, "end of result set");
            }
        } else if (p.isErr()) {
            handleErr(c, p);
        } else {
            c.rowsSent++;
        }
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

    void handlePrepareOk(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
            return;
        }
        PacketReader r = p.reader(reader);
        int status = r.readInt1();
        long id = r.readInt4();
        int columns = r.readInt2();
        int params = r.readInt2();
        r.skip(1); // reserved_1
        int warnings = r.remaining() >= 2 ? r.readInt2() : 0;
        if (r.overrun() || status != PacketTypes.OK_PACKET) {
            malformed(p, "COM_STMT_PREPARE_OK");
            return;
        }
        c.preparedId = id;
        // now: an EXECUTE may be sent before the definitions end
        d.commands().rememberPreparedStatement(id, c.prepared, params);
        c.warnings = warnings;
        c.prepareColumns = columns;
        c.afterDefinitions = AfterDefinitions.PREPARE_COLUMNS;
        c.definitionsRemaining = params;
        if (params > 0) {
            d.serverState(State.READ_COLUMNS);
        } else {
            afterDefinitions(c);
        }
    }

    void handleFieldList(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
        } else if (p.isEofOrFinalOk()) {
            if (c.readEofOrOk(p.reader(reader), p.length)) {
                completeHead();
            } else {
                malformed(p, "EOF_Packet");
            }
        }
    }

    void handleStatistics(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
        } else {
            completeHead();
        }
    }

    void handleChangeUserResult(Packet p) {
        PendingCommand c = inFlight.getFirst();
        switch (p.header()) {
            case PacketTypes.OK_PACKET -> {
                if (c.readOk(p.reader(reader))) {
                    d.clientState(State.AWAIT_COMMAND);
                    completeHead();
                } else {
                    malformed(p, "OK_Packet");
                }
            }
            case PacketTypes.ERR_PACKET -> {
                d.clientState(State.AWAIT_COMMAND);
                handleErr(c, p);
            }
            case PacketTypes.AUTH_SWITCH_REQUEST, PacketTypes.AUTH_MORE_DATA -> d.clientState(State.AWAIT_AUTH_DATA);
            default -> { }
        }
    }

    private void handleErr(PendingCommand c, Packet p) {
        if (PendingCommand.isProgressReport(p)) {
            return; // MariaDB progress indication, the real answer follows
        }
        if (c.readErr(p.reader(reader))) {
            completeHead();
        } else {
            malformed(p, "ERR_Packet");
        }
    }

    /** A result (OK, or the end of a result set) ended: more may follow (SERVER_MORE_RESULTS_EXISTS). */
    private void resultEnded(PendingCommand c) {
        if (!c.moreResults()) {
            completeHead();
            return;
        }
        if (c.hasUnattributedStatements()) {
            d.emit(c, false);
            c.startNextStatement();
        }
        d.serverState(State.READ_RESULT_HEADER);
    }

    /** The command at the head is finished: its record goes out, the next command's response follows. */
    void completeHead() {
        PendingCommand c = inFlight.pollFirst();
        if (c == null) {
            return;
        }
        d.emit(c, true); // the record carries the schema/user the command ran under
        if (c.ok) {
            d.applySessionChange(c);
        }
        PendingCommand next = inFlight.peekFirst();
        if (!MysqlConnectionDecoder.DISCARDING.contains(d.serverState())) {
            d.serverState(next == null ? State.IDLE : next.responseState);
        }
    }

    private void malformed(Packet p, String what) {
        d.lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, what);
    }
}
