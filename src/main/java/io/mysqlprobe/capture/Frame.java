package io.mysqlprobe.capture;

/**
 * One captured link-layer frame with its network layer located: {@code data[offset..end)}.
 *
 * @param tsMicros   capture timestamp, microseconds since the epoch
 * @param data       the bytes holding the frame (not copied; may hold other frames too — offline reading
 *                   slices one large read buffer; never written after delivery)
 * @param offset     first byte of the frame in {@code data}
 * @param netOffset  where the IPv4/IPv6 header starts in {@code data} (absolute)
 * @param end        one past the last captured byte (absolute)
 * @param wireLength original length on the wire
 */
public record Frame(long tsMicros, byte[] data, int offset, int netOffset, int end, int wireLength) {}
