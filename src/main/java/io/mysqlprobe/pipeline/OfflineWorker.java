package io.mysqlprobe.pipeline;

import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowSnapshot;
import io.mysqlprobe.tcp.FlowTable;
import io.mysqlprobe.tcp.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * One decode worker of {@code analyze}. Unlike the live {@link Worker}, a file can wait: the reader blocks
 * when a worker's queue is full, so nothing is dropped. With one worker everything runs on the reader's thread.
 */
final class OfflineWorker {

    private static final int BATCH = 256;
    private static final List<Segment> END = List.of();

    private final FlowTable flows;
    private final WindowAggregator aggregator;
    private final CounterCut counts;
    private final BlockingQueue<List<Segment>> queue;
    private final Thread thread;
    private List<Segment> batch = new ArrayList<>(BATCH);
    private volatile long endTs;
    private volatile Throwable failure;

    /** @param counts cuts the counters of {@code flows} (this worker's own set) by packet time */
    OfflineWorker(int index, FlowTable flows, WindowAggregator aggregator, CounterCut counts, boolean threaded) {
        this.flows = flows;
        this.aggregator = aggregator;
        this.counts = counts;
        if (threaded) {
            queue = new ArrayBlockingQueue<>(64);
            thread = new Thread(this::run, "analyze-" + index);
            thread.setDaemon(true);
            thread.start();
        } else {
            queue = null;
            thread = null;
        }
    }

    /** Called by the reader thread. */
    void accept(Segment s) {
        if (thread == null) {
            decode(s);
            return;
        }
        batch.add(s);
        if (batch.size() >= BATCH) {
            put(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void put(List<Segment> b) {
        try {
            queue.put(b);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing segments to a worker", e);
        }
    }

    private void run() {
        try {
            while (true) {
                List<Segment> b = queue.take();
                if (b == END) {
                    closeAll(endTs);
                    return;
                }
                for (Segment s : b) {
                    decode(s);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private void decode(Segment s) {
        if (s.tsMicros() >= counts.windowEndUs()) {
            counts.moveTo(s.tsMicros());
        }
        flows.accept(s);
    }

    /** Closes every connection at {@code ts}; what that counts (gaps, commands dropped) goes to its window. */
    private void closeAll(long ts) {
        if (ts >= counts.windowEndUs()) {
            counts.moveTo(ts);
        }
        flows.closeAll(ts);
        counts.cut();
    }

    /** End of input: every connection is closed at {@code ts} (holes become gaps) and the worker stops. */
    void finish(long ts) {
        if (thread == null) {
            closeAll(ts);
            return;
        }
        endTs = ts;
        if (!batch.isEmpty()) {
            put(batch);
            batch = new ArrayList<>(0);
        }
        put(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("decode worker failed: " + failure, failure);
        }
    }

    /** The worker's windows; call after {@link #finish}. */
    List<WindowSnapshot> windows() {
        return aggregator.drainAll();
    }
}
