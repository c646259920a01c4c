package io.mysqlprobe.capture;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import io.mysqlprobe.capture.RingNative.LibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;

/**
 * Reads the kernel's {@code TPACKET_V3} receive ring of a packet socket directly: the kernel's filter (the same BPF
 * program libpcap would attach) picks the packets, the kernel writes them into blocks of a ring mapped into this
 * process, and {@link RingBlock} copies each frame once, ring → chunk. libpcap read the same ring, then copied
 * every packet into its dump buffer ({@link PcapBatch}) before Java copied it again; here neither that copy nor a
 * native call per batch remains (one {@code poll} when the ring is empty).
 *
 * <p>A named device is read as Ethernet frames ({@code lo} and Ethernet NICs only); {@code any} as raw IP packets from
 * a "cooked" socket ({@code SOCK_DGRAM}, bound to every device: the kernel strips each device's link header, and the
 * filter, compiled for raw IP, sees the packet from its IP header), with the copy {@code lo} sent dropped in the
 * kernel ({@link RingFilter#dropSentOnLoopback}). {@link #unusable} says why not elsewhere, and {@link LiveCapture}
 * then opens libpcap. One instance per capture thread; {@link #close} only once that thread stopped reading (it
 * unmaps the ring).
 */
final class RingReader implements BatchReader {

    private static final Logger LOG = Logger.getLogger(RingReader.class.getName());
    private static final int ARPHRD_ETHER = 1;
    private static final int ARPHRD_LOOPBACK = 772;
    private static final int MIN_BLOCKS = 2;
    /** Largest block {@link #blockSize(int, int)} grows to for fewer wake-ups. */
    static final int MAX_FILL_BLOCK = 2 << 20;

    private static final int PAGE = 4096;
    private static final short POLL_FAILED = 8 | 32; // POLLERR | POLLNVAL
    private static final String ANY = "any";

    private final String device;
    private final int fd;
    private final long base;
    private final long ringBytes;
    private final int blockSize;
    private final int blocks;
    private final int loopbackIfindex;
    private final int dlt;
    private final LongAdder lost;
    private final RawMemory raw = RawMemory.INSTANCE;
    private final Memory pollFd = new Memory(8);
    private final Memory stats = new Memory(16);
    private int current;
    private boolean closed;

    private RingReader(
            String device, int fd, long base, int blockSize, int blocks, int loopbackIfindex, int dlt, LongAdder lost) {
        this.device = device;
        this.fd = fd;
        this.base = base;
        this.blockSize = blockSize;
        this.blocks = blocks;
        this.ringBytes = (long) blockSize * blocks;
        this.loopbackIfindex = loopbackIfindex;
        this.dlt = dlt;
        this.lost = lost;
        pollFd.setInt(0, fd);
        pollFd.setShort(4, RingNative.POLLIN);
    }

    /** Why {@code device} cannot be read from a ring here, or null when it can. */
    static String unusable(String device, boolean immediate) {
        if (RingNative.UNAVAILABLE != null) {
            return RingNative.UNAVAILABLE;
        }
        if (immediate) {
            return "immediate_mode: the ring hands packets over by the block (libpcap then reads TPACKET_V2)";
        }
        if (ANY.equals(device)) {
            return null; // a cooked socket: every link type arrives as raw IP
        }
        int type = linkType(device);
        if (type != ARPHRD_ETHER && type != ARPHRD_LOOPBACK) {
            return "device " + device + " has link type " + type + " (not Ethernet)";
        }
        return null;
    }

