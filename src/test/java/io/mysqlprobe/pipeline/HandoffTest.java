package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HandoffTest {

    private final ExecutorService worker = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        worker.shutdownNow();
    }

    /**
     * A worker that falls behind by less than the bound, again and again at every phase of emitOn's request
     * cycle, never loses a batch (with onOverflow().drop() before emitOn(16) instead, 350 of these 750 batches
     * were dropped: emitOn's room shrinks to one just before it asks for more), and every batch arrives in order.
     */
    @Test
    void aWorkerBehindByLessThanTheBoundLosesNothing() throws Exception {
        LongAdder dropped = new LongAdder();
        List<Integer> seen = new ArrayList<>();
        Handoff<List<Integer>> h =
                new Handoff<>(worker, 16, b -> seen.addAll(b), List::size, dropped, Throwable::printStackTrace);
        int next = 0;
        for (int round = 0; round < 50; round++) {
            CountDownLatch release = new CountDownLatch(1);
            worker.execute(() -> await(release)); // the worker is busy: batches pile up
            for (int i = 0; i < 15; i++) {
                assertTrue(h.offer(List.of(next++)), "round " + round + " batch " + i);
            }
            release.countDown();
            waitUntilIdle(h);
        }
        assertEquals(0, dropped.sum());
        assertEquals(next, seen.size());
        for (int i = 0; i < next; i++) {
            assertEquals(i, seen.get(i));
        }
    }

    @Test
    void pastTheBoundBatchesAreDroppedAndTheirItemsCounted() throws Exception {
        LongAdder dropped = new LongAdder();
        List<Integer> seen = new ArrayList<>();
        Handoff<List<Integer>> h =
                new Handoff<>(worker, 4, b -> seen.addAll(b), List::size, dropped, Throwable::printStackTrace);
        CountDownLatch release = new CountDownLatch(1);
        worker.execute(() -> await(release));
        for (int i = 0; i < 4; i++) {
            assertTrue(h.offer(List.of(i, i)));
        }
        assertFalse(h.offer(List.of(9, 9, 9)));
        assertEquals(3, dropped.sum());
        release.countDown();
        waitUntilIdle(h);
        assertEquals(List.of(0, 0, 1, 1, 2, 2, 3, 3), seen);
        assertTrue(h.offer(List.of(5)), "room again once the worker caught up");
        waitUntilIdle(h);
        assertEquals(3, dropped.sum());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void waitUntilIdle(Handoff<?> h) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (h.inFlight() > 0) {
            assertTrue(System.nanoTime() < deadline, "worker did not catch up");
            worker.submit(() -> {}).get(10, TimeUnit.SECONDS);
        }
    }
}
