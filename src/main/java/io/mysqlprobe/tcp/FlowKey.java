package io.mysqlprobe.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One TCP connection seen from the MySQL server's side. Addresses are held as two longs each
 * (IPv4 as an IPv4-mapped IPv6 address) so the key is allocation-light and has value equality.
 */
public record FlowKey(long clientHi, long clientLo, int clientPort, long serverHi, long serverLo, int serverPort) {

    private static final long V4_MAPPED_HI = 0L;
    private static final long V4_MAPPED_LO_PREFIX = 0x0000_FFFF_0000_0000L;

    /** Builds the 128-bit halves of an address from 4 or 16 bytes at {@code off}. */
    public static long hi(byte[] b, int off, int len) {
        return len == 4 ? V4_MAPPED_HI : readLong(b, off);
    }

    public static long lo(byte[] b, int off, int len) {
        if (len == 4) {
            return V4_MAPPED_LO_PREFIX | ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16)
                    | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
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

    /** Host part only, as a DBA writes it: {@code 127.0.0.1} or {@code ::1}. */
    public static String host(long hi, long lo) {
        boolean v4 = hi == 0 && (lo >>> 32) == 0xFFFFL;
        byte[] raw = new byte[v4 ? 4 : 16];
        if (v4) {
            for (int i = 0; i < 4; i++) {
                raw[i] = (byte) (lo >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                raw[i] = (byte) (hi >>> (56 - 8 * i));
                raw[8 + i] = (byte) (lo >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(raw).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // impossible: length is 4 or 16
        }
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
