package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.Harness.Event;
import io.mysqlprobe.tcp.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-only reader of small pcap fixtures (Ethernet or Linux cooked, IPv4, TCP): turns each TCP
 * connection into {@link Event}s (payload per segment, duplicates by sequence number dropped).
 * Loopback captures have no loss, so no real reassembly is needed here; the tcp stage does that.
 */
final class PcapFixture {

    /** One TCP connection of the capture. */
    record Connection(int clientPort, int serverPort, boolean sawSyn, List<Event> events) {}

    private PcapFixture() {}

    static List<Connection> read(String resource) throws IOException {
        return read(resource, 0);
    }

    /**
     * @param serverPort the MySQL port, needed for connections whose SYN is not in the capture
     *                   (0: take the SYN's destination port)
     */
    static List<Connection> read(String resource, int serverPort) throws IOException {
        byte[] file;
        try (InputStream in = PcapFixture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing fixture " + resource);
            }
            file = in.readAllBytes();
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt(0);
        if (magic != 0xa1b2c3d4) {
            throw new IOException("not a little-endian microsecond pcap");
        }
        int linkType = b.getInt(20);
        int pos = 24;
        Map<Long, Builder> conns = new LinkedHashMap<>();
        while (pos + 16 <= file.length) {
            long ts = (b.getInt(pos) & 0xFFFFFFFFL) * 1_000_000L + (b.getInt(pos + 4) & 0xFFFFFFFFL);
            int caplen = b.getInt(pos + 8);
            int frame = pos + 16;
            pos = frame + caplen;
            int ip = frame + (linkType == 1 ? 14 : linkType == 113 ? 16 : 0);
            if ((file[ip] >> 4) != 4) {
                continue;
            }
            int ihl = (file[ip] & 0x0F) * 4;
            int totalLen = u16(file, ip + 2);
            if ((file[ip + 9] & 0xFF) != 6) {
                continue;
            }
            int tcp = ip + ihl;
            int srcPort = u16(file, tcp);
            int dstPort = u16(file, tcp + 2);
            long seq = u32(file, tcp + 4);
            int dataOff = ((file[tcp + 12] & 0xFF) >> 4) * 4;
            int flags = file[tcp + 13] & 0xFF;
            int payload = tcp + dataOff;
            int payloadLen = ip + totalLen - payload;
            boolean syn = (flags & 0x02) != 0;
            boolean ack = (flags & 0x10) != 0;
            long keyA = ((long) Math.min(srcPort, dstPort) << 16) | Math.max(srcPort, dstPort);
            Builder c = conns.get(keyA);
            if (c == null) {
                if (syn && !ack) {
                    c = new Builder(srcPort, dstPort, true);
                } else if (serverPort != 0) {
                    c = new Builder(srcPort == serverPort ? dstPort : srcPort, serverPort, false);
                } else {
                    throw new IOException("connection without SYN: the server port must be given");
                }
                conns.put(keyA, c);
            }
            Direction dir = srcPort == c.clientPort ? Direction.CLIENT_TO_SERVER : Direction.SERVER_TO_CLIENT;
            int d = dir == Direction.CLIENT_TO_SERVER ? 0 : 1;
            if (syn) {
                c.next[d] = seq + 1;
                continue;
            }
            if (payloadLen <= 0) {
                continue;
            }
            if (c.next[d] != -1 && seq != c.next[d]) {
                continue; // retransmission (none expected on loopback)
            }
            c.next[d] = seq + payloadLen;
            c.events.add(new Event(dir, ts, Arrays.copyOfRange(file, payload, payload + payloadLen), 0));
        }
        List<Connection> out = new ArrayList<>();
        for (Builder c : conns.values()) {
            out.add(new Connection(c.clientPort, c.serverPort, c.sawSyn, c.events));
        }
        return out;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    private static long u32(byte[] b, int off) {
        return (long) u16(b, off) << 16 | u16(b, off + 2);
    }

    private static final class Builder {
        final int clientPort;
        final int serverPort;
        final boolean sawSyn;
        final long[] next = {-1, -1};
        final List<Event> events = new ArrayList<>();

        Builder(int clientPort, int serverPort, boolean sawSyn) {
            this.clientPort = clientPort;
            this.serverPort = serverPort;
            this.sawSyn = sawSyn;
        }
    }
}
