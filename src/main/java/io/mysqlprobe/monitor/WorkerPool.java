package io.mysqlprobe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The check workers, as ProxySQL 1.2.1+ has them: producers put tasks on one bounded queue, {@code
 * threads_min} permanent workers take them, and when the queue holds more than {@code threads_queue_maxsize}
 * tasks a temporary worker is started (up to {@code threads_max} workers in all). A temporary worker
 * retires once the queue has drained: it finds the queue empty and no backlog (more than
 * threads_queue_maxsize queued) has been seen for {@code retireAfterMs}, or it waited that long for a
 * task. The time hysteresis keeps a recurring backlog from making workers come and go on every burst,
 * and lets a steady load shrink the pool back to the permanent workers. When the queue itself is full
 * (16 × threads_queue_maxsize) a task is dropped and counted: producers never block.
 */
public final class WorkerPool {

    private static final Logger LOG = Logger.getLogger(WorkerPool.class.getName());

    /** Queue length and worker counts, for {@code /monitor/servers} and metrics. */
    public record Stats(
            @JsonProperty("queue_length") int queueLength,
            @JsonProperty("queue_capacity") int queueCapacity,
            @JsonProperty("workers") int workers,
            @JsonProperty("temporary_workers") int temporaryWorkers,
            @JsonProperty("peak_workers") int peakWorkers,
            @JsonProperty("tasks_done") long tasksDone,
            @JsonProperty("tasks_dropped") long tasksDropped) {}

    private final String name;
    private final BlockingQueue<Runnable> queue;
    private final long retireAfterMs;
    private final AtomicInteger permanent = new AtomicInteger();
    private final AtomicInteger temporary = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicInteger threadSeq = new AtomicInteger();
    private volatile int minWorkers;
    private volatile int maxWorkers;
    private volatile int queueMaxsize;
    private volatile boolean stopped;
    private volatile long lastBacklogNanos = System.nanoTime();

    public WorkerPool(String name, int minWorkers, int maxWorkers, int queueMaxsize, long retireAfterMs) {
        this.name = name;
        this.queue = new ArrayBlockingQueue<>(Math.max(16, queueMaxsize) * 16);
        this.retireAfterMs = retireAfterMs;
        resize(minWorkers, maxWorkers, queueMaxsize);
    }

    /** Live change of threads_min / threads_max / threads_queue_maxsize (the hard queue capacity stays). */
    public synchronized void resize(int minWorkers, int maxWorkers, int queueMaxsize) {
        this.minWorkers = minWorkers;
        this.maxWorkers = Math.max(minWorkers, maxWorkers);
        this.queueMaxsize = queueMaxsize;
        while (!stopped && permanent.get() < minWorkers) {
            permanent.incrementAndGet();
            startThread(false);
        }
        // surplus permanent workers notice minWorkers and leave on their next idle poll
    }

    /** Queues a task; false (and counted) when the queue is full or the pool stopped. */
    public boolean submit(Runnable task) {
        if (stopped || !queue.offer(task)) {
            dropped.incrementAndGet();
            return false;
        }
        maybeGrow();
        return true;
    }

    private void maybeGrow() {
        if (queue.size() <= queueMaxsize) {
            return;
        }
        lastBacklogNanos = System.nanoTime();
        while (true) {
            int t = temporary.get();
            if (permanent.get() + t >= maxWorkers) {
                return;
            }
            if (temporary.compareAndSet(t, t + 1)) {
                startThread(true);
                return;
            }
        }
    }

    private void startThread(boolean temp) {
        Thread th = new Thread(() -> run(temp), name + (temp ? "-temp-" : "-") + threadSeq.incrementAndGet());
        th.setDaemon(true);
        th.start();
        peak.accumulateAndGet(permanent.get() + temporary.get(), Math::max);
    }

    private void run(boolean temp) {
        try {
            while (!stopped) {
                Runnable task = queue.poll(retireAfterMs, TimeUnit.MILLISECONDS);
                if (task == null) {
                    if (temp) {
                        return;
                    }
                    if (retirePermanentIfSurplus()) {
                        return;
                    }
                    continue;
                }
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(Level.SEVERE, "monitor task failed", e);
                } finally {
                    done.incrementAndGet();
                }
                if (temp && queue.isEmpty() && System.nanoTime() - lastBacklogNanos > retireAfterMs * 1_000_000) {
                    return;
                }
            }
            if (!temp) {
                permanent.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (temp) {
                temporary.decrementAndGet();
            }
        }
    }

    private synchronized boolean retirePermanentIfSurplus() {
        if (permanent.get() > minWorkers) {
            permanent.decrementAndGet();
            return true;
        }
        return false;
    }

    public Stats stats() {
        return new Stats(
                queue.size(),
                queue.size() + queue.remainingCapacity(),
                permanent.get() + temporary.get(),
                temporary.get(),
                peak.get(),
                done.get(),
                dropped.get());
    }

    /** Stops taking tasks; queued tasks are discarded, running ones finish on their own deadline. */
    public void shutdown() {
        stopped = true;
        queue.clear();
    }
}
