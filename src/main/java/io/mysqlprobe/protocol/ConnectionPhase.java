package io.mysqlprobe.protocol;

import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_COMPRESS;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_DEPRECATE_EOF;
import static io.mysqlprobe.protocol.CapabilityFlags.CLIENT_ZSTD_COMPRESSION_ALGORITHM;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;

/**
 * The connection phase (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html):
 * the server's greeting, the client's HandshakeResponse41 or SSLRequest, the auth rounds, and the OK/ERR that ends
 * them. Each handler returns what its direction waits for next.
 */
final class ConnectionPhase {

    private final Session session;
    private final ProtocolStats stats;
    private final ConnectionStates states;
    private final SyncControl sync;
    private final ResponseReader responses;
    private final InFlightCommands inFlight;
    private final PacketReader reader = new PacketReader();

    ConnectionPhase(
            Session session,
            ConnectionStates states,
            SyncControl sync,
            ResponseReader responses,
            InFlightCommands inFlight) {
        this.session = session;
        this.stats = session.stats;
        this.states = states;
        this.sync = sync;
        this.responses = responses;
        this.inFlight = inFlight;
    }

    void register(PacketHandler[] client, PacketHandler[] server) {
        client[State.AWAIT_HANDSHAKE_RESPONSE.ordinal()] = this::handleHandshakeResponse;
        client[State.AWAIT_AUTH_DATA.ordinal()] = this::handleAuthData;
        server[State.AWAIT_GREETING.ordinal()] = this::handleGreeting;
        server[State.AWAIT_AUTH_RESULT.ordinal()] = this::handleAuthResult;
    }

    /** server: Protocol::HandshakeV10, or an ERR refusing the connection. */
    State handleGreeting(Packet p) {
        if (p.isErr()) { // e.g. ER_HOST_NOT_PRIVILEGED, too many connections
            stats.refusedConnections.increment();
            return sync.stop(State.CLOSED);
        }
        Handshake.Greeting g = Handshake.parseGreeting(p.reader(reader));
        if (g == null) {
            return sync.giveUp(
                    Direction.SERVER_TO_CLIENT, p.streamOffset, DecodeError.Kind.BAD_GREETING, "not a HandshakeV10");
        }
        session.serverVersion = g.serverVersion();
        session.connectionId = g.connectionId();
        session.capabilities = g.capabilities();
        return State.AWAIT_AUTH_RESULT;
    }

    /** client: HandshakeResponse41 (user, schema, capabilities) or SSLRequest (the rest is TLS). */
    State handleHandshakeResponse(Packet p) {
        Handshake.Response r = Handshake.parseResponse(p.reader(reader), (int) p.length);
        if (r == null) {
            return sync.giveUp(
                    Direction.CLIENT_TO_SERVER, p.streamOffset, DecodeError.Kind.BAD_HANDSHAKE_RESPONSE, "unreadable");
        }
        session.capabilities = session.capabilities < 0 ? r.capabilities() : session.capabilities & r.capabilities();
        if (r.sslRequest()) {
            stats.tlsConnections.increment();
            return sync.stop(State.TLS);
        }
        session.user = r.user();
        session.db = r.db();
        responses.deprecateEof(session.has(CLIENT_DEPRECATE_EOF));
        states.serverNow(State.AWAIT_AUTH_RESULT);
        return State.AWAIT_AUTH_DATA;
    }

    /** client: auth switch responses and extra auth rounds (connection phase or COM_CHANGE_USER). */
    State handleAuthData(Packet p) {
        PendingCommand head = inFlight.head();
        if (head != null) { // auth rounds of COM_CHANGE_USER belong to it
            head.bytesIn += p.wireBytes;
        }
        return State.AWAIT_AUTH_DATA;
    }

    /** server: OK (authenticated), ERR (refused), or AuthSwitchRequest / AuthMoreData (the exchange goes on). */
    State handleAuthResult(Packet p) {
        return switch (p.header()) {
            case PacketTypes.OK_PACKET -> authenticated();
            case PacketTypes.ERR_PACKET -> {
                stats.authFailures.increment();
                yield sync.stop(State.CLOSED);
            }
            default -> State.AWAIT_AUTH_RESULT;
        };
    }

    private State authenticated() {
        states.clientNow(State.AWAIT_COMMAND);
        if (session.has(CLIENT_COMPRESS) || session.has(CLIENT_ZSTD_COMPRESSION_ALGORITHM)) {
            stats.compressedConnections.increment();
            if (!session.has(CLIENT_COMPRESS)) {
                return sync.giveUp(
                        Direction.SERVER_TO_CLIENT, -1, DecodeError.Kind.BAD_COMPRESSED_FRAME, "zstd not supported");
            }
            sync.startCompression();
        }
        return State.IDLE;
    }
}
