package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_COMPRESS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_MULTI_STATEMENTS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_QUERY_ATTRIBUTES;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_ZSTD_COMPRESSION_ALGORITHM;

import io.mysqlprobe.protocol.PendingCommand.AfterDefinitions;
import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Decodes one MySQL connection: a state machine per direction fed by a {@link PacketFramer} per
 * direction. Server packets are read through the client command in flight (a FIFO, so pipelined
 * commands match their responses). One {@link StatementRecord} per finished command goes to the sink.
 * Single-threaded; bad input is counted in {@link ProtocolStats}, the connection goes
 * {@link State#UNSYNCED} and resyncs on the next plausible command; nothing is thrown.
 */
public final class MysqlConnectionDecoder implements StreamHandler {

    /** What a direction waits for. Client and server each have one. */
    public enum State {
        /** server: Protocol::HandshakeV10. */
        AWAIT_GREETING,
        /** client: HandshakeResponse41 or SSLRequest. */
        AWAIT_HANDSHAKE_RESPONSE,
        /** server: OK/ERR ending authentication, with auth switch and extra rounds before it. */
        AWAIT_AUTH_RESULT,
        /** client: auth switch responses and extra auth rounds (connection phase or COM_CHANGE_USER). */
        AWAIT_AUTH_DATA,
        /** client: the next command. */
        AWAIT_COMMAND,
        /** client: LOCAL INFILE content, until an empty packet. */
        AWAIT_LOCAL_INFILE_DATA,
        /** server: nothing in flight; a packet now is an unmatched response. */
        IDLE,
        /** server: OK / ERR / EOF / LOCAL INFILE request / column count. */
        READ_RESULT_HEADER,
        /** server: column (or parameter) definitions. */
        READ_COLUMNS,
        /** server: the EOF_Packet after definitions, absent with CLIENT_DEPRECATE_EOF. */
        READ_COLUMNS_EOF,
        /** server: rows until EOF / OK (0xFE) / ERR. */
        READ_ROWS,
        /** server: COM_STMT_PREPARE_OK or ERR. */
        READ_PREPARE_OK,
        /** server: COM_FIELD_LIST column definitions until EOF. */
        READ_FIELD_LIST,
        /** server: COM_STATISTICS's human-readable string. */
        READ_STATISTICS,
        /** server: COM_CHANGE_USER's OK/ERR with auth switch before it. */
        READ_CHANGE_USER_RESULT,
        /** both: TLS after an SSLRequest, not decoded. */
        TLS,
        /** both: position in the stream lost; waits for a client packet that starts a command. */
        UNSYNCED,
        /** both: given up (not MySQL, or a broken compressed stream); bytes are counted and dropped. */
        UNDECODABLE,
        /** both: the connection ended (auth failed, refused). */
        CLOSED
    }

    /** Capture cap for client packets (SQL text); longer statements are truncated and counted. */
    public static final int DEFAULT_MAX_REQUEST_CAPTURE = 1 << 20;
    /** Capture cap for server packets: only headers and small packets are read. */
    public static final int DEFAULT_MAX_RESPONSE_CAPTURE = 64 * 1024;
    /** Prepared statements remembered per connection. */
    static final int MAX_PREPARED_STATEMENTS = 4096;
    private static final long LAST_PREPARED_STATEMENT_ID = 0xFFFF_FFFFL; // MariaDB: "the statement just prepared"
    private static final int MAX_GREETING_LENGTH = 4096;
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 64 * 1024;
    private static final Set<State> DISCARDING = EnumSet.of(State.TLS, State.UNSYNCED, State.UNDECODABLE, State.CLOSED);

    /** Tri-state CLIENT_DEPRECATE_EOF: unknown until the handshake or a result set's shape tells. */
    private enum DeprecateEof { UNKNOWN, YES, NO }

    private final FlowKey key;
    private final Consumer<StatementRecord> sink;
    private final ProtocolStats stats;
    private final SessionLookup sessionLookup;
    private final Map<State, Consumer<Packet>> clientHandlers = new EnumMap<>(State.class);
    private final Map<State, Consumer<Packet>> serverHandlers = new EnumMap<>(State.class);
    private final CommandParsers commands;
    private final ArrayDeque<PendingCommand> inFlight = new ArrayDeque<>();
    private final PacketReader reader = new PacketReader();
    private final Input client;
    private final Input server;

    private State clientState;
    private State serverState;
    private DeprecateEof deprecateEof = DeprecateEof.UNKNOWN;
    /** Negotiated capabilities (client ∩ server), or -1 when the handshake was not seen. */
    private long capabilities = -1;
    private long connectionId;
    private String serverVersion;
    private String user;
    private String db;
    private boolean compressed;
    private final byte[] resyncProbe = new byte[5];
    private int resyncProbeFill;

    public MysqlConnectionDecoder(FlowKey key, boolean sawHandshake, Consumer<StatementRecord> sink,
            ProtocolStats stats, SessionLookup sessionLookup) {
        this(key, sawHandshake, sink, stats, sessionLookup, DEFAULT_MAX_REQUEST_CAPTURE, DEFAULT_MAX_RESPONSE_CAPTURE);
    }

    public MysqlConnectionDecoder(FlowKey key, boolean sawHandshake, Consumer<StatementRecord> sink,
            ProtocolStats stats, SessionLookup sessionLookup, int maxRequestCapture, int maxResponseCapture) {
        this.key = key;
        this.sink = sink;
        this.stats = stats;
        this.sessionLookup = sessionLookup == null ? SessionLookup.NONE : sessionLookup;
        this.commands = new CommandParsers(this);
        this.client = new Input(Direction.CLIENT_TO_SERVER, maxRequestCapture);
        this.server = new Input(Direction.SERVER_TO_CLIENT, maxResponseCapture);
        stats.connections.increment();
        if (sawHandshake) {
            clientState = State.AWAIT_HANDSHAKE_RESPONSE;
            serverState = State.AWAIT_GREETING;
        } else {
            stats.connectionsWithoutHandshake.increment();
            clientState = State.UNSYNCED;
            serverState = State.UNSYNCED;
        }
        registerHandlers();
    }

    private void registerHandlers() {
        clientHandlers.put(State.AWAIT_HANDSHAKE_RESPONSE, this::handleHandshakeResponse);
        clientHandlers.put(State.AWAIT_AUTH_DATA, this::handleAuthData);
        clientHandlers.put(State.AWAIT_COMMAND, this::handleCommand);
        clientHandlers.put(State.AWAIT_LOCAL_INFILE_DATA, this::handleLocalInfileData);
        serverHandlers.put(State.AWAIT_GREETING, this::handleGreeting);
        serverHandlers.put(State.AWAIT_AUTH_RESULT, this::handleAuthResult);
        serverHandlers.put(State.IDLE, this::handleUnmatchedResponse);
        serverHandlers.put(State.READ_RESULT_HEADER, this::handleResultHeader);
        serverHandlers.put(State.READ_COLUMNS, this::handleColumnDefinition);
        serverHandlers.put(State.READ_COLUMNS_EOF, this::handleColumnsEof);
        serverHandlers.put(State.READ_ROWS, this::handleRow);
        serverHandlers.put(State.READ_PREPARE_OK, this::handlePrepareOk);
        serverHandlers.put(State.READ_FIELD_LIST, this::handleFieldList);
        serverHandlers.put(State.READ_STATISTICS, this::handleStatistics);
        serverHandlers.put(State.READ_CHANGE_USER_RESULT, this::handleChangeUserResult);
    }

    // ---------------------------------------------------------------- entry points

    @Override
    public void onData(Direction dir, long tsMicros, byte[] data, int off, int len) {
        try {
            Input in = dir == Direction.CLIENT_TO_SERVER ? client : server;
            if (dir == Direction.CLIENT_TO_SERVER && clientState == State.UNSYNCED) {
                int used = probeResync(data, off, len, tsMicros);
                off += used;
                len -= used;
            }
            in.feed(data, off, len, tsMicros);
        } catch (RuntimeException e) { // last resort: a bug must not take the pipeline down
            decodeError(dir, -1, DecodeError.Kind.INTERNAL, e.toString());
        }
    }

    @Override
    public void onGap(Direction dir, long tsMicros, long missingBytes) {
        stats.gaps.increment();
        if (DISCARDING.contains(clientState) && clientState != State.UNSYNCED) {
            return;
        }
        loseSync();
    }

    @Override
    public void onClose(long tsMicros, CloseReason reason) {
        PendingCommand head = inFlight.peekFirst();
        if (head != null && serverState == State.READ_COLUMNS_EOF && head.afterDefinitions == AfterDefinitions.DONE) {
            completeHead(); // complete but for an EOF_Packet that was never going to come
        }
        stats.commandsDropped.add(inFlight.size());
        inFlight.clear();
        client.close();
        server.close();
        clientState = State.CLOSED;
        serverState = State.CLOSED;
    }

    // ---------------------------------------------------------------- accessors (diagnostics, tests)

    public State clientState() {
        return clientState;
    }

    public State serverState() {
        return serverState;
    }

    public String user() {
        return user;
    }

    public String db() {
        return db;
    }

    public String serverVersion() {
        return serverVersion;
    }

    public long connectionId() {
        return connectionId;
    }

    /** Negotiated capabilities, -1 when the handshake was not seen. */
    public long capabilities() {
        return capabilities;
    }

    public boolean compressed() {
        return compressed;
    }

    /** Bytes buffered by both framers (for memory-bound checks). */
    int bufferCapacity() {
        return client.framer.bufferCapacity() + server.framer.bufferCapacity();
    }

    // ---------------------------------------------------------------- connection phase

    private void handleGreeting(Packet p) {
        if (p.isErr()) { // e.g. ER_HOST_NOT_PRIVILEGED, too many connections
            stats.refusedConnections.increment();
            close();
            return;
        }
        Handshake.Greeting g = Handshake.parseGreeting(p.reader(reader));
        if (g == null) {
            giveUp(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.BAD_GREETING, "not a HandshakeV10");
            return;
        }
        serverVersion = g.serverVersion();
        connectionId = g.connectionId();
        capabilities = g.capabilities();
        serverState = State.AWAIT_AUTH_RESULT;
    }

    private void handleHandshakeResponse(Packet p) {
        Handshake.Response r = Handshake.parseResponse(p.reader(reader), (int) p.length);
        if (r == null) {
            giveUp(Direction.CLIENT_TO_SERVER, p.streamOffset, DecodeError.Kind.BAD_HANDSHAKE_RESPONSE, "unreadable");
            return;
        }
        capabilities = capabilities < 0 ? r.capabilities() : capabilities & r.capabilities();
        if (r.sslRequest()) {
            stats.tlsConnections.increment();
            clientState = State.TLS;
            serverState = State.TLS;
            client.framer.pause();
            server.framer.pause();
            return;
        }
        user = r.user();
        db = r.db();
        deprecateEof = has(CLIENT_DEPRECATE_EOF) ? DeprecateEof.YES : DeprecateEof.NO;
        clientState = State.AWAIT_AUTH_DATA;
        serverState = State.AWAIT_AUTH_RESULT;
    }

    private void handleAuthData(Packet p) {
        PendingCommand head = inFlight.peekFirst();
        if (head != null) { // auth rounds of COM_CHANGE_USER belong to it
            head.bytesIn += p.wireBytes;
        }
    }

    private void handleAuthResult(Packet p) {
        switch (p.header()) {
            case PacketTypes.OK_PACKET -> authenticated();
            case PacketTypes.ERR_PACKET -> {
                stats.authFailures.increment();
                close();
            }
            default -> { } // AuthSwitchRequest (0xFE), AuthMoreData (0x01): the exchange goes on
        }
    }

    private void authenticated() {
        clientState = State.AWAIT_COMMAND;
        serverState = State.IDLE;
        if (has(CLIENT_COMPRESS) || has(CLIENT_ZSTD_COMPRESSION_ALGORITHM)) {
            stats.compressedConnections.increment();
            if (!has(CLIENT_COMPRESS)) {
                giveUp(Direction.SERVER_TO_CLIENT, -1, DecodeError.Kind.BAD_COMPRESSED_FRAME, "zstd not supported");
                return;
            }
            compressed = true;
            server.startCompression();
            client.startCompression();
        }
    }

    // ---------------------------------------------------------------- command phase, client side

    private void handleCommand(Packet p) {
        if (p.length == 0) {
            lostSync(Direction.CLIENT_TO_SERVER, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, "empty command");
            return;
        }
        PendingCommand c = commands.parse(p);
        if (c == null) {
            return; // parse reported why
        }
        if (c.responseState == null) {
            emit(c, true);
            return;
        }
        inFlight.addLast(c);
        if (serverState == State.IDLE) {
            serverState = c.responseState;
        }
    }

    private void handleLocalInfileData(Packet p) {
        PendingCommand head = inFlight.peekFirst();
        if (head != null) {
            head.bytesIn += p.wireBytes;
        }
        if (p.length == 0) {
            clientState = State.AWAIT_COMMAND;
        }
    }

    // ---------------------------------------------------------------- command phase, server side

    private void handleUnmatchedResponse(Packet p) {
        stats.unmatchedResponses.increment();
    }

    private void handleResultHeader(Packet p) {
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
                if (c.command == Command.COM_QUERY && clientState == State.AWAIT_COMMAND) {
                    clientState = State.AWAIT_LOCAL_INFILE_DATA;
                } else {
                    lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
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
            lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_PACKET,
                    "bad column count packet");
            return;
        }
        c.afterDefinitions = AfterDefinitions.ROWS;
        c.definitionsRemaining = metadataFollows ? columns : 0;
        if (c.definitionsRemaining == 0) {
            definitionsDone(c);
        } else {
            serverState = State.READ_COLUMNS;
        }
    }

    private void handleColumnDefinition(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
            return;
        }
        if (--c.definitionsRemaining == 0) {
            definitionsDone(c);
        }
    }

    private void definitionsDone(PendingCommand c) {
        if (deprecateEof == DeprecateEof.YES) {
            afterDefinitions(c);
        } else {
            serverState = State.READ_COLUMNS_EOF;
        }
    }

    /** The EOF_Packet after definitions is there unless CLIENT_DEPRECATE_EOF; when unknown, its shape tells. */
    private void handleColumnsEof(Packet p) {
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
        onServerPacket(p); // the packet belongs to the next step (a row, the next block, the next command)
    }

    private void afterDefinitions(PendingCommand c) {
        switch (c.afterDefinitions) {
            case ROWS -> serverState = State.READ_ROWS;
            case PREPARE_COLUMNS -> {
                c.afterDefinitions = AfterDefinitions.DONE;
                c.definitionsRemaining = c.prepareColumns;
                if (c.prepareColumns > 0) {
                    serverState = State.READ_COLUMNS;
                } else {
                    completeHead();
                }
            }
            case DONE -> completeHead();
        }
    }

    private void handleRow(Packet p) {
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

    private void handlePrepareOk(Packet p) {
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
        commands.rememberPreparedStatement(id, c.sql); // now: an EXECUTE may be sent before the definitions end
        c.warnings = warnings;
        c.prepareColumns = columns;
        c.afterDefinitions = AfterDefinitions.PREPARE_COLUMNS;
        c.definitionsRemaining = params;
        if (params > 0) {
            serverState = State.READ_COLUMNS;
        } else {
            afterDefinitions(c);
        }
    }

    private void handleFieldList(Packet p) {
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

    private void handleStatistics(Packet p) {
        PendingCommand c = inFlight.getFirst();
        if (p.isErr()) {
            handleErr(c, p);
        } else {
            completeHead();
        }
    }

    private void handleChangeUserResult(Packet p) {
        PendingCommand c = inFlight.getFirst();
        switch (p.header()) {
            case PacketTypes.OK_PACKET -> {
                if (c.readOk(p.reader(reader))) {
                    clientState = State.AWAIT_COMMAND;
                    completeHead();
                } else {
                    malformed(p, "OK_Packet");
                }
            }
            case PacketTypes.ERR_PACKET -> {
                clientState = State.AWAIT_COMMAND;
                handleErr(c, p);
            }
            case PacketTypes.AUTH_SWITCH_REQUEST, PacketTypes.AUTH_MORE_DATA -> clientState = State.AWAIT_AUTH_DATA;
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
            emit(c, false);
            c.startNextStatement();
        }
        serverState = State.READ_RESULT_HEADER;
    }

    // ---------------------------------------------------------------- records

    private void completeHead() {
        PendingCommand c = inFlight.pollFirst();
        if (c == null) {
            return;
        }
        emit(c, true); // the record carries the schema/user the command ran under
        if (c.ok) {
            applySessionChange(c);
        }
        PendingCommand next = inFlight.peekFirst();
        if (!DISCARDING.contains(serverState)) {
            serverState = next == null ? State.IDLE : next.responseState;
        }
    }

    private void applySessionChange(PendingCommand c) {
        if (c.schemaOnOk != null) {
            db = c.schemaOnOk;
        }
        if (c.changeUserOnOk != null) {
            user = c.changeUserOnOk.user();
            db = c.changeUserOnOk.db();
            commands.forgetPreparedStatements();
        }
        if (c.command == Command.COM_RESET_CONNECTION) {
            commands.forgetPreparedStatements();
        }
    }

    private void emit(PendingCommand c, boolean finalResult) {
        stats.statements.increment();
        sink.accept(c.toRecord(key, connectionId, user, db, finalResult));
    }

    // ---------------------------------------------------------------- sync

    private void malformed(Packet p, String what) {
        lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, what);
    }

    /** A decode failure: counted, the connection resyncs. */
    void lostSync(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        decodeError(dir, offset, kind, detail);
    }

    private void decodeError(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        stats.decodeError(new DecodeError(key, dir, offset, kind, detail));
        if (!DISCARDING.contains(clientState) || clientState == State.UNSYNCED) {
            loseSync();
        }
    }

    /** Drops commands in flight (counted) and waits for the client to start a command. */
    private void loseSync() {
        stats.commandsDropped.add(inFlight.size());
        inFlight.clear();
        client.framer.reset();
        server.framer.reset();
        client.framer.pause();
        server.framer.pause();
        resyncProbeFill = 0;
        if (compressed) { // no way to find a frame boundary again
            stats.undecodableConnections.increment();
            clientState = State.UNDECODABLE;
            serverState = State.UNDECODABLE;
        } else {
            clientState = State.UNSYNCED;
            serverState = State.UNSYNCED;
        }
    }

    private void giveUp(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        stats.decodeError(new DecodeError(key, dir, offset, kind, detail));
        stats.undecodableConnections.increment();
        stats.commandsDropped.add(inFlight.size());
        inFlight.clear();
        clientState = State.UNDECODABLE;
        serverState = State.UNDECODABLE;
        client.framer.pause();
        server.framer.pause();
    }

    private void close() {
        clientState = State.CLOSED;
        serverState = State.CLOSED;
        client.framer.pause();
        server.framer.pause();
    }

    /**
     * While UNSYNCED, a client chunk is taken as the start of a command when its header has sequence
     * id 0, a known command byte and a length that command can have. Up to 5 bytes are held back so
     * a header split across calls is still seen.
     *
     * @return bytes consumed here (discarded, or replayed into the framer on success)
     */
    private int probeResync(byte[] data, int off, int len, long ts) {
        int take = Math.min(len, resyncProbe.length - resyncProbeFill);
        System.arraycopy(data, off, resyncProbe, resyncProbeFill, take);
        resyncProbeFill += take;
        if (resyncProbeFill < resyncProbe.length) {
            return take;
        }
        resyncProbeFill = 0;
        int length = (resyncProbe[0] & 0xFF) | (resyncProbe[1] & 0xFF) << 8 | (resyncProbe[2] & 0xFF) << 16;
        int seq = resyncProbe[3] & 0xFF;
        Command cmd = Command.of(resyncProbe[4] & 0xFF);
        if (seq != 0 || cmd == null || !CommandParsers.plausibleLength(cmd, length)) {
            // this chunk, and the bytes held back from earlier ones, are not a command start
            stats.discardedBytes.add(len + resyncProbe.length - take);
            return len;
        }
        stats.resyncs.increment();
        if (user == null && db == null) {
            SessionInfo s = sessionLookup.lookup(key);
            if (s != null) {
                user = s.user();
                db = s.db();
            }
        }
        clientState = State.AWAIT_COMMAND;
        serverState = State.IDLE;
        client.framer.reset();
        server.framer.reset();
        client.feed(resyncProbe, 0, resyncProbe.length, ts);
        return take;
    }

    // ---------------------------------------------------------------- helpers for CommandParsers

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

    ProtocolStats stats() {
        return stats;
    }

    PacketReader reader() {
        return reader;
    }

    private void onClientPacket(Packet p) {
        Consumer<Packet> h = clientHandlers.get(clientState);
        if (h != null) {
            h.accept(p);
        }
    }

    private void onServerPacket(Packet p) {
        Consumer<Packet> h = serverHandlers.get(serverState);
        if (h == null) {
            return;
        }
        if (serverState != State.READ_COLUMNS_EOF && !inFlight.isEmpty()
                && serverState != State.AWAIT_GREETING && serverState != State.AWAIT_AUTH_RESULT) {
            inFlight.getFirst().account(p);
        }
        h.accept(p);
    }

    private boolean acceptClientHeader(int length, int seq) {
        return switch (clientState) {
            case AWAIT_HANDSHAKE_RESPONSE -> check(Direction.CLIENT_TO_SERVER, seq == 1
                    && length <= MAX_HANDSHAKE_RESPONSE_LENGTH, DecodeError.Kind.BAD_HANDSHAKE_RESPONSE, length, seq);
            case AWAIT_COMMAND -> compressed || check(Direction.CLIENT_TO_SERVER, seq == 0,
                    DecodeError.Kind.UNEXPECTED_SEQUENCE, length, seq);
            default -> true;
        };
    }

    private boolean acceptServerHeader(int length, int seq) {
        if (serverState == State.AWAIT_GREETING) {
            return check(Direction.SERVER_TO_CLIENT, seq == 0 && length <= MAX_GREETING_LENGTH,
                    DecodeError.Kind.BAD_GREETING, length, seq);
        }
        return true;
    }

    private boolean check(Direction dir, boolean ok, DecodeError.Kind kind, int length, int seq) {
        if (ok) {
            return true;
        }
        String detail = "header length=" + length + " seq=" + seq;
        if (kind == DecodeError.Kind.BAD_GREETING || kind == DecodeError.Kind.BAD_HANDSHAKE_RESPONSE) {
            giveUp(dir, -1, kind, detail);
        } else {
            lostSync(dir, -1, kind, detail);
        }
        return false;
    }

    /** One direction's byte path: optional compressed-frame reader → packet framer → state handler. */
    private final class Input implements PacketFramer.PacketSink, CompressedFrameReader.Downstream {
        final Direction dir;
        final PacketFramer framer;
        CompressedFrameReader inflater;

        Input(Direction dir, int maxCapture) {
            this.dir = dir;
            this.framer = new PacketFramer(maxCapture, this);
        }

        private State state() {
            return dir == Direction.CLIENT_TO_SERVER ? clientState : serverState;
        }

        void feed(byte[] data, int off, int len, long ts) {
            while (len > 0) {
                State s = state();
                if (DISCARDING.contains(s)) {
                    if (s != State.TLS) {
                        stats.discardedBytes.add(len);
                    }
                    return;
                }
                if (inflater != null) {
                    try {
                        inflater.feed(data, off, len, ts);
                    } catch (CompressedFrameReader.BadFrameException e) {
                        giveUp(dir, -1, DecodeError.Kind.BAD_COMPRESSED_FRAME, e.getMessage());
                    }
                    return;
                }
                int n = framer.feed(data, off, len, ts);
                off += n;
                len -= n;
            }
        }

        @Override
        public void accept(byte[] data, int off, int len, long ts) {
            while (len > 0 && !DISCARDING.contains(state())) {
                int n = framer.feed(data, off, len, ts);
                off += n;
                len -= n;
            }
        }

        void startCompression() {
            framer.pause();
            inflater = new CompressedFrameReader(this);
        }

        void close() {
            if (inflater != null) {
                inflater.close();
            }
        }

        @Override
        public void onPacket(Packet p) {
            if (dir == Direction.CLIENT_TO_SERVER) {
                onClientPacket(p);
            } else {
                onServerPacket(p);
            }
        }

        @Override
        public boolean acceptHeader(int length, int sequenceId) {
            return dir == Direction.CLIENT_TO_SERVER ? acceptClientHeader(length, sequenceId)
                    : acceptServerHeader(length, sequenceId);
        }
    }
}
