package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;

/**
 * What each direction of one connection waits for. A direction's handler returns its next state and the decoder
 * stores it; written here directly only by {@link SyncControl} (both directions at once: lost sync, resync, TLS,
 * give up, close) and where a packet of one direction changes what the other waits for, each named by a method.
 */
final class ConnectionStates {
    State client;
    State server;

    ConnectionStates(State client, State server) {
        this.client = client;
        this.server = server;
    }

    void both(State s) {
        client = s;
        server = s;
    }

    State of(Direction dir) {
        return dir == Direction.CLIENT_TO_SERVER ? client : server;
    }

    /** The server asked for LOCAL INFILE content, or ended COM_CHANGE_USER or moved it to more auth rounds. */
    void clientNow(State s) {
        client = s;
    }

    /** The client's HandshakeResponse41 was read: the server's next packets are the authentication exchange. */
    void serverNow(State s) {
        server = s;
    }

    /** A command was sent while nothing was in flight: the server's next packet is its response. */
    void serverAwaits(State responseState) {
        if (server == State.IDLE) {
            server = responseState;
        }
    }
}
