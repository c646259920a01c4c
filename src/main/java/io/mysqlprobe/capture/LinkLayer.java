package io.mysqlprobe.capture;

/**
 * Finds the network layer behind the link layers we support. Values are libpcap's DLT_* numbers
 * (https://www.tcpdump.org/linktypes.html). Pure function over bytes.
 */
public final class LinkLayer {

    public static final int DLT_NULL = 0;
    public static final int DLT_EN10MB = 1;
    public static final int DLT_RAW = 101;
    public static final int DLT_RAW_ALT = 12;
    public static final int DLT_LOOP = 108;
    public static final int DLT_LINUX_SLL = 113;
    public static final int DLT_IPV4 = 228;
    public static final int DLT_IPV6 = 229;
    public static final int DLT_LINUX_SLL2 = 276;

    static final int ETHERTYPE_IPV4 = 0x0800;
    static final int ETHERTYPE_IPV6 = 0x86DD;
    static final int ETHERTYPE_VLAN = 0x8100;
    static final int ETHERTYPE_QINQ = 0x88A8;

    /** Returned when the frame carries no IP packet (ARP, LLDP, truncated...). */
    public static final int NOT_IP = -1;

    private LinkLayer() {}

    public static boolean supported(int dlt) {
        return switch (dlt) {
            case DLT_NULL,
                    DLT_EN10MB,
                    DLT_RAW,
                    DLT_RAW_ALT,
                    DLT_LOOP,
                    DLT_LINUX_SLL,
                    DLT_LINUX_SLL2,
                    DLT_IPV4,
                    DLT_IPV6 -> true;
            default -> false;
        };
    }

    /** Offset of the IP header in {@code b[0..len)}, or {@link #NOT_IP}. */
    public static int networkOffset(int dlt, byte[] b, int len) {
        return networkOffset(dlt, b, 0, len);
    }

    /** Absolute offset of the IP header of the frame {@code b[start..end)}, or {@link #NOT_IP}. */
    public static int networkOffset(int dlt, byte[] b, int start, int end) {
        int len = end - start;
        return switch (dlt) {
            case DLT_EN10MB -> ethernet(b, start, end);
            case DLT_LINUX_SLL -> len >= 16 && isIp(u16(b, start + 14)) ? start + 16 : NOT_IP;
            case DLT_LINUX_SLL2 -> len >= 20 && isIp(u16(b, start)) ? start + 20 : NOT_IP;
            case DLT_NULL, DLT_LOOP -> len >= 4 && loopbackFamilyIsIp(b, start) ? start + 4 : NOT_IP;
            case DLT_RAW, DLT_RAW_ALT -> len >= 1 && isIpVersion(b[start]) ? start : NOT_IP;
            case DLT_IPV4, DLT_IPV6 -> len >= 1 ? start : NOT_IP;
            default -> NOT_IP;
        };
    }

    private static int ethernet(byte[] b, int start, int len) {
        int off = start + 12;
        while (off + 2 <= len) {
            int type = u16(b, off);
            if (type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ) {
                off += 4; // 802.1Q / 802.1ad tag: TPID already read, skip TCI and read the inner type
                continue;
            }
            return isIp(type) && off + 2 < len ? off + 2 : NOT_IP;
        }
        return NOT_IP;
    }

    /** BSD loopback: a 4-byte address family in the writer's byte order (2 = INET; 24/28/30 = INET6). */
    private static boolean loopbackFamilyIsIp(byte[] b, int o) {
        int le = (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 | (b[o + 2] & 0xFF) << 16 | (b[o + 3] & 0xFF) << 24;
        int be = Integer.reverseBytes(le);
        return isFamily(le) || isFamily(be);
    }

    private static boolean isFamily(int f) {
        return f == 2 || f == 24 || f == 28 || f == 30 || f == 10;
    }

    /** Raw IP: the first byte's version nibble says IPv4 or IPv6 (a cooked socket may hand on anything else). */
    private static boolean isIpVersion(byte first) {
        int version = (first & 0xF0) >>> 4;
        return version == 4 || version == 6;
    }

    private static boolean isIp(int ethertype) {
        return ethertype == ETHERTYPE_IPV4 || ethertype == ETHERTYPE_IPV6;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
