package io.mysqlprobe.fingerprint;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * At most {@code perSecond} permits a second on average, with bursts of up to a second's worth; lock-free (the
 * generic cell rate algorithm: one "theoretical arrival time" moved forward by each permit).
 */
final class RateLimit {

    private final long intervalNanos;
    private final long burstNanos;
    private final LongSupplier clock;
    private final AtomicLong theoreticalArrival;

    RateLimit(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    RateLimit(int perSecond, LongSupplier clock) {
        this.intervalNanos = 1_000_000_000L / Math.max(1, perSecond);
        this.burstNanos = 1_000_000_000L;
        this.clock = clock;
        this.theoreticalArrival = new AtomicLong(clock.getAsLong());
    }

    boolean tryAcquire() {
        long now = clock.getAsLong();
        while (true) {
            long tat = theoreticalArrival.get();
            long base = Math.max(tat, now);
            if (base + intervalNanos - now > burstNanos) {
                return false;
            }
            if (theoreticalArrival.compareAndSet(tat, base + intervalNanos)) {
                return true;
            }
        }
    }
}
