package io.mysqlprobe.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    static void await(BooleanSupplier cond, long ms, String what) throws Exception {
        io.mysqlprobe.testsupport.Await.until(what, java.time.Duration.ofMillis(ms), cond::getAsBoolean);
    }

    @Test
    void growsTemporaryWorkersWhenQueueBacksUpAndRetiresThem() throws Exception {
        WorkerPool pool = new WorkerPool("test", 2, 6, 16, 100);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        Runnable blocker = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ran.incrementAndGet();
        };
        for (int i = 0; i < 16; i++) {
            assertTrue(pool.submit(blocker));
        }
        await(() -> pool.stats().queueLength() <= 14, 2000, "permanent workers to take two tasks");
        assertEquals(0, pool.stats().temporaryWorkers(), "queue at or below threads_queue_maxsize: no growth");
        for (int i = 0; i < 10; i++) {
            assertTrue(pool.submit(blocker));
        }
        await(() -> pool.stats().workers() == 6, 2000, "growth to threads_max");
        assertEquals(4, pool.stats().temporaryWorkers());
        assertEquals(6, pool.stats().peakWorkers());
        release.countDown();
        await(() -> ran.get() == 26, 5000, "all tasks");
        await(() -> pool.stats().temporaryWorkers() == 0, 2000, "temporary workers to retire");
        assertEquals(2, pool.stats().workers());
        assertEquals(26, pool.stats().tasksDone());
        pool.shutdown();
    }

    @Test
    void dropsWhenTheBoundedQueueIsFull() throws Exception {
        WorkerPool pool = new WorkerPool("test", 2, 4, 16, 100);
        CountDownLatch release = new CountDownLatch(1);
        Runnable blocker = () -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        int accepted = 0;
        for (int i = 0; i < 16 * 16 + 10; i++) {
            if (pool.submit(blocker)) {
                accepted++;
            }
        }
        assertTrue(accepted >= 16 * 16 && accepted <= 16 * 16 + 4, "accepted " + accepted);
        assertTrue(pool.stats().tasksDropped() > 0);
        release.countDown();
        pool.shutdown();
        assertFalse(pool.submit(blocker));
    }
}
