package io.mysqlprobe.capture;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Many packets per call into libpcap, with no Java callback: {@code pcap_dispatch} is given libpcap's own
 * {@code pcap_dump} as its callback and a dumper writing to a {@code fmemopen} stream over a native buffer, so
 * one call appends up to {@link #batchPackets()} packets there in pcap's file record format (16-byte header,
 * then the bytes), which Java then reads with plain loads. Per packet, {@code pcap_next_ex} cost a JNA call
 * (a fifth of the capture thread's time under oltp_point_select) plus libpcap's copy of the packet out of
 * the ring; here the JNA calls (rewind, dispatch, tell) are per batch, and the one copy is pcap_dump's.
 *
 * <p>No packet can be lost to a full buffer: a batch is capped so that {@code batchPackets × (16 + snaplen)}
 * fits. If the stream's position still reaches the end, {@link #read} fails loudly rather than return a
 * cut batch. The stream is unbuffered ({@code setvbuf _IONBF}): each record goes straight to the buffer (a
 * 64 KiB stdio buffer and a flush per batch measured no cheaper).
 *
 * <p>One instance per handle and thread; {@link #AVAILABLE} is false when a symbol cannot be bound (64-bit
 * only, like {@link RawMemory}), and {@link LiveCapture} then reads packet by packet.
 */
final class PcapBatch implements BatchReader {

    private static final Logger LOG = Logger.getLogger(PcapBatch.class.getName());
    /** Record header of a classic pcap file with 32-bit seconds and microseconds. */
    static final int RECORD_HEADER = 16;

    private static final int FILE_HEADER = 24;
    private static final int MAX_BATCH = 256;
    private static final int MAX_SNAPLEN = 262_144;
    private static final int SEEK_SET = 0;
    private static final int IONBF = 2;
    static final boolean AVAILABLE;
    private static final long PCAP_DUMP;

    static {
        long dump = 0;
        boolean ok = false;
        if (Native.POINTER_SIZE == 8
                && RawMemory.INSTANCE != null
                && java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN) {
            try {
                NativeLibrary pcap = PcapDirect.pcapLibrary();
                Native.register(PcapBatch.class, pcap);
                Native.register(LibC.class, NativeLibrary.getInstance("c"));
                dump = Pointer.nativeValue(pcap.getFunction("pcap_dump"));
                ok = dump != 0;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.log(Level.INFO, "batched capture not available (" + e + "); reading packet by packet", e);
            }
        }
        PCAP_DUMP = dump;
        AVAILABLE = ok;
    }

    static native int pcap_dispatch(long pcap, int cnt, long callback, long user);

    static native long pcap_dump_fopen(long pcap, long file);

    static native long pcap_dump_ftell(long dumper);

    static native void pcap_dump_close(long dumper);

    static native int pcap_get_selectable_fd(long pcap);

    /** The libc calls around the memory stream. */
    static final class LibC {
        private LibC() {}

        static native long fmemopen(long buf, long size, String mode);

        static native int setvbuf(long file, long buf, int mode, long size);

        static native int fseek(long file, long offset, int whence);

        static native int fclose(long file);

        static native int poll(long fds, long nfds, int timeoutMillis);
    }

    private final long pcap;
    private final Memory buffer;
    private final long base;
    private final long size;
    private final long dumper;
    private final int batchPackets;
    private final RawMemory raw = RawMemory.INSTANCE;
    /** A {@code struct pollfd} for {@link #awaitPackets}; null when the handle has no selectable descriptor. */
    private final Memory pollFd;

    private boolean closed;

    /**
     * @param pcap        the pcap_t address
     * @param snaplen     the handle's snapshot length (no record is longer than 16 + this)
     * @param bufferBytes the native buffer; a batch is as many packets as surely fit, at most 256
     */
    PcapBatch(long pcap, int snaplen, int bufferBytes) {
        if (!AVAILABLE) {
            throw new IllegalStateException("batched capture not available");
        }
        this.pcap = pcap;
        // libpcap treats 0 and anything past its maximum as the maximum (262144)
        int perPacket = RECORD_HEADER + (snaplen <= 0 || snaplen > MAX_SNAPLEN ? MAX_SNAPLEN : snaplen);
        this.size = Math.max(bufferBytes, FILE_HEADER + perPacket + 1L);
        this.batchPackets = (int) Math.max(1, Math.min(MAX_BATCH, (size - FILE_HEADER - 1) / perPacket));
        this.buffer = new Memory(size);
        this.base = Pointer.nativeValue(buffer);
        long file = LibC.fmemopen(base, size, "w");
        if (file == 0) {
            throw new IllegalStateException("fmemopen failed");
        }
        LibC.setvbuf(file, 0, IONBF, 0);
        long d = pcap_dump_fopen(pcap, file);
        if (d == 0) {
            LibC.fclose(file);
            throw new IllegalStateException("pcap_dump_fopen failed");
        }
        this.dumper = d;
        int fd = pcap_get_selectable_fd(pcap);
        if (fd >= 0) {
            pollFd = new Memory(8);
            pollFd.setInt(0, fd);
            pollFd.setShort(4, POLLIN);
        } else {
            pollFd = null;
        }
    }

    private static final short POLLIN = 1;

    /**
     * Sleeps until the kernel hands the ring's next block over (it does so when a block fills or its timeout
     * passes with at least one packet in it), at most {@code timeoutMillis}: one wake-up per block where
     * sleeping in growing steps woke several times. Without a selectable descriptor, just sleeps.
     *
     * @return false when there is no descriptor to wait on (the caller then parks)
     */
    @Override
    public boolean awaitPackets(int timeoutMillis) {
        if (pollFd == null) {
            return false;
        }
        pollFd.setShort(6, (short) 0);
        LibC.poll(Pointer.nativeValue(pollFd), 1, timeoutMillis); // EINTR or a timeout: the loop reads again
        return true;
    }

    int batchPackets() {
        return batchPackets;
    }

    /**
     * One {@code pcap_dispatch}: the packets it returns are copied into {@code into} (in one piece when the batch
     * fits a chunk, else record by record over as many chunks as it takes) and handed to {@code out}.
     *
     * @return what pcap_dispatch returned: packets, 0 when none were ready, -1 error, -2 break
     */
    @Override
    public int read(ChunkWriter into, Records out) {
        LibC.fseek(dumper, FILE_HEADER, SEEK_SET);
        int n = pcap_dispatch(pcap, batchPackets, PCAP_DUMP, dumper);
        if (n <= 0) {
            return n;
        }
        long end = pcap_dump_ftell(dumper);
        if (end < FILE_HEADER || end >= size - 1) {
            throw new IllegalStateException("capture batch overran its buffer: " + end + " of " + size + " bytes");
        }
        int bytes = (int) (end - FILE_HEADER);
        if (bytes <= into.capacity()) {
            into.reserve(bytes);
            byte[] chunk = into.bytes();
            int at = into.position();
            raw.copy(base + FILE_HEADER, chunk, at, bytes);
            deliver(chunk, at, at + bytes, out);
            into.advance(bytes);
        } else {
            byRecord(into, bytes, out);
        }
        return n;
    }

    /** Hands each record of {@code chunk[pos, stop)} to {@code out}. */
    private static void deliver(byte[] chunk, int pos, int stop, Records out) {
        while (pos + RECORD_HEADER <= stop) {
            long sec = intAt(chunk, pos) & 0xFFFFFFFFL;
            long usec = intAt(chunk, pos + 4) & 0xFFFFFFFFL;
            int caplen = intAt(chunk, pos + 8);
            int wire = intAt(chunk, pos + 12);
            int data = pos + RECORD_HEADER;
            if (caplen < 0 || data + caplen > stop) {
                throw new IllegalStateException("capture batch record cut at " + pos);
            }
            out.record(sec * 1_000_000L + usec, chunk, data, caplen, wire);
            pos = data + caplen;
        }
    }

    /** A batch larger than a chunk (only with packets of tens of KiB): copied and delivered one record at a time. */
    private void byRecord(ChunkWriter into, int bytes, Records out) {
        long pos = base + FILE_HEADER;
        long stop = pos + bytes;
        while (pos + RECORD_HEADER <= stop) {
            int caplen = raw.getInt(pos + 8);
            int record = RECORD_HEADER + caplen;
            if (caplen < 0 || pos + record > stop || record > into.capacity()) {
                throw new IllegalStateException("capture batch record cut at " + (pos - base));
            }
            into.reserve(record);
            byte[] chunk = into.bytes();
            int at = into.position();
            raw.copy(pos, chunk, at, record);
            deliver(chunk, at, at + record, out);
            into.advance(record);
            pos += record;
        }
    }

    /** pcap_dump writes host order; {@link #AVAILABLE} is false on big-endian hosts. */
    private static int intAt(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pcap_dump_close(dumper); // fclose of the memory stream
        }
    }
}
