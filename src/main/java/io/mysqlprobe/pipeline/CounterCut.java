package io.mysqlprobe.pipeline;

import io.mysqlprobe.aggregate.WindowClock;

/**
 * Attributes one thread's {@link StageCounters} to report windows by packet time. The owner calls
 * {@link #moveTo} before the first packet at or past {@link #windowEndUs()} (one comparison per packet, nothing
 * else on the packet path): the change of its counters since the last cut belongs to the window of the packets
 * before, and goes to {@link WindowCounts}. {@link #cut()} does the same without moving (a quiet capture thread, a
 * worker asked for its windows). Not thread-safe: the thread that writes the counters cuts them.
 */
final class CounterCut {

    private final StageCounters stage;
    private final WindowCounts windows;
    private final WindowClock clock;
    private Totals last = Totals.empty();
    private long windowStartMs = Long.MIN_VALUE;
    private long windowEndMs = Long.MIN_VALUE;
    private long windowEndUs = Long.MIN_VALUE;

    CounterCut(StageCounters stage, WindowCounts windows, WindowClock clock) {
        this.stage = stage;
        this.windows = windows;
        this.clock = clock;
    }

    /** Packets at or past this time belong to a later window: call {@link #moveTo} first. */
    long windowEndUs() {
        return windowEndUs;
    }

    /** End (ms) of the window the counters are attributed to now; {@link Long#MIN_VALUE} before any packet. */
    long windowEndMs() {
        return windowEndMs;
    }

    /**
     * Cuts, then attributes what follows to the window of {@code tsMicros}; returns that window's end in µs.
     * Counts from before the first packet go to the first packet's window.
     */
    long moveTo(long tsMicros) {
        if (windowStartMs != Long.MIN_VALUE) {
            cut();
        }
        windowStartMs = clock.startOf(Math.floorDiv(tsMicros, 1000));
        windowEndMs = clock.endOf(windowStartMs);
        windowEndUs = windowEndMs >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : windowEndMs * 1000;
        return windowEndUs;
    }

    /**
     * Hands the change since the last cut to the window of the latest packet; before any packet (a file cut short
     * in its first record) to {@link Long#MIN_VALUE}, which the next window published takes.
     */
    void cut() {
        Totals now = stage.totals();
        Totals change = now.minus(last);
        last = now;
        if (!change.isZero()) {
            windows.add(windowStartMs, change);
        }
    }
}
