package io.mysqlprobe.tcp;

/**
 * A TCP segment of a MySQL connection, oriented by the configured server port.
 *
 * @param tsMicros   capture time
 * @param key        the connection
 * @param dir        client → server or server → client
 * @param seq        sequence number (unsigned 32 bits in an int)
 * @param flags      TCP flags byte (FIN 0x01, SYN 0x02, RST 0x04, ACK 0x10)
 * @param data       frame bytes (not copied)
 * @param payloadOff first payload byte in {@code data}
 * @param payloadLen payload length (may be 0)
 * @param hint       what the capture thread's {@link PayloadHinter} made of a server → client payload, else {@link
 *                   #NO_HINT}
 */
public record Segment(
        long tsMicros,
        FlowKey key,
        Direction dir,
        int seq,
        int flags,
        byte[] data,
        int payloadOff,
        int payloadLen,
        long hint) {

    /** The payload came without a summary. */
    public static final long NO_HINT = -1L;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    /** A segment without a hint. */
    public Segment(
            long tsMicros,
            FlowKey key,
            Direction dir,
            int seq,
            int flags,
            byte[] data,
            int payloadOff,
            int payloadLen) {
        this(tsMicros, key, dir, seq, flags, data, payloadOff, payloadLen, NO_HINT);
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
