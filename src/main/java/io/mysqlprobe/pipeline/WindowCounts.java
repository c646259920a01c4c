package io.mysqlprobe.pipeline;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counter changes by report window (keyed by the window's start, from packet time), handed in by each thread's
 * {@link CounterCut} and taken out when a window is published. Whatever arrives for a window already taken (a
 * lagging thread) stays here and goes out with the next window: late, never lost. Touched once per window per
 * thread, not per packet, so one lock is enough.
 */
final class WindowCounts {

    /** Windows held at most; beyond, the oldest is folded into the next (a publisher that stopped taking). */
    static final int MAX_WINDOWS = 256;

    private final TreeMap<Long, Totals> byStart = new TreeMap<>();

    synchronized void add(long startMs, Totals change) {
        byStart.merge(startMs, change, Totals::plus);
        if (byStart.size() > MAX_WINDOWS) {
            Map.Entry<Long, Totals> oldest = byStart.pollFirstEntry();
            byStart.merge(byStart.firstKey(), oldest.getValue(), Totals::plus);
        }
    }

    /** Removes and sums every window starting before {@code endMs} (the window published and any late ones). */
    synchronized Totals takeBefore(long endMs) {
        Totals sum = Totals.empty();
        Iterator<Map.Entry<Long, Totals>> it = byStart.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Totals> e = it.next();
            if (e.getKey() >= endMs) {
                break;
            }
            sum = sum.plus(e.getValue());
            it.remove();
        }
        return sum;
    }

    synchronized int size() {
        return byStart.size();
    }
}
