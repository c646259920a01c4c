package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;

/**
 * The client side of the command phase: each command is read by {@link CommandParsers}; one without a response
 * goes out at once, the others queue in the {@link InFlightCommands}. LOCAL INFILE content is charged to its query.
 * Each handler returns what the client waits for next.
 */
final class CommandPhase {

    private final Session session;
    private final SyncControl sync;
    private final CommandParsers commands;
    private final InFlightCommands inFlight;
    private final ConnectionStates states;

    CommandPhase(
            Session session,
            ConnectionStates states,
            SyncControl sync,
            CommandParsers commands,
            InFlightCommands inFlight) {
        this.session = session;
        this.states = states;
        this.sync = sync;
        this.commands = commands;
        this.inFlight = inFlight;
    }

    void register(PacketHandler[] client) {
        client[State.AWAIT_COMMAND.ordinal()] = this::handleCommand;
        client[State.AWAIT_LOCAL_INFILE_DATA.ordinal()] = this::handleLocalInfileData;
    }

    /** client: the next command. */
    State handleCommand(Packet p) {
        if (p.length == 0) {
            return sync.lostSync(
                    Direction.CLIENT_TO_SERVER, p.streamOffset, DecodeError.Kind.MALFORMED_PACKET, "empty command");
        }
        if (session.fromLookup) {
            session.askLookup(p.tsFirst);
        }
        if (!session.held.isEmpty()) {
            session.held.poll(p.tsFirst);
        }
        PendingCommand c = commands.parse(p);
        if (c == null) {
            return states.client; // parse reported why (and the connection lost sync)
        }
        if (c.responseState == null) {
            session.emit(c, true);
        } else {
            inFlight.push(c);
            states.serverAwaits(c.responseState);
        }
        return State.AWAIT_COMMAND;
    }

    /** client: LOCAL INFILE content, until an empty packet. */
    State handleLocalInfileData(Packet p) {
        PendingCommand head = inFlight.head();
        if (head != null) {
            head.bytesIn += p.wireBytes;
        }
        return p.length == 0 ? State.AWAIT_COMMAND : State.AWAIT_LOCAL_INFILE_DATA;
    }
}
