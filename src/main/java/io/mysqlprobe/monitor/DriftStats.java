package io.mysqlprobe.monitor;

import java.util.Arrays;

/** The last {@code capacity} check-start drifts (actual start − scheduled start, µs), for percentiles. */
final class DriftStats {

    private final long[] ring;
    private long count;

    DriftStats(int capacity) {
        ring = new long[capacity];
    }

    synchronized void add(long driftUs) {
        ring[(int) (count++ % ring.length)] = driftUs;
    }

    synchronized void clear() {
        count = 0;
    }

    synchronized long count() {
        return count;
    }

    /** The p-th percentile (0..100) of the retained samples, or 0 when there are none. */
    synchronized long percentile(double p) {
        int n = (int) Math.min(count, ring.length);
        if (n == 0) {
            return 0;
        }
        long[] copy = Arrays.copyOf(ring, n);
        Arrays.sort(copy);
        int idx = (int) Math.ceil(p / 100.0 * n) - 1;
        return copy[Math.max(0, Math.min(n - 1, idx))];
    }
}
