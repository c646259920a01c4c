package io.mysqlprobe.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.mysqlprobe.capture.RingNative.LibC;
import io.mysqlprobe.capture.RingNative.Pcap;
import java.io.IOException;
import java.lang.ref.Reference;

/**
 * The kernel filter of a {@link RingReader}: the probe's filter string compiled by libpcap for the frames the socket
 * hands to it ({@code pcap_open_dead} + {@code pcap_compile}, no live handle), on {@code any} behind a prefix that
 * drops what {@code lo} sent, attached with {@code SO_ATTACH_FILTER}. Instructions are classic BPF ({@code struct
 * sock_filter} of the kernel's {@code include/uapi/linux/filter.h}, the same layout as libpcap's {@code struct
 * bpf_insn}), each held in a {@code long} as it lies in memory on a little-endian host: {@code code} in bits 0–15,
 * {@code jt} 16–23, {@code jf} 24–31, {@code k} 32–63.
 */
final class RingFilter {

    // <linux/bpf_common.h>, <linux/filter.h>
    static final int BPF_LD_W_ABS = 0x20; // BPF_LD | BPF_W | BPF_ABS
    static final int BPF_LD_IMM = 0x00; // BPF_LD | BPF_W | BPF_IMM
    static final int BPF_JEQ_K = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    static final int BPF_RET_K = 0x06; // BPF_RET | BPF_K
    static final int SKF_AD_OFF = -0x1000;
    static final int SKF_AD_PKTTYPE = 4;
    static final int SKF_AD_IFINDEX = 8;
    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    static final int MAX_INSNS = 4096;
    /** {@code PACKET_OUTGOING} of {@code <linux/if_packet.h>}: the host sent the packet. */
    static final int PACKET_OUTGOING = 4;

    private RingFilter() {}

    /** One instruction, as {@code BPF_STMT}/{@code BPF_JUMP} write it. */
    static long insn(int code, int jt, int jf, int k) {
        return (code & 0xFFFFL) | (jt & 0xFFL) << 16 | (jf & 0xFFL) << 24 | (k & 0xFFFFFFFFL) << 32;
    }

    static int code(long insn) {
        return (int) (insn & 0xFFFF);
    }

    static int jt(long insn) {
        return (int) (insn >>> 16 & 0xFF);
    }

    static int jf(long insn) {
        return (int) (insn >>> 24 & 0xFF);
    }

    static int k(long insn) {
        return (int) (insn >>> 32);
    }

    /**
     * {@code program} behind six instructions that reject a packet the host sent on the device with index {@code
     * loIfindex}: on {@code any} each packet on {@code lo} passes the socket twice, as sent ({@code PACKET_OUTGOING})
     * and as received, and libpcap drops the sent copy on {@code lo} only (the other devices' sent packets are the
     * server's replies). The kernel's ancillary loads give the packet's device and type; every other packet enters
     * {@code program} with A = X = 0 as at a program's start (classic BPF jumps are relative, so the program is
     * unchanged behind the prefix).
     *
     * @throws IllegalArgumentException when the result would be longer than the kernel takes
     */
    static long[] dropSentOnLoopback(long[] program, int loIfindex) {
        long[] prefix = {
            insn(BPF_LD_W_ABS, 0, 0, SKF_AD_OFF + SKF_AD_IFINDEX), // 0: A = the packet's device
            insn(BPF_JEQ_K, 0, 3, loIfindex), //                       1: lo → 2, else → 5
            insn(BPF_LD_W_ABS, 0, 0, SKF_AD_OFF + SKF_AD_PKTTYPE), // 2: A = the packet's type
            insn(BPF_JEQ_K, 0, 1, PACKET_OUTGOING), //                 3: sent → 4, else → 5
            insn(BPF_RET_K, 0, 0, 0), //                               4: reject
            insn(BPF_LD_IMM, 0, 0, 0), //                              5: A = 0, then the program
        };
        if (program.length + prefix.length > MAX_INSNS) {
            throw new IllegalArgumentException("the filter's " + program.length + " instructions and the loopback"
                    + " prefix's " + prefix.length + " exceed the kernel's " + MAX_INSNS);
        }
        long[] out = new long[prefix.length + program.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(program, 0, out, prefix.length, program.length);
        return out;
    }

    /** {@code filter} compiled (optimized) by libpcap for frames of link type {@code dlt} (libpcap's DLT_* number). */
    static long[] compile(String filter, int dlt, int snaplen) throws IOException {
        long pcap = Pcap.pcap_open_dead(dlt, snaplen);
        if (pcap == 0) {
            throw new IOException("pcap_open_dead failed");
        }
        try {
            Memory program = new Memory(16); // struct bpf_program { u_int bf_len; struct bpf_insn *bf_insns; }
            program.clear();
            if (Pcap.pcap_compile(pcap, Pointer.nativeValue(program), filter, 1, RingNative.NETMASK_UNKNOWN) != 0) {
                throw new IOException("cannot compile filter " + filter + ": " + Pcap.pcap_geterr(pcap));
            }
            try {
                long[] insns = new long[program.getInt(0)];
                new Pointer(program.getLong(8)).read(0, insns, 0, insns.length);
                return insns;
            } finally {
                Pcap.pcap_freecode(Pointer.nativeValue(program));
            }
        } finally {
            Pcap.pcap_close(pcap);
        }
    }

    /** Attaches {@code program} to the socket {@code fd}. */
    static void attach(int fd, long[] program) throws IOException {
        Memory insns = new Memory((long) program.length * 8);
        insns.write(0, program, 0, program.length);
        Memory fprog = new Memory(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        fprog.clear();
        fprog.setShort(0, (short) program.length);
        fprog.setLong(8, Pointer.nativeValue(insns));
        try {
            if (LibC.setsockopt(fd, RingNative.SOL_SOCKET, RingNative.SO_ATTACH_FILTER, Pointer.nativeValue(fprog), 16)
                    != 0) {
                throw new IOException("SO_ATTACH_FILTER: " + RingNative.lastError());
            }
        } finally {
            Reference.reachabilityFence(insns); // the kernel copies the program during the call
        }
    }
}
