package io.mysqlprobe.capture;

import static io.mysqlprobe.testsupport.Frames.ethernet;
import static io.mysqlprobe.testsupport.Frames.ipv4;
import static io.mysqlprobe.testsupport.Frames.ipv6;
import static io.mysqlprobe.testsupport.Frames.linuxSll;
import static io.mysqlprobe.testsupport.Frames.nullLoopback;
import static io.mysqlprobe.testsupport.Frames.tcp;
import static io.mysqlprobe.testsupport.Frames.v4;
import static io.mysqlprobe.testsupport.Frames.v6Loopback;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.Segment;
import io.mysqlprobe.tcp.SegmentParser;
import io.mysqlprobe.tcp.TcpCounters;
import io.mysqlprobe.testsupport.Frames;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Link layers, IP versions and the pcap reader, on hand-built frames. */
class CaptureParsingTest {

    private final TcpCounters tcpCounters = new TcpCounters();
    private final SegmentParser parser = new SegmentParser(3306, tcpCounters);
    private static final byte[] QUERY = "\u0005\0\0\0\u0003x".getBytes(StandardCharsets.ISO_8859_1);

    private Segment parse(int dlt, byte[] frame) {
        int net = LinkLayer.networkOffset(dlt, frame, frame.length);
        return net < 0 ? null : parser.parse(1, frame, net, frame.length);
    }

    @Test
    void everySupportedLinkTypeAndIpVersionYieldsTheSameSegment() {
        byte[] t = tcp(50000, 3306, 7, 0x18, QUERY);
        byte[] ip4 = ipv4(v4(10, 0, 0, 2), v4(10, 0, 0, 1), t);
        byte[] ip6 = ipv6(v6Loopback(), v6Loopback(), t);
        List<Segment> segs = List.of(
                parse(LinkLayer.DLT_EN10MB, ethernet(ip4, false)),
                parse(LinkLayer.DLT_EN10MB, ethernet(ip4, true)),
                parse(LinkLayer.DLT_LINUX_SLL, linuxSll(ip4)),
                parse(LinkLayer.DLT_NULL, nullLoopback(ip4)),
                parse(LinkLayer.DLT_RAW, ip4),
                parse(LinkLayer.DLT_EN10MB, ethernet(ip6, false)),
                parse(LinkLayer.DLT_LINUX_SLL, linuxSll(ip6)),
                parse(LinkLayer.DLT_NULL, nullLoopback(ip6)));
        for (Segment s : segs) {
            assertEquals(Direction.CLIENT_TO_SERVER, s.dir());
            assertEquals(7, s.seq());
            assertEquals(50000, s.key().clientPort());
            assertEquals(3306, s.key().serverPort());
            assertEquals("x", new String(s.data(), s.payloadOff() + 5, 1, StandardCharsets.ISO_8859_1));
            assertEquals(QUERY.length, s.payloadLen());
        }
        assertEquals("10.0.0.2:50000", segs.get(0).key().client());
        assertEquals("[::1]:3306", segs.get(5).key().server());
    }

    @Test
    void serverToClientIsOrientedByThePort() {
        Segment s = parse(LinkLayer.DLT_RAW, ipv4(v4(10, 0, 0, 1), v4(10, 0, 0, 2), tcp(3306, 50000, 9, 0x18, QUERY)));
        assertEquals(Direction.SERVER_TO_CLIENT, s.dir());
        assertEquals("10.0.0.2:50000", s.key().client());
    }

    @Test
    void bareAcksAreCountedAndSkippedButSynFinAndRstWithoutPayloadAreKept() {
        byte[] client = v4(10, 0, 0, 2);
        byte[] server = v4(10, 0, 0, 1);
        assertNull(parse(LinkLayer.DLT_RAW, ipv4(client, server, tcp(50000, 3306, 7, 0x10, new byte[0]))));
        assertNull(parse(LinkLayer.DLT_RAW, ipv4(server, client, tcp(3306, 50000, 9, 0x10, new byte[0]))));
        assertEquals(2, tcpCounters.bareAcks.sum());
        assertEquals(0, tcpCounters.notTcp.sum());
        for (int flags : new int[] {Segment.SYN, Segment.SYN | 0x10, Segment.FIN | 0x10, Segment.RST}) {
            Segment s = parse(LinkLayer.DLT_RAW, ipv4(client, server, tcp(50000, 3306, 7, flags, new byte[0])));
            assertEquals(0, s.payloadLen());
            assertEquals(flags & 0x3F, s.flags());
        }
        // an ACK that carries data is a segment like any other
        assertEquals(
                QUERY.length,
                parse(LinkLayer.DLT_RAW, ipv4(client, server, tcp(50000, 3306, 7, 0x10, QUERY)))
                        .payloadLen());
        assertEquals(2, tcpCounters.bareAcks.sum());
    }

