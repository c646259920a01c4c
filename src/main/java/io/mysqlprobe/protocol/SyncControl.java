package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;

/**
 * Keeps one connection's decoding in step with its stream: checks packet headers against what is awaited, loses
 * sync on a decode failure or a gap (commands in flight dropped, counted), probes client bytes for the next command
 * start (or a compressed frame, or TLS) and resumes, gives up on what is not decodable, and closes. These are the
 * only transitions that move both directions at once; each returns the state of the direction that asked.
 */
final class SyncControl {

    private static final int MAX_GREETING_LENGTH = 4096;
    private static final int MAX_HANDSHAKE_RESPONSE_LENGTH = 64 * 1024;

    private final Session session;
    private final ProtocolStats stats;
    private final ConnectionStates states;
    private final ResyncProbe resyncProbe = new ResyncProbe();
    private final InFlightCommands inFlight;
    private PacketInput client;
    private PacketInput server;
    /** A command whose response lost bytes to a gap, counted when its response is over. */
    private PendingCommand cutResponse;

    SyncControl(Session session, ConnectionStates states, InFlightCommands inFlight) {
        this.session = session;
        this.stats = session.stats;
        this.states = states;
        this.inFlight = inFlight;
    }

    /** Wiring, once: the inputs a lost sync resets (they are built after this). */
    void wire(PacketInput client, PacketInput server) {
        this.client = client;
        this.server = server;
    }

    /** The response cut by a gap while its remaining bytes are discarded, or null. */
    PendingCommand cutResponse() {
        return cutResponse;
    }

    void onGap(Direction dir) {
        stats.gaps.increment();
        if (MysqlConnectionDecoder.DISCARDING.contains(states.client) && states.client != State.UNSYNCED) {
            return;
        }
        if (dir == Direction.SERVER_TO_CLIENT && cutResponse == null && !session.compressed) {
            cutResponse = inFlight.takeCutResponse();
        }
        loseSync();
    }

    /**
     * Counts the statement whose response was cut by a gap, once the response is over: the client's next command
     * (resync) or the connection's end. Its latency runs to the last server byte seen until then.
     */
    void finishCutResponse() {
        PendingCommand c = cutResponse;
        if (c == null) {
            return;
        }
        cutResponse = null;
        stats.responsesCutByGap.increment();
        session.emit(c, true);
    }

    /** A decode failure: counted, the connection resyncs. Returns what {@code dir} waits for now. */
    State lostSync(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        stats.decodeError(new DecodeError(session.key, dir, offset, kind, detail));
        if (!MysqlConnectionDecoder.DISCARDING.contains(states.client) || states.client == State.UNSYNCED) {
            loseSync();
        }
        return states.of(dir);
    }

    /** Drops commands in flight (counted) and waits for the client to start a command. */
    private void loseSync() {
        stats.commandsDropped.add(inFlight.dropAll());
        client.framer.reset();
        server.framer.reset();
        client.framer.pause();
        server.framer.pause();
        resyncProbe.reset();
        resyncProbe.compressedOnly(session.compressed); // the ResyncProbe finds a frame boundary again
        client.stopCompression();
        server.stopCompression();
        states.both(State.UNSYNCED);
    }

    State giveUp(Direction dir, long offset, DecodeError.Kind kind, String detail) {
        stats.decodeError(new DecodeError(session.key, dir, offset, kind, detail));
        stats.undecodableConnections.increment();
        stats.commandsDropped.add(inFlight.dropAll());
        states.both(State.UNDECODABLE);
        client.framer.pause();
        server.framer.pause();
        return State.UNDECODABLE;
    }

    /** Both directions stop being decoded: TLS (not decoded) or the connection ended (refused, auth failed). */
    State stop(State s) {
        states.both(s);
        client.framer.pause();
        server.framer.pause();
        return s;
    }

    /** CLIENT_COMPRESS in effect from here: both directions read compressed frames. */
    void startCompression() {
        session.compressed = true;
        server.startCompression();
        client.startCompression();
    }

    /**
     * While UNSYNCED, each client chunk is offered to the {@link ResyncProbe}; on a command start
     * the probed bytes are replayed into the framer and decoding resumes.
     *
     * @return bytes consumed here (discarded, held back, or replayed into the framer)
     */
    int probeResync(byte[] data, int off, int len, long ts) {
        ResyncProbe.Verdict v = resyncProbe.offer(data, off, len);
        switch (v) {
            case NEED_MORE:
                return resyncProbe.taken();
            case TLS:
                stats.tlsConnections.increment();
                states.both(State.TLS);
                return len;
            case NOT_A_COMMAND:
                // this chunk, and the bytes held back from earlier ones, are not a command start
                stats.discardedBytes.add(len - resyncProbe.taken() + resyncProbe.held());
                return len;
            case COMPRESSED_START: // CLIENT_COMPRESS negotiated before the capture (or a compressed stream resyncs)
                if (!session.compressed) {
                    stats.compressedConnections.increment();
                    session.compressed = true;
                }
                client.startCompression();
                server.startCompression();
                break;
            default:
                break;
        }
        stats.resyncs.increment();
        finishCutResponse();
        session.askLookupNow();
        states.client = State.AWAIT_COMMAND;
        states.server = State.IDLE;
        client.framer.reset();
        server.framer.reset();
        client.feed(resyncProbe.bytes(), 0, resyncProbe.held(), ts);
        return resyncProbe.taken();
    }

    /** Whether a packet header is plausible for what {@code dir} waits for; if not, the connection resyncs or gives up. */
    boolean acceptHeader(Direction dir, int length, int seq) {
        if (dir == Direction.CLIENT_TO_SERVER) {
            return switch (states.client) {
                case AWAIT_HANDSHAKE_RESPONSE ->
                    check(
                            dir,
                            seq == 1 && length <= MAX_HANDSHAKE_RESPONSE_LENGTH,
                            DecodeError.Kind.BAD_HANDSHAKE_RESPONSE,
                            length,
                            seq);
                case AWAIT_COMMAND ->
                    session.compressed || check(dir, seq == 0, DecodeError.Kind.UNEXPECTED_SEQUENCE, length, seq);
                default -> true;
            };
        }
        if (states.server == State.AWAIT_GREETING) {
            return check(dir, seq == 0 && length <= MAX_GREETING_LENGTH, DecodeError.Kind.BAD_GREETING, length, seq);
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
}
