package io.mysqlprobe.capture;

import static io.mysqlprobe.testsupport.Frames.ethernet;
import static io.mysqlprobe.testsupport.Frames.ipv4;
import static io.mysqlprobe.testsupport.Frames.ipv6;
import static io.mysqlprobe.testsupport.Frames.tcp;
import static io.mysqlprobe.testsupport.Frames.v4;
import static io.mysqlprobe.testsupport.Frames.v6Loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.tcp.Segment;
import io.mysqlprobe.tcp.SegmentParser;
import io.mysqlprobe.tcp.TcpCounters;
import io.mysqlprobe.testsupport.Frames;
import java.io.EOFException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * The live capture's BPF filter, compiled and run by libpcap over hand-built frames: it drops exactly the IPv4 bare
 * ACKs that the segment parser would count and skip, and keeps everything else the decoder may need.
 */
class BareAckFilterTest {

    private static final byte[] QUERY = "\u0005\0\0\0\u0003x".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] CLIENT = v4(10, 0, 0, 2);
    private static final byte[] SERVER = v4(10, 0, 0, 1);

    @Test
    void onlyIpv4BareAcksAreDroppedInTheKernel(@TempDir Path dir) throws Exception {
        Map<String, byte[]> kept = new LinkedHashMap<>();
        kept.put("SYN", ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3306, 1, 0x02, new byte[0])), false));
        kept.put("SYN-ACK", ethernet(ipv4(SERVER, CLIENT, tcp(3306, 50000, 1, 0x12, new byte[0])), false));
        kept.put("FIN-ACK", ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3306, 9, 0x11, new byte[0])), false));
        kept.put("RST", ethernet(ipv4(SERVER, CLIENT, tcp(3306, 50000, 9, 0x04, new byte[0])), false));
        kept.put("payload", ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3306, 2, 0x18, QUERY)), false));
        kept.put("one payload byte", ethernet(ipv4(SERVER, CLIENT, tcp(3306, 50000, 2, 0x18, new byte[1])), false));
        byte[] tso = ipv4(CLIENT, SERVER, tcp(50000, 3306, 3, 0x18, QUERY));
        tso[2] = 0; // TCP segmentation offload: total length 0, the capture has the bytes
        tso[3] = 0;
        kept.put("TSO payload", ethernet(tso, false));
        kept.put(
                "IPv6 bare ACK",
                ethernet(ipv6(v6Loopback(), v6Loopback(), tcp(50000, 3306, 4, 0x10, new byte[0])), false));
        byte[] shortTotal = ipv4(CLIENT, SERVER, tcp(50000, 3306, 5, 0x10, new byte[0]));
        shortTotal[3] = 30; // total length shorter than the headers: malformed, left to the parser to count
        kept.put("malformed total length", ethernet(shortTotal, false));

        Map<String, byte[]> dropped = new LinkedHashMap<>();
        dropped.put(
                "bare ACK to the server",
                ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3306, 2, 0x10, new byte[0])), false));
        dropped.put(
                "bare ACK to the client",
                ethernet(ipv4(SERVER, CLIENT, tcp(3306, 50000, 2, 0x10, new byte[0])), false));
        dropped.put(
                "bare ACK with TCP options",
                ethernet(ipv4(CLIENT, SERVER, withOptions(tcp(50000, 3306, 2, 0x10, new byte[0]))), false));
        dropped.put(
                "bare ACK padded to Ethernet's minimum",
                padded(ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3306, 2, 0x10, new byte[0])), false)));
        dropped.put("another port", ethernet(ipv4(CLIENT, SERVER, tcp(50000, 3307, 2, 0x18, QUERY)), false));

        List<Frames.Record> records = new ArrayList<>();
        List<byte[]> all = new ArrayList<>(kept.values());
        all.addAll(dropped.values());
        for (byte[] f : all) {
            records.add(new Frames.Record(1_000_000L + records.size(), f));
        }
        Path file = dir.resolve("frames.pcap");
        Files.write(file, Frames.pcap(LinkLayer.DLT_EN10MB, ByteOrder.LITTLE_ENDIAN, records));

        List<byte[]> passed = new ArrayList<>();
        try (PcapHandle h = Pcaps.openOffline(file.toString())) {
            h.setFilter(LiveCapture.filter(3306), BpfProgram.BpfCompileMode.OPTIMIZE);
            while (true) {
                try {
                    passed.add(h.getNextRawPacketEx());
                } catch (EOFException end) {
                    break;
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (byte[] p : passed) {
            kept.forEach((name, f) -> {
                if (Arrays.equals(f, p)) {
                    names.add(name);
                }
            });
        }
        assertEquals(new ArrayList<>(kept.keySet()), names);
        assertEquals(kept.size(), passed.size(), "nothing else passed");

        // what the kernel drops on the server port is what the parser would have counted as bare ACKs
        TcpCounters counters = new TcpCounters();
        SegmentParser parser = new SegmentParser(3306, counters);
        for (String name : List.of(
                "bare ACK to the server",
                "bare ACK to the client",
                "bare ACK with TCP options",
                "bare ACK padded to Ethernet's minimum")) {
            byte[] f = dropped.get(name);
            Segment s = parser.parse(1, f, 14, f.length);
            assertEquals(null, s, name);
        }
        assertEquals(4, counters.bareAcks.sum());
    }

    /** 12 bytes of TCP options (NOP, NOP, timestamps), as Linux sends on every segment. */
    private static byte[] withOptions(byte[] tcp) {
        byte[] t = Arrays.copyOf(tcp, tcp.length + 12);
        System.arraycopy(tcp, 20, t, 32, tcp.length - 20);
        t[12] = (byte) (8 << 4);
        t[20] = 1;
        t[21] = 1;
        t[22] = 8;
        t[23] = 10;
        return t;
    }

    private static byte[] padded(byte[] frame) {
        return Arrays.copyOf(frame, Math.max(60, frame.length));
    }
}
