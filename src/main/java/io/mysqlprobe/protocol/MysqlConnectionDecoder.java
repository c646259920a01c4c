package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_COMPRESS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_MULTI_STATEMENTS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_QUERY_ATTRIBUTES;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_ZSTD_COMPRESSION_ALGORITHM;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
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
        /** both: given up (not MySQL, bad handshake, zstd compression); bytes are counted and dropped. */
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
    private static final int MAX_GREETING_LENGTH = 4096;
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 64 * 1024;
    static final Set<State> DISCARDING = EnumSet.of(State.TLS, State.UNSYNCED, State.UNDECODABLE, State.CLOSED);

    private final FlowKey key;
    private final Consumer<StatementRecord> sink;
    private final ProtocolStats stats;
    private final SessionLookup sessionLookup;
    private final Map<State, Consumer<Packet>> clientHandlers = new EnumMap<>(State.class);
    private final Map<State, Consumer<Packet>> serverHandlers = new EnumMap<>(State.class);
    private final CommandParsers commands;
    private final ResponseReader responses;
    private java.util.function.BooleanSupplier parameterValues = () -> true;

    /** Whether COM_STMT_EXECUTE parameter values are rendered (for raw-SQL samples). */
    public void parameterValues(java.util.function.BooleanSupplier wanted) {
        this.parameterValues = wanted;
    }

    boolean parameterValuesWanted() {
        return parameterValues.getAsBoolean();
    }

    /** Statements of ids prepared before the capture, held while {@code lookup} asks the server for their SQL. */
    private HeldStatements held;
    private Consumer<MysqlConnectionDecoder> onHold = d -> { };

    /**
     * Names statement ids prepared before the capture through {@code lookup}, holding their statements at most
     * {@code maxHoldUs} of packet time; {@code onHold} is told when this connection starts holding statements (so a
     * sweep can {@link #releaseHeld} them on a quiet connection).
     */
    public void preparedLookup(PreparedStatementLookup lookup, long maxHoldUs,
                               Consumer<MysqlConnectionDecoder> onHold) {
        this.held = new HeldStatements(key, lookup, stats, sink, commands::rememberResolved, maxHoldUs);
        this.onHold = onHold;
    }

    HeldStatements heldStatements() {
        return held;
    }

    /**
     * Sends the held statements that may go at packet time {@code tsMicros} (answered, or held too long).
     *
     * @return true while statements are still held
     */
    public boolean releaseHeld(long tsMicros) {
        held.poll(tsMicros);
        return !held.isEmpty();
    }

    /** A command whose response lost bytes to a gap, counted when its response is over. */
    private PendingCommand cutResponse;
    private final PacketReader reader = new PacketReader();
    private final Input client;
    private final Input server;

    private State clientState;
    private State serverState;
    /** Negotiated capabilities (client ∩ server), or -1 when the handshake was not seen. */
    private long capabilities = -1;
    private long connectionId;
    private String serverVersion;
    private String user;
    private String db;
    private boolean compressed;
    private final ResyncProbe resyncProbe = new ResyncProbe();
    private final TextPreparedStatements textPrepared;
    /** Handshake not seen: user/db come from the {@link SessionLookup}, asked again while either is unknown. */
    private boolean sessionFromLookup;
    /** Packet time before which the lookup is not asked again (at most once per {@link #LOOKUP_INTERVAL_US}). */
    private long nextLookupTs = Long.MIN_VALUE;
    /** How often a connection whose user/db are unknown asks the {@link SessionLookup} again. */
    static final long LOOKUP_INTERVAL_US = 1_000_000;

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
        this.textPrepared = new TextPreparedStatements(stats);
        this.responses = new ResponseReader(this);
        this.held = new HeldStatements(key, PreparedStatementLookup.NONE, stats, sink, commands::rememberResolved,
                HeldStatements.MAX_HOLD_US);
        this.client = new Input(Direction.CLIENT_TO_SERVER, maxRequestCapture);
        this.server = new Input(Direction.SERVER_TO_CLIENT, maxResponseCapture);
        stats.connections.increment();
        if (sawHandshake) {
            clientState = State.AWAIT_HANDSHAKE_RESPONSE;
            serverState = State.AWAIT_GREETING;
        } else {
            stats.connectionsWithoutHandshake.increment();
            sessionFromLookup = true;
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
        responses.register(serverHandlers);
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
        if (dir == Direction.SERVER_TO_CLIENT && cutResponse == null && !compressed) {
            cutResponse = responses.takeCutResponse();
        }
        loseSync();
    }

    /**
     * Counts the statement whose response was cut by a gap, once the response is over: the client's next command
     * (resync) or the connection's end. Its latency runs to the last server byte seen until then.
     */
    private void finishCutResponse() {
        PendingCommand c = cutResponse;
        if (c == null) {
            return;
        }
        cutResponse = null;
        stats.responsesCutByGap.increment();
        emit(c, true);
    }

    @Override
    public void onClose(long tsMicros, CloseReason reason) {
        finishCutResponse();
        responses.finishOnClose();
        responses.finishIncomplete(); // their responses never came: counted, latency unknown
        client.close();
        server.close();
        clientState = State.CLOSED;
        serverState = State.CLOSED;
        held.releaseAll(); // last: whatever the close itself finished goes out too
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
        responses.deprecateEof(has(CLIENT_DEPRECATE_EOF));
        clientState = State.AWAIT_AUTH_DATA;
        serverState = State.AWAIT_AUTH_RESULT;
    }

    private void handleAuthData(Packet p) {
        PendingCommand head = responses.head();
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
        if (sessionFromLookup) {
            askSessionLookup(p.tsFirst);
        }
        if (!held.isEmpty()) {
            held.poll(p.tsFirst);
        }
        PendingCommand c = commands.parse(p);
        if (c == null) {
            return; // parse reported why
        }
        if (c.responseState == null) {
            emit(c, true);
            return;
        }
        responses.push(c);
    }

    private void handleLocalInfileData(Packet p) {
        PendingCommand head = responses.head();
        if (head != null) {
            head.bytesIn += p.wireBytes;
        }
        if (p.length == 0) {
            clientState = State.AWAIT_COMMAND;
        }
    }

    void applySessionChange(PendingCommand c) {
        if (c.schemaOnOk != null) {
            db = c.schemaOnOk;
        }
        if (c.changeUserOnOk != null) {
            user = c.changeUserOnOk.user();
            db = c.changeUserOnOk.db();
            sessionFromLookup = false; // the wire told us
            commands.forgetPreparedStatements();
            textPrepared.clear();
            held.forget();
        }
        if (c.command == Command.COM_RESET_CONNECTION) {
            commands.forgetPreparedStatements();
            textPrepared.clear();
            held.forget();
        }
    }

    void emit(PendingCommand c, boolean finalResult) {
        stats.statements.increment();
        StatementRecord r = c.toRecord(key, connectionId, user, db, finalResult);
        if (c.command == Command.COM_QUERY && r.sql() != null) {
            r = textPrepared.apply(r);
        }
        if (c.unknownStatement != null && held.hold(r, c.statementId, Math.max(c.requestTs, c.lastResponseTs))) {
            if (!held.isEmpty()) {
                onHold.accept(this); // sent under its SQL once the server names it, else under the placeholder
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

    /**
     * Fills user/db still unknown from the {@link SessionLookup} (the watcher may learn them after the resync),
     * asking at most once per {@link #LOOKUP_INTERVAL_US} of packet time; stops once both are known.
     */
    private void askSessionLookup(long ts) {
        if (user != null && db != null) {
            sessionFromLookup = false;
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

    // ---------------------------------------------------------------- sync

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
        stats.commandsDropped.add(responses.dropAll());
        client.framer.reset();
        server.framer.reset();
        client.framer.pause();
        server.framer.pause();
        resyncProbe.reset();
        resyncProbe.compressedOnly(compressed); // the ResyncProbe finds a frame boundary again
        client.stopCompression();
        server.stopCompression();
        clientState = State.UNSYNCED;
        serverState = State.UNSYNCED;
    }

    private void giveUp(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        stats.decodeError(new DecodeError(key, dir, offset, kind, detail));
        stats.undecodableConnections.increment();
        stats.commandsDropped.add(responses.dropAll());
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
     * While UNSYNCED, each client chunk is offered to the {@link ResyncProbe}; on a command start
     * the probed bytes are replayed into the framer and decoding resumes.
     *
     * @return bytes consumed here (discarded, held back, or replayed into the framer)
     */
    private int probeResync(byte[] data, int off, int len, long ts) {
        ResyncProbe.Verdict v = resyncProbe.offer(data, off, len);
        switch (v) {
            case NEED_MORE:
                return resyncProbe.taken();
            case TLS:
                stats.tlsConnections.increment();
                clientState = State.TLS;
                serverState = State.TLS;
                return len;
            case NOT_A_COMMAND:
                // this chunk, and the bytes held back from earlier ones, are not a command start
                stats.discardedBytes.add(len - resyncProbe.taken() + resyncProbe.held());
                return len;
            case COMPRESSED_START: // CLIENT_COMPRESS negotiated before the capture (or a compressed stream resyncs)
                if (!compressed) {
                    stats.compressedConnections.increment();
                    compressed = true;
                }
                client.startCompression();
                server.startCompression();
                break;
            default:
                break;
        }
        stats.resyncs.increment();
        finishCutResponse();
        if (sessionFromLookup) {
            nextLookupTs = Long.MIN_VALUE; // ask now
        }
        clientState = State.AWAIT_COMMAND;
        serverState = State.IDLE;
        client.framer.reset();
        server.framer.reset();
        client.feed(resyncProbe.bytes(), 0, resyncProbe.held(), ts);
        return resyncProbe.taken();
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

    CommandParsers commands() {
        return commands;
    }

    void serverState(State s) {
        serverState = s;
    }

    void clientState(State s) {
        clientState = s;
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

    void onServerPacket(Packet p) {
        Consumer<Packet> h = serverHandlers.get(serverState);
        if (h == null) {
            return;
        }
        if (!responses.account(p, !compressed)) {
            lostSync(Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.UNEXPECTED_SEQUENCE,
                    "response starts with sequence id " + p.sequenceId);
            return;
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
                    PendingCommand cut = cutResponse;
                    if (cut != null && dir == Direction.SERVER_TO_CLIENT) {
                        cut.lastResponseTs = ts; // the rest of the cut response: its end is the statement's end
                        cut.bytesOut += len;
                    }
                    return;
                }
                if (inflater != null) {
                    try {
                        inflater.feed(data, off, len, ts);
                    } catch (CompressedFrameReader.BadFrameException e) {
                        lostSync(dir, -1, DecodeError.Kind.BAD_COMPRESSED_FRAME, e.getMessage());
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
            stopCompression();
            inflater = new CompressedFrameReader(this);
        }

        /** Drops the frame reader (after a desync: the next frame starts fresh); it may be inflating right now. */
        void stopCompression() {
            inflater = null; // not ended here: its Inflater is freed by its cleaner
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
        public boolean rowsFollow() {
            return dir == Direction.SERVER_TO_CLIENT && serverState == State.READ_ROWS && inflater == null;
        }

        @Override
        public void onRows(int count, long wireBytes, long ts) {
            responses.rows(count, wireBytes, ts);
        }

        @Override
        public boolean acceptHeader(int length, int sequenceId) {
            return dir == Direction.CLIENT_TO_SERVER ? acceptClientHeader(length, sequenceId)
                    : acceptServerHeader(length, sequenceId);
        }
    }
}
