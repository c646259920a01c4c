package io.mysqlprobe;

import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowData;
import io.mysqlprobe.tcp.FlowTable;
import io.mysqlprobe.tcp.Segment;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One decode worker: a single thread that owns a flow table (and so the connection decoders behind it)
 * and a window aggregator. Every call runs on its executor, so nothing it owns needs a lock.
 */
final class Worker implements AutoCloseable {

    private static final long SWEEP_EVERY_MICROS = 1_000_000L;

    private final ExecutorService executor;
    private final FlowTable flows;
    private final WindowAggregator aggregator;
    private final long idleMicros;
    private long lastSweepTs;
    /** Held statements wait at most half the publish grace (≥ 125 ms): swept often enough to keep that bound. */
    private static final long HANDLER_SWEEP_EVERY_MICROS = 50_000L;
    private long lastHandlerSweepTs;
    private long lastTs;

    Worker(int index, FlowTable flows, WindowAggregator aggregator, long idleMicros) {
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "decode-" + index);
            t.setDaemon(true);
            return t;
        });
        this.flows = flows;
        this.aggregator = aggregator;
        this.idleMicros = idleMicros;
    }

    ExecutorService executor() {
        return executor;
    }

    /** Runs on the worker thread (Mutiny's emitOn). */
    void process(List<Segment> batch) {
        for (Segment s : batch) {
            flows.accept(s);
            lastTs = s.tsMicros();
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

    /** Hands over this worker's windows that end at or before {@code cutoffMs}. */
    CompletableFuture<List<WindowData>> drainBefore(long cutoffMs) {
        return CompletableFuture.supplyAsync(() -> aggregator.drainBefore(cutoffMs), executor);
    }

    /** Shutdown: statements still held for a lookup go out (under their placeholder) before the last window. */
    CompletableFuture<Void> releaseHeld() {
        return CompletableFuture.runAsync(() -> flows.sweepHandlers(Long.MAX_VALUE), executor);
    }

    CompletableFuture<List<WindowData>> drainAll() {
        return CompletableFuture.supplyAsync(aggregator::drainAll, executor);
    }

    CompletableFuture<Integer> connections() {
        return CompletableFuture.supplyAsync(flows::size, executor);
    }

    boolean alive() {
        return !executor.isShutdown();
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
