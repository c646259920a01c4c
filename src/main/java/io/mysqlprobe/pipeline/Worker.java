package io.mysqlprobe.pipeline;

import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowSnapshot;
import io.mysqlprobe.tcp.FlowTable;
import io.mysqlprobe.tcp.Segment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One decode worker: a single thread that owns a flow table (and so the connection decoders behind it)
 * and a window aggregator. Every call runs on its thread, so nothing it owns needs a lock: batches within the
 * thread's linger ({@link WorkerThread}), the report path's calls at once.
 */
final class Worker implements AutoCloseable {

    private static final long SWEEP_EVERY_MICROS = 1_000_000L;

    private final WorkerThread thread;
    /** The report path's calls: they wake the thread. */
    private final Executor now;

    private final FlowTable flows;
    private final WindowAggregator aggregator;
    private final long idleMicros;
    private final CounterCut counts;
    private long lastSweepTs;
    /** Held statements wait at most half the publish grace (≥ 125 ms): swept often enough to keep that bound. */
    private static final long HANDLER_SWEEP_EVERY_MICROS = 50_000L;

    private long lastHandlerSweepTs;
    private long lastTs;
    private final BatchWarmer warmer = new BatchWarmer();

    /** @param counts cuts the counters of {@code flows} (this worker's own set) by packet time */
    Worker(int index, FlowTable flows, WindowAggregator aggregator, long idleMicros, CounterCut counts) {
        this.thread = new WorkerThread("decode-" + index);
        this.now = thread::executeNow;
        this.flows = flows;
        this.aggregator = aggregator;
        this.idleMicros = idleMicros;
        this.counts = counts;
    }

    /** Where the hand-off runs batches ({@link #process}): within the thread's linger, without waking it. */
    Executor executor() {
        return thread;
    }

    /**
     * Runs on the worker thread (Mutiny's emitOn). The segments' bytes are valid during the call only: nothing
     * downstream keeps them (the reassembler copies what waits for a hole, the framer what it keeps of a packet).
     */
    void process(SegmentBatch batch) {
        warmer.warm(batch);
        long windowEndUs = counts.windowEndUs();
        for (int i = 0, n = batch.size(); i < n; i++) {
            Segment s = batch.get(i);
            long ts = s.tsMicros();
            if (ts >= windowEndUs) {
                windowEndUs = counts.moveTo(ts);
            }
            flows.accept(s);
            lastTs = ts;
        }
        if (lastTs - lastHandlerSweepTs > HANDLER_SWEEP_EVERY_MICROS) {
            flows.sweepHandlers(lastTs); // statements held for a lookup go out on quiet connections too
            lastHandlerSweepTs = lastTs;
        }
        if (lastTs - lastSweepTs > SWEEP_EVERY_MICROS) {
            flows.evictIdle(lastTs, idleMicros);
            lastSweepTs = lastTs;
        }
    }

    /**
     * Hands over this worker's windows that end at or before {@code cutoffMs}, its counters cut first (so the
     * window of its latest packet has them, even when no later packet came).
     */
    CompletableFuture<List<WindowSnapshot>> drainBefore(long cutoffMs) {
        return CompletableFuture.supplyAsync(
                () -> {
                    counts.cut();
                    return aggregator.drainBefore(cutoffMs);
                },
                now);
    }

    /** Shutdown: statements still held for a lookup go out (under their placeholder) before the last window. */
    CompletableFuture<Void> releaseHeld() {
        return CompletableFuture.runAsync(() -> flows.sweepHandlers(Long.MAX_VALUE), now);
    }

    /** Probe shutdown: every connection is closed, its commands still waiting for a response counted as incomplete. */
    CompletableFuture<Void> closeFlows() {
        return CompletableFuture.runAsync(() -> flows.closeAll(lastTs), now);
    }

    CompletableFuture<Integer> connections() {
        return CompletableFuture.supplyAsync(flows::size, now);
    }

    boolean alive() {
        return !thread.stopped();
    }

    @Override
    public void close() {
        try {
            thread.stop(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
