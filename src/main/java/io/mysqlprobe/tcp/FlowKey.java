package io.mysqlprobe.tcp;

/**
 * One TCP connection seen from the MySQL server's side. Addresses are held as two longs each
 * (IPv4 as an IPv4-mapped IPv6 address) so the key is allocation-light and has value equality.
 */
public record FlowKey(long clientHi, long clientLo, int clientPort, long serverHi, long serverLo, int serverPort) {

    private static final long V4_MAPPED_HI = 0L;
    private static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    /**
     * Written out rather than the record's generated one (an invokedynamic combiner that showed up in profiles):
     * the key is hashed up to three times per packet. Ports first: they differ between connections of a host.
     */
    @Override
    public int hashCode() {
        long h = clientPort * 0x9E3779B97F4A7C15L + serverPort;
        h = h * 31 + clientLo;
        h = h * 31 + serverLo;
        h = h * 31 + (clientHi ^ serverHi);
        return (int) (h ^ (h >>> 32));
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || o instanceof FlowKey k
                        && clientPort == k.clientPort
                        && serverPort == k.serverPort
                        && clientLo == k.clientLo
                        && serverLo == k.serverLo
                        && clientHi == k.clientHi
                        && serverHi == k.serverHi;
    }

    /** Builds the 128-bit halves of an address from 4 or 16 bytes at {@code off}. */
    public static long hi(byte[] b, int off, int len) {
        return len == 4 ? V4_MAPPED_HI : readLong(b, off);
    }

    public static long lo(byte[] b, int off, int len) {
        if (len == 4) {
            return V4_MAPPED_LO_PREFIX
                    | ((b[off] & 0xFFL) << 24)
                    | ((b[off + 1] & 0xFFL) << 16)
                    | ((b[off + 2] & 0xFFL) << 8)
                    | (b[off + 3] & 0xFFL);
        }
        return readLong(b, off + 8);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    public String client() {
        return format(clientHi, clientLo, clientPort);
    }

    public String server() {
        return format(serverHi, serverLo, serverPort);
    }

    /** Host part only, as a DBA writes it: {@code 127.0.0.1} or {@code ::1} (RFC 5952 short form). */
    public static String host(long hi, long lo) {
        if (hi == 0 && (lo >>> 32) == 0xFFFFL) {
            return ((lo >>> 24) & 0xFF) + "." + ((lo >>> 16) & 0xFF) + "." + ((lo >>> 8) & 0xFF) + "." + (lo & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 4; i++) {
            groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xFFFF;
            groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        return sb.toString();
    }

    private static String format(long hi, long lo, int port) {
        String host = host(hi, lo);
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    @Override
    public String toString() {
        return client() + "->" + server();
    }
}
