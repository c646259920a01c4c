package io.mysqlprobe.capture;

import static io.mysqlprobe.testsupport.Frames.ipv4;
import static io.mysqlprobe.testsupport.Frames.ipv6;
import static io.mysqlprobe.testsupport.Frames.tcp;
import static io.mysqlprobe.testsupport.Frames.v4;
import static io.mysqlprobe.testsupport.Frames.v6Loopback;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kernel filter of the ring reader on {@code any}: the probe's filter compiled by the installed libpcap for raw
 * IP, and the prefix that drops what {@code lo} sent, run by {@link ClassicBpf} over hand-built packets with every
 * device/direction the kernel can report.
 */
class RingFilterTest {

    private static final int SNAPLEN = 262_144;
    private static final int LO = 1;
    private static final int ETH0 = 2;
    private static final int PACKET_HOST = 0;
    private static final byte[] QUERY = "\u0005\0\0\0\u0003x".getBytes(StandardCharsets.ISO_8859_1);

    private static long[] rawIpFilter() throws Exception {
        return RingFilter.compile(LiveCapture.filter(3306), LinkLayer.DLT_RAW_ALT, SNAPLEN);
    }

    @Test
    void instructionsKeepTheirFieldsInTheKernelsLayout() {
        long i = RingFilter.insn(RingFilter.BPF_JEQ_K, 3, 250, RingFilter.SKF_AD_OFF + RingFilter.SKF_AD_IFINDEX);
        assertEquals(0x15, RingFilter.code(i));
        assertEquals(3, RingFilter.jt(i));
        assertEquals(250, RingFilter.jf(i));
        assertEquals(-0x1000 + 8, RingFilter.k(i));
        // struct sock_filter { __u16 code; __u8 jt; __u8 jf; __u32 k; } read as one little-endian 64-bit word
        assertEquals(0xFFFF_F008_FA03_0015L, i);
    }

    @Test
    void libpcapsRawIpProgramTestsTheVersionNibbleForIpv4AndIpv6() throws Exception {
        long[] p = rawIpFilter();
        String listing = Arrays.toString(p);
        assertTrue(versionTest(p, 0x40), "IPv4 is told by the version nibble: " + listing);
        assertTrue(versionTest(p, 0x60), "IPv6 is told by the version nibble: " + listing);
    }

    /** ldb [0]; and #0xf0; jeq #version somewhere in {@code p}. */
    private static boolean versionTest(long[] p, int version) {
        for (int i = 0; i + 2 < p.length; i++) {
            if (RingFilter.code(p[i]) == 0x30 // BPF_LD | BPF_B | BPF_ABS
                    && RingFilter.k(p[i]) == 0
                    && RingFilter.code(p[i + 1]) == 0x54 // BPF_ALU | BPF_AND | BPF_K
                    && RingFilter.k(p[i + 1]) == 0xf0
                    && RingFilter.code(p[i + 2]) == RingFilter.BPF_JEQ_K
                    && RingFilter.k(p[i + 2]) == version) {
                return true;
            }
        }
        return false;
    }

    @Test
    void thePrefixRejectsWhatLoSentAndLeavesEveryOtherVerdictToTheFilter() throws Exception {
        long[] filter = rawIpFilter();
        long[] any = RingFilter.dropSentOnLoopback(filter, LO);
        byte[] query4 = ipv4(v4(10, 0, 0, 2), v4(10, 0, 0, 1), tcp(50000, 3306, 7, 0x18, QUERY));
        byte[] reply4 = ipv4(v4(10, 0, 0, 1), v4(10, 0, 0, 2), tcp(3306, 50000, 9, 0x18, QUERY));
        byte[] query6 = ipv6(v6Loopback(), v6Loopback(), tcp(50000, 3306, 7, 0x18, QUERY));
        byte[] bareAck = ipv4(v4(10, 0, 0, 2), v4(10, 0, 0, 1), tcp(50000, 3306, 8, 0x10, new byte[0]));
        byte[] otherPort = ipv4(v4(10, 0, 0, 2), v4(10, 0, 0, 1), tcp(50000, 3307, 7, 0x18, QUERY));
        byte[] arp = {0, 1, 8, 0, 6, 4, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2};

        for (byte[] kept : List.of(query4, reply4, query6)) {
            assertEquals(SNAPLEN, ClassicBpf.run(any, kept, LO, PACKET_HOST), "received on lo");
            assertEquals(0, ClassicBpf.run(any, kept, LO, RingFilter.PACKET_OUTGOING), "sent on lo: its second copy");
            assertEquals(SNAPLEN, ClassicBpf.run(any, kept, ETH0, PACKET_HOST), "received on eth0");
            assertEquals(SNAPLEN, ClassicBpf.run(any, kept, ETH0, RingFilter.PACKET_OUTGOING), "sent on eth0");
        }
        for (byte[] packet : List.of(query4, reply4, query6, bareAck, otherPort, arp)) {
            for (int ifindex : new int[] {LO, ETH0, 7}) {
                for (int type : new int[] {PACKET_HOST, 1, 2, 3, RingFilter.PACKET_OUTGOING}) {
                    if (ifindex != LO || type != RingFilter.PACKET_OUTGOING) {
                        assertEquals(
                                ClassicBpf.run(filter, packet, ifindex, type),
                                ClassicBpf.run(any, packet, ifindex, type),
                                "the filter's own verdict on device " + ifindex + ", type " + type);
                    }
                }
            }
        }
        assertEquals(0, ClassicBpf.run(any, bareAck, ETH0, PACKET_HOST), "IPv4 bare ACKs stay out");
        assertEquals(0, ClassicBpf.run(any, otherPort, ETH0, PACKET_HOST));
        assertEquals(0, ClassicBpf.run(any, arp, ETH0, PACKET_HOST), "not IP");
    }

    @Test
    void theProgramFollowsThePrefixUnchangedAndTooLongAProgramIsRefused() {
        long[] program = {
            RingFilter.insn(0x30, 0, 0, 0), // ldb [0]
            RingFilter.insn(RingFilter.BPF_JEQ_K, 0, 1, 0x45),
            RingFilter.insn(RingFilter.BPF_RET_K, 0, 0, 100),
            RingFilter.insn(RingFilter.BPF_RET_K, 0, 0, 0),
        };
        long[] any = RingFilter.dropSentOnLoopback(program, 9);
        assertEquals(program.length + 6, any.length);
        assertArrayEquals(program, Arrays.copyOfRange(any, 6, any.length));
        assertEquals(100, ClassicBpf.run(any, new byte[] {0x45}, 9, PACKET_HOST));
        assertEquals(0, ClassicBpf.run(any, new byte[] {0x45}, 9, RingFilter.PACKET_OUTGOING));
        assertEquals(100, ClassicBpf.run(any, new byte[] {0x45}, 3, RingFilter.PACKET_OUTGOING));
        assertEquals(0, ClassicBpf.run(any, new byte[] {0x46}, 3, PACKET_HOST));

        assertEquals(RingFilter.MAX_INSNS, RingFilter.dropSentOnLoopback(new long[RingFilter.MAX_INSNS - 6], 1).length);
        assertThrows(
                IllegalArgumentException.class,
                () -> RingFilter.dropSentOnLoopback(new long[RingFilter.MAX_INSNS - 5], 1));
    }
}
