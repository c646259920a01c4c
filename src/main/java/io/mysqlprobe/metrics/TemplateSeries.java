package io.mysqlprobe.metrics;

import io.mysqlprobe.aggregate.LatencySketch;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-template statistics accumulated since start from each published window (never per statement), for the
 * OpenTelemetry-named series on {@code /q/metrics}. Bounded: at most {@code maxTemplates} templates (a
 * template = id on one server and schema) have their own series; the rest are summed per server under
 * {@code template_id="other"}.
 *
 * <p>Who gets a place: a template not yet exported is admitted while places are free, the heaviest of a
 * window (by total time) first; an admitted template keeps its place (so its counters only grow) until it
 * has run no statement for {@code idleMs}: then its series go away and the place is free again. A newcomer
 * that finds no free place is counted under {@code other} — also monotone. Thread-safe.
 *
 * <p>Statuses: a window's template contributes {@code count − errors} statements with no status code and
 * {@code error_codes[errno]} per errno. The latency sketch does not tell which statement failed, so every
 * status gets the template's latency distribution (buckets and sum) in proportion to its count: exact when a
 * template's statements all succeed or all fail with one errno; estimated (and then fractional) otherwise.
 */
public final class TemplateSeries {

    /** Bucket upper bounds: OpenTelemetry's advised 1 ms … 10 s plus finer ones below 1 ms. */
    public static final long[] EDGES_US = {
        50, 100, 250, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000
    };

    static final String OVERFLOW_ID = "0000000000000000";

    /** Cumulative histogram of one (template, status); buckets are cumulative counts at {@link #EDGES_US}. */
    public static final class Histogram {
        final double[] buckets = new double[EDGES_US.length];
        long count;
        double sumSeconds;
        boolean exposed;

        void add(long[] cumulative, long windowCount, long n, double windowSumSeconds) {
            double share = (double) n / windowCount;
            for (int k = 0; k < buckets.length; k++) {
                buckets[k] += n == windowCount ? cumulative[k] : cumulative[k] * share;
            }
            count += n;
            sumSeconds += n == windowCount ? windowSumSeconds : windowSumSeconds * share;
        }
    }

    /** One exported template (or a server's {@code other}): its labels, histograms by status code, rows. */
    public static final class Entry {
        final TemplateLabels labels;
        final Map<String, Histogram> byStatus = new LinkedHashMap<>();
        double rowsSent;
        double rowsAffected;
        long lastActiveMs;
        /** Set by the first scrape, which shows the entry at zero (see {@link TemplateCollector}). */
        boolean exposed;

        Entry(TemplateLabels labels) {
            this.labels = labels;
        }
    }

    private record Key(String id, String server, String db) {}

    private final int maxTemplates;
    private final long idleMs;
    private final Map<Key, Entry> admitted = new HashMap<>();
    private final Map<String, Entry> other = new LinkedHashMap<>();
    private long foldedStatements;
    private long evictedTemplates;
    private long badHistograms;
    private long windows;

    public TemplateSeries(int maxTemplates, long idleMs) {
        if (maxTemplates < 1) {
            throw new IllegalArgumentException("maxTemplates must be positive: " + maxTemplates);
        }
        this.maxTemplates = maxTemplates;
        this.idleMs = idleMs;
    }

    /** Adds one published window's templates; called once per window by the report's publisher. */
    public synchronized void record(Report r) {
        windows++;
        long now = r.window().endMs();
        evictIdle(now);
        List<TemplateSnapshot> newcomers = new ArrayList<>();
        for (TemplateSnapshot t : r.templates()) {
            if (t.count() <= 0) {
                continue;
            }
            Entry e = admitted.get(key(t));
            if (e != null) {
                add(e, t, now);
            } else {
                newcomers.add(t);
            }
        }
        if (admitted.size() < maxTemplates) { // places to give: the heaviest first
            newcomers.sort(Comparator.comparingLong(
                            (TemplateSnapshot t) -> t.latencyUs().sum())
                    .reversed()
                    .thenComparing(TemplateSnapshot::id));
        }
        for (TemplateSnapshot t : newcomers) {
            if (admitted.size() < maxTemplates && !OVERFLOW_ID.equals(t.id())) {
                Entry e = new Entry(TemplateLabels.of(t));
                admitted.put(key(t), e);
                add(e, t, now);
            } else {
                foldedStatements += t.count();
                add(
                        other.computeIfAbsent(
                                t.server() == null ? "" : t.server(), s -> new Entry(TemplateLabels.other(t.server()))),
                        t,
                        now);
            }
        }
    }

    private static Key key(TemplateSnapshot t) {
        return new Key(t.id(), t.server(), t.db());
    }

    private void evictIdle(long now) {
        for (Iterator<Entry> it = admitted.values().iterator(); it.hasNext(); ) {
            if (now - it.next().lastActiveMs > idleMs) {
                it.remove();
                evictedTemplates++;
            }
        }
    }

    private void add(Entry e, TemplateSnapshot t, long now) {
        e.lastActiveMs = now;
        e.rowsSent += t.rowsSent();
        e.rowsAffected += t.rowsAffected();
        long[] cumulative = cumulative(t);
        double sumSeconds = t.latencyUs().sum() / 1e6;
        long failed = 0;
        Map<String, Long> codes = t.errorCodes() == null ? Map.of() : t.errorCodes();
        for (Map.Entry<String, Long> c : codes.entrySet()) {
            if (c.getValue() != null && c.getValue() > 0) {
                failed += c.getValue();
                e.byStatus
                        .computeIfAbsent(c.getKey(), s -> new Histogram())
                        .add(cumulative, t.count(), c.getValue(), sumSeconds);
            }
        }
        long ok = t.count() - failed;
        if (ok > 0) {
            e.byStatus.computeIfAbsent("", s -> new Histogram()).add(cumulative, t.count(), ok, sumSeconds);
        }
    }

    /** The window's cumulative bucket counts; an unreadable sketch puts everything in +Inf (and is counted). */
    private long[] cumulative(TemplateSnapshot t) {
        try {
            LatencySketch s = LatencySketch.decode(t.latencyUs().histogram());
            if (s.count() == t.count()) {
                return s.countsAtOrBelow(EDGES_US);
            }
        } catch (IllegalArgumentException e) {
            // counted below
        }
        badHistograms++;
        return new long[EDGES_US.length];
    }

    /** Visits every exported entry (admitted templates, then each server's {@code other}) under the lock. */
    public synchronized void forEach(java.util.function.Consumer<Entry> visitor) {
        admitted.values().forEach(visitor);
        other.values().forEach(visitor);
    }

    public synchronized int templates() {
        return admitted.size();
    }

    /** Statements summed under {@code other} because no place was free (or the report's own overflow). */
    public synchronized long foldedStatements() {
        return foldedStatements;
    }

    public synchronized long evictedTemplates() {
        return evictedTemplates;
    }

    /** Window templates whose latency sketch could not be read or disagreed with the count. */
    public synchronized long badHistograms() {
        return badHistograms;
    }

    public synchronized long windows() {
        return windows;
    }
}
