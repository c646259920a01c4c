package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.testsupport.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkerThreadTest {

    private final WorkerThread worker = new WorkerThread("decode-test");

    @AfterEach
    void stop() throws InterruptedException {
        worker.stop(2000);
    }

    /** Batches through the real hand-off (Mutiny emitOn this thread) arrive all, in order, none dropped. */
    @Test
    void theHandOffsBatchesRunInOrderOnTheWorkerThread() throws Exception {
        List<Integer> seen = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        LongAdder dropped = new LongAdder();
        Handoff<List<Integer>> h = new Handoff<>(
                worker,
                1024,
                b -> {
                    seen.addAll(b);
                    threads.add(Thread.currentThread().getName());
                },
                List::size,
                dropped,
                Throwable::printStackTrace);
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(i);
            assertTrue(h.offer(List.of(i)));
        }
        Await.until("every batch processed", Duration.ofSeconds(5), () -> seen.size() == 500);
        assertEquals(sent, seen);
        assertEquals(0, dropped.sum());
        assertTrue(threads.stream().allMatch("decode-test"::equals), threads.toString());
    }

    /**
     * A thread asleep without a deadline (idle longer than {@link WorkerThread#IDLE_NANOS}) is woken by a task; the
     * report path's call runs after the batches queued before it.
     */
    @Test
    void anIdleThreadIsWokenAndTheReportPathRunsAfterQueuedBatches() throws Exception {
        Await.until("asleep without a deadline", Duration.ofSeconds(2), worker::asleep);
        CountDownLatch ran = new CountDownLatch(1);
        worker.execute(ran::countDown); // nothing else would wake it
        assertTrue(ran.await(2, TimeUnit.SECONDS));

        List<String> order = Collections.synchronizedList(new ArrayList<>());
        worker.execute(() -> order.add("batch")); // lingering: not woken for this one
        CompletableFuture<Void> report = CompletableFuture.runAsync(() -> order.add("report"), worker::executeNow);
        report.get(2, TimeUnit.SECONDS);
        assertEquals(List.of("batch", "report"), order);
    }

    /** A failing task is logged; the tasks after it still run. Stopping runs what was queued, then refuses. */
    @Test
    void aFailingTaskDoesNotStopTheThreadAndStopRefusesNewTasks() throws Exception {
        CountDownLatch after = new CountDownLatch(1);
        worker.execute(() -> {
            throw new IllegalStateException("expected by the test");
        });
        worker.execute(after::countDown);
        assertTrue(after.await(2, TimeUnit.SECONDS));
        assertFalse(worker.stopped());

        CountDownLatch queued = new CountDownLatch(1);
        worker.execute(queued::countDown);
        worker.stop(2000);
        assertTrue(queued.await(0, TimeUnit.SECONDS), "a task queued before stop ran");
        assertTrue(worker.stopped());
        assertThrows(RejectedExecutionException.class, () -> worker.execute(() -> {}));
    }
}