    /** The device's ARPHRD_* type from sysfs; -1 when unknown. */
    private static int linkType(String device) {
        try {
            return Integer.parseInt(
                    Files.readString(Path.of("/sys/class/net", device, "type")).trim());
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Opens a packet socket on {@code device} with {@code filter} in the kernel and a ring of up to {@code
     * bufferBytes} (halved while the kernel refuses it), blocks handed over when full or {@code retireMillis} after
     * their first packet. Records are cut at {@code snaplen}; packets of a cut block are counted in {@code lost}.
     * {@code any} binds to every device (ifindex 0) through a cooked socket.
     */
    static RingReader open(String device, String filter, int snaplen, int bufferBytes, int retireMillis, LongAdder lost)
            throws IOException {
        boolean any = ANY.equals(device);
        int ifindex = any ? 0 : LibC.if_nametoindex(device);
        if (ifindex == 0 && !any) {
            throw new IOException("no device " + device + ": " + RingNative.lastError());
        }
        // the device whose sent copies are skipped (0: none): lo's index on any, the device itself if it is lo
        int loopbackIfindex = any ? LibC.if_nametoindex("lo") : linkType(device) == ARPHRD_LOOPBACK ? ifindex : 0;
        // raw IP on any: libpcap's DLT_RAW on Linux is 12 (DLT_RAW_ALT); pcap_open_dead refuses LINKTYPE_RAW (101)
        long[] program = RingFilter.compile(filter, any ? LinkLayer.DLT_RAW_ALT : LinkLayer.DLT_EN10MB, snaplen);
        if (any && loopbackIfindex != 0) {
            program = RingFilter.dropSentOnLoopback(program, loopbackIfindex);
        }
        // protocol 0: nothing arrives before bind(), which comes once the filter and the ring are in place
        int fd = LibC.socket(RingNative.AF_PACKET, any ? RingNative.SOCK_DGRAM : RingNative.SOCK_RAW, 0);
        if (fd < 0) {
            throw new IOException("packet socket: " + RingNative.lastError() + " (needs CAP_NET_RAW)");
        }
        long base = 0;
        long mapped = 0;
        try {
            setInt(fd, RingNative.SOL_PACKET, RingNative.PACKET_VERSION, RingNative.TPACKET_V3, "TPACKET_V3");
            RingFilter.attach(fd, program);
            if (!any && loopbackIfindex != 0) {
                // each packet passes lo twice, sent and received: the kernel need not copy the first at all
                // (Linux 4.20+; older kernels deliver both and RingBlock skips the sent one)
                setIntQuietly(fd, RingNative.SOL_PACKET, RingNative.PACKET_IGNORE_OUTGOING, 1);
            }
            int blockSize = blockSize(snaplen, bufferBytes);
            int asked = Math.max(MIN_BLOCKS, bufferBytes / blockSize);
            int blocks = asked;
            while (!setRing(fd, blockSize, blocks, retireMillis)) {
                if (blocks / 2 < MIN_BLOCKS || (long) blocks * blockSize / 2 < (1 << 20)) {
                    throw new IOException(
                            "PACKET_RX_RING of " + blocks + " × " + blockSize + " bytes: " + RingNative.lastError());
                }
                blocks /= 2;
            }
            mapped = (long) blockSize * blocks;
            base = LibC.mmap(0, mapped, RingNative.PROT_READ | RingNative.PROT_WRITE, RingNative.MAP_SHARED, fd, 0);
            if (base == -1) {
                base = 0;
                throw new IOException("mmap of the " + mapped + "-byte ring: " + RingNative.lastError());
            }
            bind(fd, ifindex);
            if (blocks < asked) {
                LOG.warning(device + ": kernel refused a " + bufferBytes + "-byte ring; using " + mapped);
            }
            return new RingReader(
                    device,
                    fd,
                    base,
                    blockSize,
                    blocks,
                    loopbackIfindex,
                    any ? LinkLayer.DLT_RAW : LinkLayer.DLT_EN10MB,
                    lost);
        } catch (IOException | RuntimeException | Error e) {
            if (base != 0) {
                LibC.munmap(base, mapped);
            }
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * The ring's block: {@link #blockSize(int)}, or larger up to {@link #MAX_FILL_BLOCK} while the ring keeps 8
     * blocks. The kernel hands a block over when it is full (or {@code retireMillis} after its first packet) and the
     * capture thread wakes for each: under {@code oltp_read_write} 512 KiB blocks filled in ~7 ms (~135 wake-ups a
     * second); at 2 MiB the retire timeout hands most over, ~50 a second, and the capture thread's CPU per
     * statement fell by ~0.1 µs (bench/paired.sh; README "Performance"). A packet still reaches the capture thread
     * at most the retire timeout after it came (on average later than with small blocks); statement latencies are
     * taken from packet timestamps and do not change.
     */
    static int blockSize(int snaplen, int bufferBytes) {
        int size = blockSize(snaplen);
        while (size < MAX_FILL_BLOCK && (long) size * 2 * 8 <= bufferBytes) {
            size <<= 1;
        }
        return size;
    }

    /**
     * The smallest power-of-two block (at least a page) that holds a block header and one whole record of {@code
     * snaplen} bytes with its headers: the kernel cuts a packet that does not fit a block.
     */
    static int blockSize(int snaplen) {
        int need = RingBlock.BLOCK_HEADER + RingBlock.HEADERS + 32 + snaplen;
        int size = PAGE;
        while (size < need) {
            size <<= 1;
        }
        return size;
    }

    /** PACKET_RX_RING with a {@code struct tpacket_req3}; false when the kernel refuses it. */
    private static boolean setRing(int fd, int blockSize, int blocks, int retireMillis) {
        Memory req = new Memory(28);
        req.setInt(0, blockSize); // tp_block_size
        req.setInt(4, blocks); // tp_block_nr
        req.setInt(8, blockSize); // tp_frame_size: unused by V3 beyond the kernel's checks; one per block
        req.setInt(12, blocks); // tp_frame_nr
        req.setInt(16, retireMillis); // tp_retire_blk_tov
        req.setInt(20, 0); // tp_sizeof_priv
        req.setInt(24, 0); // tp_feature_req_word
        return LibC.setsockopt(fd, RingNative.SOL_PACKET, RingNative.PACKET_RX_RING, Pointer.nativeValue(req), 28) == 0;
    }

    private static void bind(int fd, int ifindex) throws IOException {
        Memory sll = new Memory(20); // struct sockaddr_ll
        sll.clear();
        sll.setShort(0, (short) RingNative.AF_PACKET);
        sll.setShort(2, Short.reverseBytes((short) RingNative.ETH_P_ALL)); // network order
        sll.setInt(4, ifindex);
        if (LibC.bind(fd, Pointer.nativeValue(sll), 20) != 0) {
            throw new IOException("bind: " + RingNative.lastError());
        }
    }

    private static void setInt(int fd, int level, int name, int value, String what) throws IOException {
        if (!setIntQuietly(fd, level, name, value)) {
            throw new IOException(what + ": " + RingNative.lastError());
        }
    }

    private static boolean setIntQuietly(int fd, int level, int name, int value) {
        Memory v = new Memory(4);
        v.setInt(0, value);
        return LibC.setsockopt(fd, level, name, Pointer.nativeValue(v), 4) == 0;
    }

    /** The link type of the frames handed on (libpcap's DLT_* number): Ethernet, or raw IP on {@code any}. */
    int dlt() {
        return dlt;
    }

    int ringBytes() {
        return (int) Math.min(Integer.MAX_VALUE, ringBytes);
    }

    /**
     * Copies the packets of the next blocks the kernel handed over (until one delivered any) and gives those blocks
     * back. A block whose records do not fit it is logged, its remaining packets counted as lost, and given back.
     *
     * @return the packets delivered; 0 when no block is ready
     */
    @Override
    public int read(ChunkWriter into, BatchReader.Records out) {
        int delivered = 0;
        while (delivered == 0) {
            long block = base + (long) current * blockSize;
            if (!RingBlock.ready(raw, block)) {
                return 0;
            }
            try {
                delivered = RingBlock.walk(raw, block, blockSize, loopbackIfindex, into, out);
            } catch (RingBlock.Cut e) {
                lost.add(e.lost);
                delivered = e.delivered;
                LOG.warning(device + ": ring block " + current + ": " + e.getMessage() + "; " + e.lost
                        + " packets lost (counted as truncated records)");
            } finally {
                RingBlock.release(raw, block);
                current = current + 1 == blocks ? 0 : current + 1;
            }
        }
        return delivered;
    }

    /** Sleeps in poll() until the kernel hands the next block over, at most {@code timeoutMillis}. */
    @Override
    public boolean awaitPackets(int timeoutMillis) {
        pollFd.setShort(6, (short) 0);
        LibC.poll(Pointer.nativeValue(pollFd), 1, timeoutMillis); // EINTR or a timeout: the loop reads again
        return (pollFd.getShort(6) & POLL_FAILED) == 0; // an error would wake poll at once: the caller parks
    }

    /** Packets the kernel dropped for want of ring space since the last call (PACKET_STATISTICS resets on read). */
    long drops() {
        stats.clear();
        stats.setInt(12, 12); // socklen_t after struct tpacket_stats_v3 { tp_packets, tp_drops, tp_freeze_q_cnt }
        long lenSlot = Pointer.nativeValue(stats) + 12;
        if (LibC.getsockopt(
                        fd, RingNative.SOL_PACKET, RingNative.PACKET_STATISTICS, Pointer.nativeValue(stats), lenSlot)
                != 0) {
            return 0;
        }
        return stats.getInt(4) & 0xFFFFFFFFL;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.munmap(base, ringBytes);
            LibC.close(fd);
        }
    }
}
