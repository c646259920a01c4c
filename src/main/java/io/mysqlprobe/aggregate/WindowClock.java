package io.mysqlprobe.aggregate;

/**
 * Cuts time into report windows aligned to the wall clock (every slave's windows line up: a 10 s window
 * starts at a multiple of 10 s since the epoch). A new interval takes effect at the end of the window in
 * progress: the first window after the change runs to the next multiple of the new interval.
 * Thread-safe: workers ask it, the HTTP API changes it.
 */
public final class WindowClock {

    private record Rule(long fromMs, long intervalMs, Rule before) {}

    private volatile Rule rule;
    /** Interval changes so far: {@link #startOf} and {@link #endOf} give what they gave while it stays the same. */
    private volatile int changes;

    public WindowClock(long intervalMs) {
        this.rule = new Rule(Long.MIN_VALUE, intervalMs, null);
    }

    /** How many times the rules changed: a caller may keep what the clock said while this stays the same. */
    public int changes() {
        return changes;
    }

    public long intervalMs() {
        return rule.intervalMs;
    }

    /** Start of the window holding {@code tsMs}. */
    public long startOf(long tsMs) {
        Rule r = ruleFor(rule, tsMs);
        long aligned = Math.floorDiv(tsMs, r.intervalMs) * r.intervalMs;
        return Math.max(aligned, r.fromMs);
    }

    /** End (exclusive) of the window starting at {@code startMs}. */
    public long endOf(long startMs) {
        Rule head = rule;
        Rule newer = null;
        Rule r = head;
        while (r.before != null && startMs < r.fromMs) {
            newer = r;
            r = r.before;
        }
        long end = Math.floorDiv(startMs, r.intervalMs) * r.intervalMs + r.intervalMs;
        return newer != null && newer.fromMs < end ? newer.fromMs : end;
    }

    private static Rule ruleFor(Rule head, long tsMs) {
        Rule r = head;
        while (r.before != null && tsMs < r.fromMs) {
            r = r.before;
        }
        return r;
    }

    /** Changes the interval from the end of the window holding {@code nowMs}. */
    public synchronized void changeInterval(long intervalMs, long nowMs) {
        long from = endOf(startOf(nowMs));
        Rule current = ruleFor(rule, nowMs);
        if (intervalMs == current.intervalMs && current == rule) {
            return;
        }
        // older rules only matter for statements from before the window in progress: dropped
        rule = new Rule(from, intervalMs, new Rule(current.fromMs, current.intervalMs, null));
        changes++;
    }
}
