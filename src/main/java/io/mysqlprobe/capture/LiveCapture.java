package io.mysqlprobe.capture;

import java.sql.Timestamp;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * One live capture on one device, read by its own thread: the kernel's ring read directly ({@link RingReader}) or a
 * libpcap handle read with the raw packet loop (pcap4j's per-packet object model is too slow, see STACK.md).
 * Frames go to a {@link FrameSink} that never blocks.
 */
public final class LiveCapture implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveCapture.class.getName());
    /** Without immediate mode the kernel hands packets over in blocks, at the latest after this long. */
    private static final int READ_TIMEOUT_MS = 20;

    private static final long STATS_EVERY_NANOS = 1_000_000_000L;
    private static final int CHUNK = 1 << 20;
    /** Chunks the pool keeps for reuse (see README, memory): 8 MiB of heap at most. */
    private static final int POOLED_CHUNKS = 8;
    /** Native buffer of a {@link PcapBatch}: 31 packets a call at the default 256 KiB snaplen. */
    private static final int BATCH_BUFFER = 8 << 20;
    /** Longest sleep in poll() for the next block: bounds how late a stop or the once-a-second stats are. */
    private static final int AWAIT_MILLIS = 50;
    /** Nothing to read: sleep 0.5 ms, doubling to 8 ms while it stays quiet (latency to the report is moot). */
    private static final long MIN_IDLE_PARK_NANOS = 500_000L;

    private static final long MAX_IDLE_PARK_NANOS = 8_000_000L;

    private final String device;
    /** What the capture thread reads, the other null; it opens the handle and drops the ring if the ring fails. */
    private volatile PcapHandle handle;

    private volatile RingReader ring;
    private final CaptureOpen.Libpcap libpcap;
    private int dlt;
    private final FrameSink sink;
    private final CaptureCounters counters;
    private final KernelDrops drops;
    private final int grantedBufferBytes;
    private final int snaplen;
    private volatile boolean running = true;
    /** Counts of the capture thread not yet added to {@link #counters}; see {@link #flushCounts}. */
    private long unflushedPackets;

    private long unflushedBytes;
    /** A packet at or past this time starts a new report window: counts flushed first ({@link FrameSink#onPacketTime}). */
    private long nextWindowUs = Long.MIN_VALUE;

    private volatile Thread thread;
    private final ChunkPool chunks;
    private BatchReader.Factory batchReaders = (pcap, snap) -> new PcapBatch(pcap, snap, BATCH_BUFFER);

    private LiveCapture(
            String device,
            CaptureOpen.Opened opened,
            int snaplen,
            CaptureOpen.Libpcap libpcap,
            FrameSink sink,
            CaptureCounters counters) {
        this.device = device;
        this.snaplen = snaplen;
        this.handle = opened.handle();
        this.ring = opened.ring();
        this.libpcap = libpcap;
        this.dlt = handle != null ? handle.getDlt().value() : ring.dlt();
        this.grantedBufferBytes = opened.grantedBytes();
        this.sink = sink;
        this.counters = counters;
        this.drops = new KernelDrops(counters);
        UnfilteredRing.drain(handle, drops); // see there: before start (a ring reader binds only once filtered)
        this.chunks = new ChunkPool(CHUNK, POOLED_CHUNKS, counters.unpooledChunks);
    }

    /**
     * The BPF filter: the server port's TCP segments, except IPv4 bare ACKs (no payload, no SYN/FIN/RST), which the
     * decoder does not use: the kernel drops them before they reach the ring. Under sysbench on {@code lo} they are
     * rare (20 of 292 k packets: ACKs ride on the next request or response); they add up where a client acknowledges
     * every other segment of a result spread over 1500-byte frames. Payload = IP total length − IP header − TCP header; a total length of
     * 0 (TCP segmentation offload on the capturing host) keeps the packet, and so does any IPv6 packet (libpcap
     * cannot index TCP headers behind IPv6 extension headers), which the decoder then counts as a bare ACK.
     */
    static String filter(int port) {
        return "tcp port " + port + " and (ip6 or tcp[13] & 7 != 0 or ip[2:2] = 0"
                + " or ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) != 0)";
    }

    /**
     * Opens {@code device} with the BPF {@link #filter} for {@code port}: with {@code ring} the kernel's ring read by
     * a {@link RingReader} where it can, else a libpcap handle ({@link CaptureOpen}). The kernel buffer starts at
     * {@code bufferBytes} and is halved while the kernel refuses it.
     */
    public static LiveCapture open(
            String device,
            int port,
            int snaplen,
            int bufferBytes,
            boolean immediate,
            boolean ring,
            FrameSink sink,
            CaptureCounters counters)
            throws PcapNativeException {
        String f = filter(port);
        CaptureOpen.Libpcap libpcap =
                () -> CaptureOpen.libpcap(device, f, snaplen, bufferBytes, READ_TIMEOUT_MS, immediate);
        CaptureOpen.Opened o = CaptureOpen.open(
                device, f, snaplen, bufferBytes, READ_TIMEOUT_MS, immediate, ring, counters.truncatedRecords, libpcap);
        return new LiveCapture(device, o, snaplen, libpcap, sink, counters);
    }

    /** "ring" while the capture reads the kernel's ring itself, else "libpcap". */
    public String reader() {
        return ring != null ? "ring" : "libpcap";
    }

    public String device() {
        return device;
    }

    public int grantedBufferBytes() {
        return grantedBufferBytes;
    }

    public boolean running() {
        Thread t = thread;
        return running && t != null && t.isAlive();
    }

    /** Starts the capture thread. */
    public void start() {
        Thread t = new Thread(this::run, "capture-" + device);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void run() {
        try (ChunkWriter into = new ChunkWriter(chunks, sink)) {
            if (ring != null && !runRing(into)) {
                return;
            }
            if (PcapBatch.AVAILABLE && NextPacket.AVAILABLE) {
                runBatched(into);
            } else if (NextPacket.AVAILABLE) {
                runNextEx(into);
            } else {
                runDispatch();
            }
        } catch (NotOpenException | InterruptedException e) {
            // closed under us: a normal stop
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, device + ": capture stopped: " + e.getMessage(), e);
        } finally {
            running = false;
        }
    }

    /** Reads the ring until the capture stops (false) or a read fails (counted; libpcap reads on: true). */
    private boolean runRing(ChunkWriter into) throws Throwable {
        RingReader r = ring;
        try {
            batchLoop(r, into);
            return false;
        } catch (RuntimeException | Error e) {
            fellBack(e, "ring reads failed (" + e + "); reading with libpcap from now on");
        } finally {
            flushCounts();
        }
        readStats();
        CaptureOpen.Opened o = libpcap.open();
        dlt = o.handle().getDlt().value();
        handle = o.handle();
        ring = null;
        r.close();
        return running;
    }

    /** pcap4j's dispatch with a JNA callback per packet: the fallback when pcap_next_ex can't be reached. */
    private void runDispatch() throws PcapNativeException, NotOpenException, InterruptedException {
        long lastStats = System.nanoTime();
        while (running) {
            int n = handle.dispatch(-1, this::onPacket);
            sink.onIdle(n == 0);
            lastStats = statsIfDue(lastStats);
        }
    }

    /**
     * libpcap's pcap_next_ex called directly (no JNA callback, no Timestamp objects): about three times cheaper
     * per packet than dispatch. Packets are copied into shared chunks that frames slice without further copies.
     */
    private void runNextEx(ChunkWriter into) throws Throwable {
        try {
            readLoop(new NextPacket(handle), into);
        } finally {
            flushCounts();
        }
    }

    /**
     * Batches of packets per libpcap call ({@link PcapBatch}): the JNA call and libpcap's copy per packet of
     * {@link #runNextEx} are gone. A batch lands in a shared chunk that frames slice without further copies.
     */
    private void runBatched(ChunkWriter into) throws Throwable {
        // the snapshot libpcap granted bounds every record (it may differ from the one asked for)
        int snap = Math.max(snaplen, handle.getSnapshot());
        try (BatchReader batch = batchReaders.open(NextPacket.pcapAddress(handle), snap)) {
            batchLoop(batch, into);
            return;
        } catch (RuntimeException | Error e) {
            // the packets of the failed batch that were not yet delivered are lost (libpcap consumed them)
            fellBack(e, "batched reads failed (" + e + "); reading packet by packet from now on");
        } finally {
            flushCounts();
        }
        runNextEx(into);
    }

    /** A reader failed at run time: rethrown when closed under us (or the JVM is in trouble), else counted. */
    private void fellBack(Throwable e, String what) throws Throwable {
        if (!running || e instanceof VirtualMachineError) {
            throw e;
        }
        counters.batchFallbacks.increment();
        LOG.log(Level.WARNING, device + ": " + what, e);
    }

    /** Tests: stand in another batch reader (one that fails, to see the capture fall back). */
    LiveCapture withBatchReaders(BatchReader.Factory factory) {
        this.batchReaders = factory;
        return this;
    }

    private void batchLoop(BatchReader batch, ChunkWriter into) {
        long lastStats = System.nanoTime();
        long idleParkNanos = MIN_IDLE_PARK_NANOS;
        BatchReader.Records deliver = this::deliver;
        while (running) {
            int n = batch.read(into, deliver);
            if (n > 0) {
                idleParkNanos = MIN_IDLE_PARK_NANOS;
                flushCounts();
                sink.onIdle(false);
            } else if (n == 0) {
                flushCounts();
                sink.onIdle(true);
                if (!batch.awaitPackets(AWAIT_MILLIS)) {
                    idleParkNanos = parkIdle(idleParkNanos);
                }
            } else {
                if (running) {
                    LOG.severe(device + ": pcap_dispatch returned " + n + "; capture stopped");
                }
                return;
            }
            lastStats = statsIfDue(lastStats);
        }
    }

    /** One captured packet lying in {@code data[offset, offset + caplen)}: counted, then framed for the sink. */
    private void deliver(long tsMicros, byte[] data, int offset, int caplen, int wireLength) {
        if (tsMicros >= nextWindowUs) {
            flushCounts();
            nextWindowUs = sink.onPacketTime(tsMicros);
        }
        unflushedPackets++;
        unflushedBytes += wireLength;
        int end = offset + caplen;
        int net = LinkLayer.networkOffset(dlt, data, offset, end);
        if (net == LinkLayer.NOT_IP) {
            counters.nonIp.increment();
        } else {
            sink.onFrame(new Frame(tsMicros, data, offset, net, end, wireLength));
        }
    }

    /**
     * Packets and bytes are added up on this thread and handed to the shared counters after each batch (every 64
     * packets packet by packet) and whenever the ring is empty, rather than with a LongAdder update per packet.
     */
    private void flushCounts() {
        counters.packets.add(unflushedPackets);
        counters.bytes.add(unflushedBytes);
        unflushedPackets = 0;
        unflushedBytes = 0;
    }

    private void readLoop(NextPacket next, ChunkWriter into) throws Throwable {
        long lastStats = System.nanoTime();
        int sinceCheck = 0;
        long idleParkNanos = MIN_IDLE_PARK_NANOS;
        while (running) {
            int rc = next.next();
            if (rc == 1) {
                idleParkNanos = MIN_IDLE_PARK_NANOS;
                int caplen = next.caplen();
                into.reserve(caplen);
                int at = into.position();
                next.copyData(into.bytes(), at, caplen);
                into.advance(caplen);
                deliver(next.tsMicros(), into.bytes(), at, caplen, next.wireLength());
                if (++sinceCheck < 64) {
                    continue;
                }
                sinceCheck = 0;
                flushCounts();
                sink.onIdle(false);
            } else if (rc == 0) {
                flushCounts();
                sink.onIdle(true);
                idleParkNanos = parkIdle(idleParkNanos);
            } else {
                if (running) {
                    LOG.severe(device + ": pcap_next_ex returned " + rc + "; capture stopped");
                }
                return;
            }
            lastStats = statsIfDue(lastStats);
        }
    }

    /** Reads the kernel's drop counters when a second has passed since {@code lastStats}; returns the new mark. */
    private long statsIfDue(long lastStats) {
        long now = System.nanoTime();
        if (now - lastStats > STATS_EVERY_NANOS) {
            readStats();
            return now;
        }
        return lastStats;
    }

    /** Sleeps {@code nanos} on an empty read; returns the next sleep (doubling, capped). */
    private static long parkIdle(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        return Math.min(MAX_IDLE_PARK_NANOS, nanos * 2);
    }

    private void onPacket(byte[] data) {
        Timestamp ts = handle.getTimestamp();
        long tsMicros = ts.getTime() / 1000 * 1_000_000L + ts.getNanos() / 1000;
        if (tsMicros >= nextWindowUs) {
            nextWindowUs = sink.onPacketTime(tsMicros);
        }
        counters.packets.increment();
        counters.bytes.add(data.length);
        int net = LinkLayer.networkOffset(dlt, data, data.length);
        if (net == LinkLayer.NOT_IP) {
            counters.nonIp.increment();
            return;
        }
        sink.onFrame(new Frame(tsMicros, data, 0, net, data.length, data.length));
    }

    private void readStats() {
        RingReader r = ring;
        if (r != null) {
            drops.read(r);
        } else {
            drops.read(handle);
        }
    }

    @Override
    public void close() {
        running = false;
        PcapHandle h = handle;
        if (h != null) {
            try {
                h.breakLoop();
            } catch (NotOpenException ignored) {
                // already closed
            }
        }
        Thread t = thread; // in poll() on the ring for at most AWAIT_MILLIS
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (t.isAlive()) {
                LOG.warning(device + ": capture thread still reading; leaving the handle or ring open");
                return; // closing it under the thread would free memory the thread is reading
            }
        }
        RingReader r = ring;
        if (r != null) {
            r.close();
        }
        h = handle; // the thread may have opened it when the ring failed
        if (h != null) {
            h.close();
        }
    }
}
