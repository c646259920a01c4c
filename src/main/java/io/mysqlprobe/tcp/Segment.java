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
 */
public record Segment(
        long tsMicros, FlowKey key, Direction dir, int seq, int flags, byte[] data, int payloadOff, int payloadLen) {

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int ACK = 0x10;

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }
}
