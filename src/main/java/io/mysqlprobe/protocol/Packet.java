package io.mysqlprobe.protocol;

/**
 * One logical MySQL packet (continuation packets joined) as the {@link PacketFramer} yields it.
 * Owned and reused by the framer: valid only during {@link PacketFramer.PacketSink#onPacket}.
 * Only a bounded prefix of the payload is kept ({@link #captured}); {@link #length} is the real size. The kept
 * bytes are {@code payload[offset, offset + captured)}: the framer's buffer, or the bytes being fed when the
 * packet lay whole in them (not copied).
 */
final class Packet {

    /** Sequence id of the first physical packet. */
    int sequenceId;
    /** Sequence id of the last physical packet (differs when continuation packets were joined). */
    int lastSequenceId;
    /** Payload length on the wire, all continuation packets summed. */
    long length;
    /** Payload bytes kept in {@link #payload} (a prefix of at most the framer's cap). */
    int captured;

    byte[] payload;
    /** Where the payload starts in {@link #payload}. */
    int offset;
    /** Bytes on the wire including every 4-byte header. */
    long wireBytes;
    /** Timestamp of the onData call that carried the first header byte. */
    long tsFirst;
    /** Timestamp of the onData call that carried the last payload byte. */
    long tsLast;
    /** Offset of the first header byte in this direction's (decompressed) byte stream. */
    long streamOffset;

    boolean truncated() {
        return captured < length;
    }

    /** First payload byte, or -1 for an empty packet. */
    int header() {
        return captured > 0 ? payload[offset] & 0xFF : -1;
    }

    /** A packet starting with 0xFE that is shorter than a full packet: EOF_Packet or OK_Packet with 0xFE header. */
    boolean isEofOrFinalOk() {
        return header() == PacketTypes.EOF_PACKET && length < PacketTypes.MAX_PACKET_LENGTH;
    }

    boolean isErr() {
        return header() == PacketTypes.ERR_PACKET;
    }

    /** Payload byte {@code i} ({@code i < captured}). */
    int byteAt(int i) {
        return payload[offset + i] & 0xFF;
    }

    PacketReader reader(PacketReader r) {
        return r.reset(payload, offset, captured);
    }

    /** A reader of the last {@code n} captured payload bytes. */
    PacketReader tail(PacketReader r, int n) {
        return r.reset(payload, offset + captured - n, n);
    }
}
