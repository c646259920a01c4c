package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;

/** One step of a direction's state machine: reads a packet and returns what that direction waits for next. */
@FunctionalInterface
interface PacketHandler {
    State handle(Packet p);
}
