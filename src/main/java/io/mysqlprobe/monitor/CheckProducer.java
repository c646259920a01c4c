package io.mysqlprobe.monitor;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The producer of one check type (ProxySQL's monitor_ping_thread and friends): one thread keeping a due
 * time per target, spread evenly over the interval so checks of many backends don't start in one burst,
 * and handing each due check to the worker pool. A target whose previous check is still running is
 * skipped for that round (counted), so a frozen backend cannot pile tasks up in the queue.
 */
final class CheckProducer<T> {

    /** Runs one check; {@code dueNanos} is when it was scheduled to start (for drift). */
    interface CheckRunner<T> {
        void run(T target, long dueNanos);
    }

    private static final long MAX_PARK_NANOS = 100_000_000L;

    private record Slot<T>(T target, long due) {}

    private final String name;
    private final Supplier<List<T>> targets;
    private final LongSupplier version;
    private final IntSupplier intervalMs;
    private final WorkerPool workers;
    private final CheckRunner<T> runner;
    private final Set<T> inFlight = ConcurrentHashMap.newKeySet();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopped;
    private volatile boolean refresh = true;
    private Thread thread;

    CheckProducer(
            String name,
            Supplier<List<T>> targets,
            LongSupplier version,
            IntSupplier intervalMs,
            WorkerPool workers,
            CheckRunner<T> runner) {
        this.name = name;
        this.targets = targets;
        this.version = version;
        this.intervalMs = intervalMs;
        this.workers = workers;
        this.runner = runner;
    }

    void start() {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Re-read targets and interval now (after a configuration change). */
    void wake() {
        refresh = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    void stop() throws InterruptedException {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            t.join(2000);
        }
    }

    long skipped() {
        return skipped.get();
    }

    long dropped() {
        return dropped.get();
    }

    private void loop() {
        PriorityQueue<Slot<T>> queue = new PriorityQueue<>((a, b) -> Long.compare(a.due, b.due));
        long seenVersion = Long.MIN_VALUE;
        int interval = intervalMs.getAsInt();
        while (!stopped) {
            long now = System.nanoTime();
            long v = version.getAsLong();
            int iv = intervalMs.getAsInt();
            if (refresh || v != seenVersion || iv != interval) {
                refresh = false;
                seenVersion = v;
                rebuild(queue, now, interval, iv);
                interval = iv;
            }
            Slot<T> head = queue.peek();
            long wait = head == null ? MAX_PARK_NANOS : Math.min(MAX_PARK_NANOS, head.due - now);
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            queue.poll();
            dispatch(head.target, head.due);
            long next = head.due + interval * 1_000_000L;
            if (next <= now) {
                next = now + interval * 1_000_000L; // fell a whole interval behind: skip, keep the pace
            }
            queue.add(new Slot<>(head.target, next));
        }
    }

    private void rebuild(PriorityQueue<Slot<T>> queue, long now, int oldInterval, int interval) {
        Map<T, Long> due = new HashMap<>();
        for (Slot<T> s : queue) {
            due.put(s.target, interval == oldInterval ? s.due : Math.min(s.due, now + interval * 1_000_000L));
        }
        queue.clear();
        List<T> list = targets.get();
        int n = list.size();
        for (int i = 0; i < n; i++) {
            T t = list.get(i);
            Long d = due.get(t);
            queue.add(new Slot<>(t, d != null ? d : now + (long) i * interval * 1_000_000L / n));
        }
    }

    private void dispatch(T target, long dueNanos) {
        if (!inFlight.add(target)) {
            skipped.incrementAndGet();
            return;
        }
        boolean queued = workers.submit(() -> {
            try {
                runner.run(target, dueNanos);
            } finally {
                inFlight.remove(target);
            }
        });
        if (!queued) {
            inFlight.remove(target);
            dropped.incrementAndGet();
        }
    }
}
