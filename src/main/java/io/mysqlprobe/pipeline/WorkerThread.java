package io.mysqlprobe.pipeline;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A decode worker's thread and its task queue, run in order. As an {@link Executor} (what the capture thread's
 * Mutiny hand-off runs batches on) it does not wake a busy thread: while work keeps coming the thread starts a
 * round every {@link #LINGER_NANOS} (at once after a round that took longer) and takes every batch that came
 * meanwhile in it. Handing each
 * batch over by waking the thread (a thread-pool queue's futex wake and park) cost a wake-up per batch: 240 a
 * second per worker under sysbench oltp_read_write, and the capture thread a futex wake each; here it is at most
 * 1 s / {@link #LINGER_NANOS} (48 a second measured). A thread that had nothing to do for {@link #IDLE_NANOS}
 * sleeps until woken, so a quiet probe does not tick. {@link #executeNow} (the report path) wakes it at once.
 *
 * <p>The hand-off's bound ({@code probe.queue_batches}, 1024 by default) must hold the batches of one linger.
 */
final class WorkerThread implements Executor {

    private static final Logger LOG = Logger.getLogger(WorkerThread.class.getName());

    /** Longest a batch waits for its thread: far inside the report grace (≥ 250 ms, the window being ≥ 1 s). */
    static final long LINGER_NANOS = 20_000_000L;
    /** Nothing to do for this long: the thread sleeps until a task wakes it. */
    static final long IDLE_NANOS = 100_000_000L;

    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Sleeping without a deadline: a task must wake it. */
    private volatile boolean asleep;

    private volatile boolean stopped;

    WorkerThread(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on this thread within {@link #LINGER_NANOS}, after the tasks already queued. */
    @Override
    public void execute(Runnable task) {
        enqueue(task);
        if (asleep) {
            LockSupport.unpark(thread);
        }
    }

    /** Runs {@code task} on this thread as soon as the tasks already queued have run. */
    void executeNow(Runnable task) {
        enqueue(task);
        LockSupport.unpark(thread);
    }

    private void enqueue(Runnable task) {
        if (stopped) {
            throw new RejectedExecutionException(thread.getName() + " stopped");
        }
        tasks.offer(task);
    }

    /** Stopped, or its thread ended (a VirtualMachineError): the worker no longer runs. */
    boolean stopped() {
        return stopped || !thread.isAlive();
    }

    /** Asleep until a task wakes it (tests). */
    boolean asleep() {
        return asleep;
    }

    /** Stops taking tasks, lets the queued ones run, waits at most {@code millis} for the thread to end. */
    void stop(long millis) throws InterruptedException {
        stopped = true;
        LockSupport.unpark(thread);
        thread.join(millis);
    }

    private void loop() {
        long roundStart = System.nanoTime();
        long idleSince = roundStart;
        boolean worked = false;
        while (true) {
            Runnable task = tasks.poll();
            if (task != null) {
                run(task);
                worked = true;
                continue;
            }
            if (stopped) {
                return;
            }
            long now = System.nanoTime();
            if (worked) {
                idleSince = now; // a round ended
                worked = false;
            }
            if (now - idleSince < IDLE_NANOS) {
                // rounds start LINGER_NANOS apart: a round that took that long (a busy worker) is followed at once
                long rest = LINGER_NANOS - (now - roundStart);
                if (rest > 0) {
                    LockSupport.parkNanos(this, rest);
                }
                roundStart = System.nanoTime();
                continue;
            }
            asleep = true; // then look again: a task queued before this write is seen, one after it wakes us
            if (tasks.isEmpty() && !stopped) {
                LockSupport.park(this);
            }
            asleep = false;
            roundStart = System.nanoTime();
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) { // a task's failure is its own (futures, the stream's onFailure)
            LOG.log(Level.SEVERE, "decode worker task failed", e);
            if (e instanceof VirtualMachineError) {
                throw e;
            }
        }
    }
}
