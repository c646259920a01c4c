package io.mysqlprobe.pipeline;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The capture thread's hand-off of batches to one decode worker: a Mutiny stream (emitter → {@code emitOn} the
 * worker's executor) whose bound is kept here, as batches queued or in process. At the bound a batch is dropped
 * and its items counted; the capture thread never blocks.
 *
 * <p>The bound is not left to {@code onOverflow().drop()} in front of {@code emitOn(executor, n)}: emitOn asks its
 * upstream for n more only once it has passed n on, so just before that its free room is one item whatever its
 * queue holds, and a worker a few batches behind at that moment lost batches (0.05–0.1 % of the statements under
 * sysbench). Here the emitter buffers whatever emitOn has not asked for yet, and the count above bounds the
 * total.
 */
final class Handoff<T> {

    private final int bound;
    private final ToIntFunction<T> size;
    private final LongAdder dropped;
    private final AtomicInteger inFlight = new AtomicInteger();
    private MultiEmitter<? super T> emitter;

    /**
     * @param bound    batches queued or in process at most
     * @param consumer runs on {@code executor}, one batch at a time, in order
     * @param size     the items of a batch, for {@code dropped}
     */
    Handoff(
            Executor executor,
            int bound,
            Consumer<T> consumer,
            ToIntFunction<T> size,
            LongAdder dropped,
            Consumer<Throwable> onFailure) {
        this.bound = bound;
        this.size = size;
        this.dropped = dropped;
        Multi.createFrom()
                .<T>emitter(e -> emitter = e, BackPressureStrategy.BUFFER)
                .emitOn(executor, bound)
                .subscribe()
                .with(
                        batch -> {
                            try {
                                consumer.accept(batch);
                            } finally {
                                inFlight.decrementAndGet();
                            }
                        },
                        onFailure);
    }

    /** Hands {@code batch} over; false, and its items counted as dropped, when the worker has {@code bound}. */
    boolean offer(T batch) {
        if (inFlight.get() >= bound) {
            dropped.add(size.applyAsInt(batch));
            return false;
        }
        inFlight.incrementAndGet();
        emitter.emit(batch);
        return true;
    }

    /** Batches queued or in process. */
    int inFlight() {
        return inFlight.get();
    }

    void complete() {
        emitter.complete();
    }
}
