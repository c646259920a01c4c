package io.mysqlprobe.capture;

/**
 * A classic BPF interpreter for tests, after the kernel's {@code include/uapi/linux/filter.h} and {@code
 * bpf_common.h}: runs a program in {@link RingFilter}'s encoding over a packet with the two ancillary values the
 * loopback prefix reads ({@code SKF_AD_IFINDEX}, {@code SKF_AD_PKTTYPE}). A load past the packet's end rejects it,
 * as in the kernel. Every instruction libpcap's optimizer emits for the probe's filter is covered; anything else
 * fails the test.
 */
final class ClassicBpf {

    private ClassicBpf() {}

    /** What the kernel would keep of {@code packet} (0: rejected). */
    static long run(long[] program, byte[] packet, int ifindex, int pktType) {
        int a = 0;
        int x = 0;
        int[] mem = new int[16];
        for (int pc = 0; pc < program.length; pc++) {
            long insn = program[pc];
            int code = RingFilter.code(insn);
            int k = RingFilter.k(insn);
            switch (code & 0x07) {
                case 0x00 -> { // BPF_LD
                    switch (code & 0xe0) {
                        case 0x00 -> a = k; // BPF_IMM
                        case 0x20 -> { // BPF_ABS
                            if (k < 0 && k >= RingFilter.SKF_AD_OFF) {
                                a = switch (k - RingFilter.SKF_AD_OFF) {
                                    case RingFilter.SKF_AD_IFINDEX -> ifindex;
                                    case RingFilter.SKF_AD_PKTTYPE -> pktType;
                                    default -> throw new AssertionError("ancillary load " + k);
                                };
                            } else {
                                long v = load(packet, k, code & 0x18);
                                if (v < 0) {
                                    return 0;
                                }
                                a = (int) v;
                            }
                        }
                        case 0x40 -> { // BPF_IND
                            long v = load(packet, x + k, code & 0x18);
                            if (v < 0) {
                                return 0;
                            }
                            a = (int) v;
                        }
                        case 0x60 -> a = mem[k]; // BPF_MEM
                        case 0x80 -> a = packet.length; // BPF_LEN
                        default -> throw new AssertionError("ld mode " + Integer.toHexString(code));
                    }
                }
                case 0x01 -> { // BPF_LDX
                    switch (code & 0xe0) {
                        case 0x00 -> x = k;
                        case 0x60 -> x = mem[k];
                        case 0x80 -> x = packet.length;
                        case 0xa0 -> { // BPF_MSH: 4 * (P[k] & 0xf)
                            if (k < 0 || k >= packet.length) {
                                return 0;
                            }
                            x = 4 * (packet[k] & 0x0f);
                        }
                        default -> throw new AssertionError("ldx mode " + Integer.toHexString(code));
                    }
                }
                case 0x02 -> mem[k] = a; // BPF_ST
                case 0x03 -> mem[k] = x; // BPF_STX
                case 0x04 -> a = alu(code, a, (code & 0x08) != 0 ? x : k);
                case 0x05 -> { // BPF_JMP
                    int operand = (code & 0x08) != 0 ? x : k;
                    if ((code & 0xf0) == 0x00) { // BPF_JA
                        pc += k;
                        continue;
                    }
                    boolean taken = switch (code & 0xf0) {
                        case 0x10 -> a == operand;
                        case 0x20 -> Integer.compareUnsigned(a, operand) > 0;
                        case 0x30 -> Integer.compareUnsigned(a, operand) >= 0;
                        case 0x40 -> (a & operand) != 0;
                        default -> throw new AssertionError("jmp " + Integer.toHexString(code));
                    };
                    pc += taken ? RingFilter.jt(insn) : RingFilter.jf(insn);
                }
                case 0x06 -> { // BPF_RET
                    return ((code & 0x18) == 0x10 ? a : k) & 0xFFFFFFFFL;
                }
                case 0x07 -> { // BPF_MISC
                    if ((code & 0xf8) == 0x00) {
                        x = a; // BPF_TAX
                    } else {
                        a = x; // BPF_TXA
                    }
                }
                default -> throw new AssertionError("class " + code);
            }
        }
        throw new AssertionError("the program ran off its end");
    }

    private static int alu(int code, int a, int v) {
        return switch (code & 0xf0) {
            case 0x00 -> a + v;
            case 0x10 -> a - v;
            case 0x20 -> a * v;
            case 0x30 -> Integer.divideUnsigned(a, v);
            case 0x40 -> a | v;
            case 0x50 -> a & v;
            case 0x60 -> a << v;
            case 0x70 -> a >>> v;
            case 0x80 -> -a;
            case 0x90 -> Integer.remainderUnsigned(a, v);
            case 0xa0 -> a ^ v;
            default -> throw new AssertionError("alu " + Integer.toHexString(code));
        };
    }

    /** The big-endian word, half word or byte at {@code at}; -1 past the end. */
    private static long load(byte[] p, int at, int size) {
        int n = size == 0x00 ? 4 : size == 0x08 ? 2 : 1;
        if (at < 0 || at + n > p.length) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = v << 8 | (p[at + i] & 0xFF);
        }
        return v;
    }
}
