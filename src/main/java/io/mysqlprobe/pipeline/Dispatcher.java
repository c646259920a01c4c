package io.mysqlprobe.pipeline;

import io.mysqlprobe.capture.Chunk;
import io.mysqlprobe.capture.Frame;
import io.mysqlprobe.capture.FrameSink;
import io.mysqlprobe.tcp.Segment;
import io.mysqlprobe.tcp.SegmentParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs on one capture thread: parses each frame's IP/TCP headers, picks the worker that owns the
 * connection (by flow hash, so each connection stays ordered) and batches segments into that worker's
 * Mutiny stream ({@link Handoff}: {@code emitOn} the worker's thread, at most {@code queueBatches} batches
 * queued); when the worker lags that far, a batch is dropped and its segments counted — the capture thread
 * never blocks. A batch holds the capture chunks its segments' bytes lie in until its worker processed it (or it
 * was dropped), and then comes back here to be filled again.
 */
final class Dispatcher implements FrameSink {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final int BATCH = 128;

    private final SegmentParser parser;
    private final Worker[] workers;
    private final List<Handoff<SegmentBatch>> handoffs = new ArrayList<>();
    private final SegmentBatch[] batches;
    /** Per worker, its processed batches, ready to be filled again (given back by the worker's thread). */
    private final ArrayBlockingQueue<SegmentBatch>[] spare;
    /** The chunk the frames delivered now lie in (null when the capture does not pool its bytes). */
    private Chunk chunk;

    private final CounterCut counts;
    /** Packets came since the counters were last cut. */
    private boolean uncut;

    /**
     * @param counts cuts this capture thread's counters (its capture counters, {@code parser}'s, {@code
     *               queueDropped}) by packet time
     */
    @SuppressWarnings("unchecked")
    Dispatcher(SegmentParser parser, Worker[] workers, int queueBatches, LongAdder queueDropped, CounterCut counts) {
        this.parser = parser;
        this.counts = counts;
        this.workers = workers;
        this.batches = new SegmentBatch[workers.length];
        this.spare = new ArrayBlockingQueue[workers.length];
        for (int i = 0; i < workers.length; i++) {
            Worker w = workers[i];
            ArrayBlockingQueue<SegmentBatch> back = new ArrayBlockingQueue<>(queueBatches + 1);
            spare[i] = back;
            batches[i] = new SegmentBatch(BATCH);
            handoffs.add(new Handoff<>(
                    w.executor(),
                    queueBatches,
                    batch -> {
                        try {
                            w.process(batch);
                        } finally {
                            batch.release();
                            back.offer(batch); // full only if more batches circulate than can be queued: dropped
                        }
                    },
                    SegmentBatch::size,
                    queueDropped,
                    failure -> LOG.log(Level.SEVERE, "decode worker stream failed", failure)));
        }
    }

    @Override
    public void onFrame(Frame f) {
        uncut = true;
        Segment s = parser.parse(f.tsMicros(), f.data(), f.netOffset(), f.end());
        if (s == null) {
            return;
        }
        int w = workerFor(s, workers.length);
        SegmentBatch batch = batches[w];
        if (!pending) {
            pending = true;
            oldestPendingNanos = System.nanoTime();
        }
        batch.add(s, chunk);
        if (batch.full()) {
            flush(w);
        }
    }

    @Override
    public void onChunk(Chunk next) {
        chunk = next; // batches take their references as segments from it join them
    }

    /**
     * The worker owning a connection. The hash is mixed (MurmurHash3's fmix32) before the modulo: Linux gives
     * outgoing connections even ports only, so the raw hash's low bits would send every connection to one worker.
     */
    static int workerFor(Segment s, int workers) {
        int h = s.key().hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        h ^= h >>> 16;
        return Math.floorMod(h, workers);
    }

    /**
     * A batch waits at most this long for company: handing one packet at a time to a worker costs a thread
     * wake-up per packet, which on a busy server costs more than everything else the probe does.
     */
    private static final long MAX_BATCH_WAIT_NANOS = 5_000_000L;

    private long oldestPendingNanos;
    private boolean pending;

    @Override
    public long onPacketTime(long tsMicros) {
        return counts.moveTo(tsMicros);
    }

    @Override
    public void onIdle(boolean quiet) {
        if (pending && (quiet || System.nanoTime() - oldestPendingNanos >= MAX_BATCH_WAIT_NANOS)) {
            for (int i = 0; i < batches.length; i++) {
                if (!batches[i].isEmpty()) {
                    flush(i);
                }
            }
            pending = false;
        }
        if (quiet) {
            cutWhenWindowEnded(); // after the flush: a batch it dropped is counted in the window cut
        }
    }

    private void flush(int w) {
        SegmentBatch batch = batches[w];
        if (handoffs.get(w).offer(batch)) {
            SegmentBatch next = spare[w].poll();
            batches[w] = next != null ? next : new SegmentBatch(BATCH);
        } else {
            batch.release(); // dropped and counted by the hand-off
            uncut = true;
        }
    }

    /**
     * No packet in the ring: once the wall clock has passed the end of the latest packet's window, its counts are
     * cut now rather than at the next packet (which may come after the window is published). Once per window.
     */
    private void cutWhenWindowEnded() {
        if (uncut && System.currentTimeMillis() >= counts.windowEndMs()) {
            uncut = false;
            counts.cut();
        }
    }

    /** After the capture thread stopped: what is left is flushed and its counts cut. */
    void complete() {
        onIdle(true);
        counts.cut();
        handoffs.forEach(Handoff::complete);
    }
}
