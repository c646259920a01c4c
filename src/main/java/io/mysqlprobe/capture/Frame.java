package io.mysqlprobe.capture;

/**
 * One captured link-layer frame with its network layer located.
 *
 * @param tsMicros   capture timestamp, microseconds since the epoch
 * @param data       the captured bytes (not copied; owned by the receiver after the call)
 * @param netOffset  where the IPv4/IPv6 header starts in {@code data}
 * @param length     captured length
 * @param wireLength original length on the wire
 */
public record Frame(long tsMicros, byte[] data, int netOffset, int length, int wireLength) {}
