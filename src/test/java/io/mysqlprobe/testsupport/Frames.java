package io.mysqlprobe.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** Builds link/IP/TCP frames and classic pcap files for tests, byte by byte, with the fields named. */
public final class Frames {

    private Frames() {}

    public static byte[] tcp(int srcPort, int dstPort, int seq, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) srcPort)
                .putShort((short) dstPort)
                .putInt(seq)
                .putInt(0) // ack
                .put((byte) (5 << 4)) // data offset 5 words
                .put((byte) flags)
                .putShort((short) 65535) // window
                .putShort((short) 0)
                .putShort((short) 0) // checksum, urgent pointer
                .put(payload);
        return b.array();
    }

    public static byte[] ipv4(byte[] src, byte[] dst, byte[] tcp) {
        ByteBuffer b = ByteBuffer.allocate(20 + tcp.length);
        b.put((byte) 0x45)
                .put((byte) 0)
                .putShort((short) (20 + tcp.length)) // version/IHL, DSCP, total length
                .putShort((short) 1)
                .putShort((short) 0x4000) // id, flags DF, fragment offset 0
                .put((byte) 64)
                .put((byte) 6)
                .putShort((short) 0) // TTL, protocol TCP, checksum
                .put(src)
                .put(dst)
                .put(tcp);
        return b.array();
    }

    public static byte[] ipv6(byte[] src, byte[] dst, byte[] tcp) {
        ByteBuffer b = ByteBuffer.allocate(40 + tcp.length);
        b.putInt(0x60000000)
                .putShort((short) tcp.length)
                .put((byte) 6)
                .put((byte) 64) // next header TCP, hop limit
                .put(src)
                .put(dst)
                .put(tcp);
        return b.array();
    }

    /** Ethernet II, optionally with one 802.1Q VLAN tag. */
    public static byte[] ethernet(byte[] ip, boolean vlan) {
        boolean v6 = (ip[0] & 0xF0) == 0x60;
        ByteBuffer b = ByteBuffer.allocate(14 + (vlan ? 4 : 0) + ip.length);
        b.put(new byte[12]); // destination and source MAC
        if (vlan) {
            b.putShort((short) 0x8100).putShort((short) 42);
        }
        b.putShort((short) (v6 ? 0x86DD : 0x0800)).put(ip);
        return b.array();
    }

    /** Linux cooked capture v1 (DLT_LINUX_SLL, the "any" device). */
    public static byte[] linuxSll(byte[] ip) {
        boolean v6 = (ip[0] & 0xF0) == 0x60;
        ByteBuffer b = ByteBuffer.allocate(16 + ip.length);
        b.putShort((short) 0)
                .putShort((short) 772)
                .putShort((short) 6)
                .put(new byte[8]) // type, ARPHRD, addr
                .putShort((short) (v6 ? 0x86DD : 0x0800))
                .put(ip);
        return b.array();
    }

    /** BSD loopback (DLT_NULL): 4-byte family in host (little-endian here) order. */
    public static byte[] nullLoopback(byte[] ip) {
        ByteBuffer b = ByteBuffer.allocate(4 + ip.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((ip[0] & 0xF0) == 0x60 ? 30 : 2).put(ip);
        return b.array();
    }

    public record Record(long tsMicros, byte[] frame) {}

    /** A classic pcap file, microsecond timestamps, in the given byte order. */
    public static byte[] pcap(int linkType, ByteOrder order, List<Record> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer h = ByteBuffer.allocate(24).order(order);
        h.putInt(0xA1B2C3D4)
                .putShort((short) 2)
                .putShort((short) 4)
                .putInt(0)
                .putInt(0)
                .putInt(262144)
                .putInt(linkType);
        out.write(h.array());
        for (Record r : records) {
            writeRecord(out, order, r);
        }
        return out.toByteArray();
    }

    static void writeRecord(OutputStream out, ByteOrder order, Record r) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(16).order(order);
        h.putInt((int) (r.tsMicros() / 1_000_000))
                .putInt((int) (r.tsMicros() % 1_000_000))
                .putInt(r.frame().length)
                .putInt(r.frame().length);
        out.write(h.array());
        out.write(r.frame());
    }

    public static byte[] v4(int a, int b, int c, int d) {
        return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
    }

    public static byte[] v6Loopback() {
        byte[] x = new byte[16];
        x[15] = 1;
        return x;
    }
}
