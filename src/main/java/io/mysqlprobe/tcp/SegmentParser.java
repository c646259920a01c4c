package io.mysqlprobe.tcp;

/**
 * Parses IPv4/IPv6 + TCP headers of a captured frame into a {@link Segment}. Pure function over bytes:
 * anything that is not a well-formed TCP segment to or from the server port yields null and a counter, and so
 * does a bare ACK (no payload, no SYN/FIN/RST), which carries nothing the later stages use.
 */
public final class SegmentParser {

    private static final int PROTO_TCP = 6;
    private static final int IPV6_HOP_BY_HOP = 0;
    private static final int IPV6_ROUTING = 43;
    private static final int IPV6_FRAGMENT = 44;
    private static final int IPV6_DEST_OPTS = 60;
    /** Keys remembered: a power of two, ample for the connections of one server (a miss only allocates). */
    private static final int KEYS = 1024;

    private final int serverPort;
    private final TcpCounters counters;
    private final PayloadHinter hinter;
    /**
     * The key of each connection seen lately, by a hash of its client address and port: the next segment of that
     * connection gets the same {@link FlowKey} rather than a new one (56 bytes a packet, a third of the capture
     * thread's garbage), and the flow table's lookup finds it equal at its first comparison (same instance). A
     * collision replaces the entry. Keys are immutable, so a parser shared by threads still hands out correct keys.
     */
    private final FlowKey[] keys = new FlowKey[KEYS];

    public SegmentParser(int serverPort, TcpCounters counters) {
        this(serverPort, counters, PayloadHinter.NONE);
    }

    /** @param hinter run over each server → client payload right here, while its bytes are in this core's cache */
    public SegmentParser(int serverPort, TcpCounters counters, PayloadHinter hinter) {
        this.serverPort = serverPort;
        this.counters = counters;
        this.hinter = hinter;
    }

    public Segment parse(long tsMicros, byte[] b, int ipOff, int end) {
        if (ipOff >= end) {
            counters.malformed.increment();
            return null;
        }
        int version = (b[ipOff] & 0xF0) >>> 4;
        if (version == 4) {
            return ipv4(tsMicros, b, ipOff, end);
        }
        if (version == 6) {
            return ipv6(tsMicros, b, ipOff, end);
        }
        counters.malformed.increment();
        return null;
    }

    private Segment ipv4(long ts, byte[] b, int off, int end) {
        if (off + 20 > end) {
            counters.malformed.increment();
            return null;
        }
        int ihl = (b[off] & 0x0F) * 4;
        int total = u16(b, off + 2);
        int proto = b[off + 9] & 0xFF;
        int fragField = u16(b, off + 6);
        if (ihl < 20 || total < ihl) {
            counters.malformed.increment();
            return null;
        }
        if (proto != PROTO_TCP) {
            counters.notTcp.increment();
            return null;
        }
        if ((fragField & 0x3FFF) != 0) { // MF flag or a fragment offset
            counters.ipFragments.increment();
            return null;
        }
        // total may be 0 with TCP segmentation offload on the capturing host: trust the capture then
        int ipEnd = total == 0 ? end : Math.min(end, off + total);
        return tcp(
                ts,
                b,
                off + ihl,
                ipEnd,
                FlowKey.hi(b, off + 12, 4),
                FlowKey.lo(b, off + 12, 4),
                FlowKey.hi(b, off + 16, 4),
                FlowKey.lo(b, off + 16, 4));
    }

    private Segment ipv6(long ts, byte[] b, int off, int end) {
        if (off + 40 > end) {
            counters.malformed.increment();
            return null;
        }
        int payloadLen = u16(b, off + 4);
        int next = b[off + 6] & 0xFF;
        int p = off + 40;
        int ipEnd = payloadLen == 0 ? end : Math.min(end, p + payloadLen);
        while (next == IPV6_HOP_BY_HOP || next == IPV6_ROUTING || next == IPV6_DEST_OPTS || next == IPV6_FRAGMENT) {
            if (next == IPV6_FRAGMENT) {
                counters.ipFragments.increment();
                return null;
            }
            if (p + 8 > ipEnd) {
                counters.malformed.increment();
                return null;
            }
            next = b[p] & 0xFF;
            p += 8 + (b[p + 1] & 0xFF) * 8;
        }
        if (next != PROTO_TCP) {
            counters.notTcp.increment();
            return null;
        }
        return tcp(
                ts,
                b,
                p,
                ipEnd,
                FlowKey.hi(b, off + 8, 16),
                FlowKey.lo(b, off + 8, 16),
                FlowKey.hi(b, off + 24, 16),
                FlowKey.lo(b, off + 24, 16));
    }

    private Segment tcp(long ts, byte[] b, int off, int end, long srcHi, long srcLo, long dstHi, long dstLo) {
        if (off + 20 > end) {
            counters.malformed.increment();
            return null;
        }
        int srcPort = u16(b, off);
        int dstPort = u16(b, off + 2);
        int seq =
                (b[off + 4] & 0xFF) << 24 | (b[off + 5] & 0xFF) << 16 | (b[off + 6] & 0xFF) << 8 | (b[off + 7] & 0xFF);
        int dataOff = ((b[off + 12] & 0xF0) >>> 4) * 4;
        int flags = b[off + 13] & 0x3F;
        if (dataOff < 20 || off + dataOff > end) {
            counters.malformed.increment();
            return null;
        }
        int payloadOff = off + dataOff;
        int payloadLen = end - payloadOff;
        if (payloadLen == 0 && (flags & (Segment.SYN | Segment.FIN | Segment.RST)) == 0) {
            // a bare ACK (no payload, no SYN/FIN/RST): nothing to reassemble
            if (dstPort == serverPort || srcPort == serverPort) {
                counters.bareAcks.increment();
            } else {
                counters.notTcp.increment();
            }
            return null;
        }
        if (dstPort == serverPort) {
            return new Segment(
                    ts,
                    key(srcHi, srcLo, srcPort, dstHi, dstLo, dstPort),
                    Direction.CLIENT_TO_SERVER,
                    seq,
                    flags,
                    b,
                    payloadOff,
                    payloadLen);
        }
        if (srcPort == serverPort) {
            return new Segment(
                    ts,
                    key(dstHi, dstLo, dstPort, srcHi, srcLo, srcPort),
                    Direction.SERVER_TO_CLIENT,
                    seq,
                    flags,
                    b,
                    payloadOff,
                    payloadLen,
                    payloadLen == 0 ? Segment.NO_HINT : hinter.hint(b, payloadOff, payloadLen));
        }
        counters.notTcp.increment();
        return null;
    }

    /** The remembered key equal to these fields, else a new one (remembered from now on). */
    private FlowKey key(long clientHi, long clientLo, int clientPort, long serverHi, long serverLo, int serverPort) {
        int h = (clientPort * 0x9E3779B1) ^ (int) clientLo ^ (int) (clientLo >>> 32) * 0x85EBCA6B ^ serverPort;
        int i = (h ^ h >>> 16) & (KEYS - 1);
        FlowKey k = keys[i];
        if (k != null
                && k.clientPort() == clientPort
                && k.serverPort() == serverPort
                && k.clientLo() == clientLo
                && k.serverLo() == serverLo
                && k.clientHi() == clientHi
                && k.serverHi() == serverHi) {
            return k;
        }
        k = new FlowKey(clientHi, clientLo, clientPort, serverHi, serverLo, serverPort);
        keys[i] = k;
        return k;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }
}
