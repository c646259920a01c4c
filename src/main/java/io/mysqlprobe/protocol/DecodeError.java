package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;

/**
 * A decode failure as a value: which flow, which direction, where in that direction's stream, why.
 * The decoder counts it in {@link ProtocolStats} and resyncs; nothing is thrown.
 */
public record DecodeError(FlowKey flow, Direction direction, long streamOffset, Kind kind, String detail) {

    /** Why decoding failed; one counter each. */
    public enum Kind {
        /** The first server packet is not a Protocol::HandshakeV10 nor an ERR_Packet: not MySQL. */
        BAD_GREETING,
        /** The client's HandshakeResponse could not be read. */
        BAD_HANDSHAKE_RESPONSE,
        /** A field ran past the end of its packet. */
        MALFORMED_PACKET,
        /** A sequence id that does not fit where the state machine is. */
        UNEXPECTED_SEQUENCE,
        /** A packet type the state machine does not expect here (e.g. a bad column count). */
        UNEXPECTED_PACKET,
        /** A client command byte that is not a known COM_* code. */
        UNKNOWN_COMMAND,
        /** The compressed protocol framing or zlib data is broken. */
        BAD_COMPRESSED_FRAME,
        /** A bug: a runtime exception caught at the entry as a last resort. */
        INTERNAL
    }
}
