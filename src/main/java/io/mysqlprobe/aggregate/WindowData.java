package io.mysqlprobe.aggregate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One window's statistics by template key, with a bound on distinct keys: statements of keys beyond it
 * go to one overflow entry per server, counted in {@link #overflowedStatements()}. Mutable, one owner, never
 * outside this package: {@link #freeze()} hands it over as a {@link WindowSnapshot}.
 */
final class WindowData {

    /**
     * Total time, then count, then the key: a stable order whatever the hash maps did. Ids compare as their
     * 16-digit hex form (the order of the unsigned 64-bit digests).
     */
    private static final java.util.Comparator<TemplateSnapshot> BUSIEST_FIRST = java.util.Comparator.comparingLong(
                    (TemplateSnapshot t) -> t.latencyUs().sum())
            .reversed()
            .thenComparing(
                    java.util.Comparator.comparingLong(TemplateSnapshot::count).reversed())
            .thenComparing(TemplateSnapshot::id)
            .thenComparing(t -> String.valueOf(t.server()))
            .thenComparing(t -> String.valueOf(t.db()));

    private final long startMs;
    private final long endMs;
    private final Map<TemplateKey, TemplateStats> stats = new HashMap<>();
    private long overflowedStatements;
    private long lateStatements;
    private long aggregatedStatements;

    public WindowData(long startMs, long endMs) {
        this.startMs = startMs;
        this.endMs = endMs;
    }

    public long startMs() {
        return startMs;
    }

    public long endMs() {
        return endMs;
    }

    TemplateStats get(TemplateKey key) {
        return stats.get(key);
    }

    void put(TemplateKey key, TemplateStats s) {
        stats.put(key, s);
    }

    int size() {
        return stats.size();
    }

    void countOverflow() {
        overflowedStatements++;
    }

    void countLate() {
        lateStatements++;
    }

    void countStatement() {
        aggregatedStatements++;
    }

    /**
     * Statements the aggregator put in this window, counted one by one as they went into a template (overflow and
     * late ones included): the window's {@code capture.statements}, equal to {@link #statements()} by construction.
     */
    public long aggregatedStatements() {
        return aggregatedStatements;
    }

    public long overflowedStatements() {
        return overflowedStatements;
    }

    /** Statements that finished in a window already published, counted in this one instead. */
    public long lateStatements() {
        return lateStatements;
    }

    public long statements() {
        long n = 0;
        for (TemplateStats s : stats.values()) {
            n += s.count;
        }
        return n;
    }

    void addCounts(long aggregated, long late, long overflowed) {
        aggregatedStatements += aggregated;
        lateStatements += late;
        overflowedStatements += overflowed;
    }

    /** The immutable window for the stages after aggregation. */
    WindowSnapshot freeze() {
        return new WindowSnapshot(
                startMs, endMs, snapshot(), aggregatedStatements, lateStatements, overflowedStatements);
    }

    /** Adds one key's statistics (taking ownership of {@code s}): merged with what the key has, never overwriting. */
    void mergeIn(TemplateKey key, TemplateStats s) {
        TemplateStats mine = stats.get(key);
        if (mine == null) {
            stats.put(key, s);
        } else {
            mine.merge(s);
        }
    }

    /** Adds {@code other}'s statistics into this window (same key → merged, never overwritten). */
    void merge(WindowData other) {
        other.stats.forEach(this::mergeIn);
        overflowedStatements += other.overflowedStatements;
        lateStatements += other.lateStatements;
        aggregatedStatements += other.aggregatedStatements;
    }

    /** Immutable snapshots, busiest templates (by total time) first. */
    List<TemplateSnapshot> snapshot() {
        List<TemplateSnapshot> out = new ArrayList<>(stats.size());
        stats.forEach((k, v) -> out.add(v.snapshot(k)));
        out.sort(BUSIEST_FIRST);
        return out;
    }
}
