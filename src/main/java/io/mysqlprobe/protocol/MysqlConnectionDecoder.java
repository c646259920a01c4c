package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.StreamHandler;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Decodes one MySQL connection: a state machine per direction fed by a {@link PacketInput} (framing, zlib) per
 * direction. Each packet goes to the handler of what its direction waits for, from a table built once: the
 * {@link ConnectionPhase} (greeting, handshake, auth), the {@link CommandPhase} (client commands) and the
 * {@link ResponseReader} (server responses, read through the client command in flight, a FIFO so pipelined
 * commands match their responses); the handler returns the direction's next state. {@link SyncControl} loses and
 * regains sync, gives up and closes. One {@link StatementRecord} per finished command goes to the sink
 * ({@link Session#emit}). Single-threaded; bad input is counted in {@link ProtocolStats}, the connection goes
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

    static final Set<State> DISCARDING = EnumSet.of(State.TLS, State.UNSYNCED, State.UNDECODABLE, State.CLOSED);
    private static final int STATES = State.values().length;

    private final Session session;
    private final ConnectionStates states;
    private final SyncControl sync;
    private final InFlightCommands inFlight = new InFlightCommands();
    private final ResponseReader responses;
    private final PacketInput client;
    private final PacketInput server;
    /** Handlers by what the direction waits for (indexed by ordinal); none where the direction discards. */
    private final PacketHandler[] clientHandlers = new PacketHandler[STATES];

    private final PacketHandler[] serverHandlers = new PacketHandler[STATES];

    public MysqlConnectionDecoder(
            FlowKey key,
            boolean sawHandshake,
            Consumer<StatementRecord> sink,
            ProtocolStats stats,
            SessionLookup sessionLookup) {
        this(key, sawHandshake, sink, stats, sessionLookup, DEFAULT_MAX_REQUEST_CAPTURE, DEFAULT_MAX_RESPONSE_CAPTURE);
    }

    public MysqlConnectionDecoder(
            FlowKey key,
            boolean sawHandshake,
            Consumer<StatementRecord> sink,
            ProtocolStats stats,
            SessionLookup sessionLookup,
            int maxRequestCapture,
            int maxResponseCapture) {
        this.session = new Session(key, sink, stats, sessionLookup, this);
        this.states = sawHandshake
                ? new ConnectionStates(State.AWAIT_HANDSHAKE_RESPONSE, State.AWAIT_GREETING)
                : new ConnectionStates(State.UNSYNCED, State.UNSYNCED);
        this.sync = new SyncControl(session, states, inFlight);
        this.responses = new ResponseReader(this, session, states, sync, inFlight);
        this.client =
                new PacketInput(Direction.CLIENT_TO_SERVER, maxRequestCapture, this, states, sync, inFlight, stats);
        this.server =
                new PacketInput(Direction.SERVER_TO_CLIENT, maxResponseCapture, this, states, sync, inFlight, stats);
        sync.wire(client, server);
        stats.connections.increment();
        if (!sawHandshake) {
            stats.connectionsWithoutHandshake.increment();
            session.fromLookup = true;
        }
        new ConnectionPhase(session, states, sync, responses, inFlight).register(clientHandlers, serverHandlers);
        new CommandPhase(session, states, sync, new CommandParsers(session, sync), inFlight).register(clientHandlers);
        responses.register(serverHandlers);
    }

    /** Whether COM_STMT_EXECUTE parameter values are rendered (for raw-SQL samples). */
    public void parameterValues(BooleanSupplier wanted) {
        session.parameterValues = wanted;
    }

    /**
     * Names statement ids prepared before the capture through {@code lookup}, holding their statements at most
     * {@code maxHoldUs} of packet time; {@code onHold} is told when this connection starts holding statements (so a
     * sweep can {@link #releaseHeld} them on a quiet connection).
     */
    public void preparedLookup(
            PreparedStatementLookup lookup, long maxHoldUs, Consumer<MysqlConnectionDecoder> onHold) {
        session.held = new HeldStatements(
                session.key, lookup, session.stats, session.sink, session.prepared::rememberResolved, maxHoldUs);
        session.onHold = onHold;
    }

    /**
     * Sends the held statements that may go at packet time {@code tsMicros} (answered, or held too long).
     *
     * @return true while statements are still held
     */
    public boolean releaseHeld(long tsMicros) {
        session.held.poll(tsMicros);
        return !session.held.isEmpty();
    }

    // ---------------------------------------------------------------- entry points

    @Override
    public void onData(Direction dir, long tsMicros, byte[] data, int off, int len) {
        onData(dir, tsMicros, data, off, len, RowHints.NONE);
    }

    @Override
    public void onData(Direction dir, long tsMicros, byte[] data, int off, int len, long hint) {
        try {
            PacketInput in = dir == Direction.CLIENT_TO_SERVER ? client : server;
            if (dir == Direction.CLIENT_TO_SERVER && states.client == State.UNSYNCED) {
                int used = sync.probeResync(data, off, len, tsMicros);
                off += used;
                len -= used;
                hint = RowHints.NONE; // no longer the payload it describes
            }
            in.feed(data, off, len, tsMicros, hint);
        } catch (RuntimeException e) { // last resort: a bug must not take the pipeline down
            sync.lostSync(dir, -1, DecodeError.Kind.INTERNAL, e.toString());
        }
    }

    @Override
    public void onGap(Direction dir, long tsMicros, long missingBytes) {
        sync.onGap(dir);
    }

    @Override
    public void onClose(long tsMicros, CloseReason reason) {
        sync.finishCutResponse();
        responses.finishOnClose();
        responses.finishIncomplete(); // their responses never came: counted, latency unknown
        client.close();
        server.close();
        states.both(State.CLOSED);
        session.held.releaseAll(); // last: whatever the close itself finished goes out too
    }

    // ---------------------------------------------------------------- dispatch

    void onClientPacket(Packet p) {
        PacketHandler h = clientHandlers[states.client.ordinal()];
        if (h != null) {
            states.client = h.handle(p);
        }
    }

    void onServerPacket(Packet p) {
        states.server = serverStep(states.server, p);
    }

    /** Reads a server packet in {@code state}; returns what the server side waits for next. */
    State serverStep(State state, Packet p) {
        PacketHandler h = serverHandlers[state.ordinal()];
        if (h == null) {
            return state;
        }
        // the EOF after definitions is charged by its handler, which decides whose it is
        if (state != State.READ_COLUMNS_EOF && !inFlight.account(p, !session.compressed)) {
            return sync.lostSync(
                    Direction.SERVER_TO_CLIENT,
                    p.streamOffset,
                    DecodeError.Kind.UNEXPECTED_SEQUENCE,
                    "response starts with sequence id " + p.sequenceId);
        }
        return h.handle(p);
    }

    // ---------------------------------------------------------------- accessors (diagnostics, tests)

    public State clientState() {
        return states.client;
    }

    public State serverState() {
        return states.server;
    }

    public String user() {
        return session.user;
    }

    public String db() {
        return session.db;
    }

    public String serverVersion() {
        return session.serverVersion;
    }

    public long connectionId() {
        return session.connectionId;
    }

    /** Negotiated capabilities, -1 when the handshake was not seen. */
    public long capabilities() {
        return session.capabilities;
    }

    public boolean compressed() {
        return session.compressed;
    }

    ProtocolStats stats() {
        return session.stats;
    }

    /** Result rows counted from the capture's {@link RowHints} (tests). */
    long hintedRows() {
        return server.framer.hintedRows;
    }

    /** Bytes buffered by both framers (for memory-bound checks). */
    int bufferCapacity() {
        return client.framer.bufferCapacity() + server.framer.bufferCapacity();
    }
}