    @Test
    void rawIpIsIpByItsVersionNibbleAndAnythingElseIsNotIp() {
        byte[] ip4 = ipv4(v4(10, 0, 0, 2), v4(10, 0, 0, 1), tcp(50000, 3306, 7, 0x18, QUERY));
        byte[] ip6 = ipv6(v6Loopback(), v6Loopback(), tcp(50000, 3306, 7, 0x18, QUERY));
        byte[] arp = {0, 1, 8, 0, 6, 4, 0, 1}; // an ARP request's start: hardware type 1, IPv4, lengths, op 1
        for (int dlt : new int[] {LinkLayer.DLT_RAW, LinkLayer.DLT_RAW_ALT}) {
            assertEquals(0, LinkLayer.networkOffset(dlt, ip4, ip4.length));
            assertEquals(0, LinkLayer.networkOffset(dlt, ip6, ip6.length));
            assertEquals(LinkLayer.NOT_IP, LinkLayer.networkOffset(dlt, arp, arp.length), "counted as non-IP");
            assertEquals(LinkLayer.NOT_IP, LinkLayer.networkOffset(dlt, ip4, 0));
        }
    }

    @Test
    void nonTcpFragmentsAndTruncatedHeadersAreCountedNotThrown() {
        byte[] ip = ipv4(v4(1, 1, 1, 1), v4(2, 2, 2, 2), tcp(1, 2, 0, 0x10, new byte[0]));
        assertNull(parse(LinkLayer.DLT_RAW, ip)); // neither port is 3306
        byte[] udp = ip.clone();
        udp[9] = 17;
        assertNull(parse(LinkLayer.DLT_RAW, udp));
        byte[] frag = ipv4(v4(1, 1, 1, 1), v4(2, 2, 2, 2), tcp(1, 3306, 0, 0x10, new byte[8]));
        frag[6] = 0x20; // more fragments
        assertNull(parse(LinkLayer.DLT_RAW, frag));
        byte[] full = ipv4(v4(1, 1, 1, 1), v4(2, 2, 2, 2), tcp(1, 3306, 0, 0x18, QUERY));
        for (int cut = 0; cut < 40; cut++) {
            byte[] shortFrame = Arrays.copyOf(full, cut);
            assertNull(parser.parse(1, shortFrame, 0, shortFrame.length), "cut at " + cut);
        }
        assertEquals(2, tcpCounters.notTcp.sum());
        assertEquals(1, tcpCounters.ipFragments.sum());
        assertEquals(40, tcpCounters.malformed.sum());
        byte[] arp = ethernet(ip, false);
        arp[13] = 0x06; // ethertype 0x0806
        assertEquals(LinkLayer.NOT_IP, LinkLayer.networkOffset(LinkLayer.DLT_EN10MB, arp, arp.length));
    }

    @Test
    void pcapFilesInBothByteOrdersReadTheSameAndTruncationIsCounted(@TempDir Path dir) throws Exception {
        byte[] frame = ethernet(ipv4(v4(127, 0, 0, 1), v4(127, 0, 0, 1), tcp(50000, 3306, 1, 0x18, QUERY)), false);
        List<Frames.Record> recs = List.of(
                new Frames.Record(1_700_000_000_123_456L, frame), new Frames.Record(1_700_000_001_000_001L, frame));
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            Path f = dir.resolve("x-" + order + ".pcap");
            byte[] bytes = Frames.pcap(LinkLayer.DLT_EN10MB, order, recs);
            Files.write(f, Arrays.copyOf(bytes, bytes.length - 3)); // last record cut short
            List<Long> ts = new ArrayList<>();
            CaptureCounters counters = new CaptureCounters();
            OfflineCapture.read(f, fr -> ts.add(fr.tsMicros()), counters);
            assertEquals(List.of(1_700_000_000_123_456L), ts);
            assertEquals(1, counters.truncatedRecords.sum());
            assertEquals(1, counters.packets.sum());
        }
    }

    @Test
    void aFileThatIsNotACaptureIsAClearError(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("notes.txt");
        Files.writeString(f, "select 1 -- not a capture");
        PcapFileReader.NotACaptureException e = assertThrows(
                PcapFileReader.NotACaptureException.class,
                () -> OfflineCapture.read(f, fr -> {}, new CaptureCounters()));
        assertEquals(f + ": not a pcap or pcapng file", e.getMessage());
    }
}
