package io.mysqlprobe.cluster;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects slaves' window reports, identified by (node, window start), and releases merged windows in start
 * order: a window goes out once every expected slave has delivered it, or {@code graceMs} after its end.
 * A second copy of a (node, window) already held or published is a duplicate and ignored (replays after a
 * reconnect are harmless); a slave's window that arrives after its window went out is late: it is merged into
 * the next window published (templates and capture section, listed in {@code sources} under its address and
 * window) and its statements counted in that window's {@code late_statements} and in {@link #lateReports()}, as a
 * slave counts a late statement in the window it is put in; so every window's {@code capture.statements} stays
 * the sum of its templates' counts. Thread-safe (one lock); no clock of its own.
 */
public final class WindowMerger {

    /** What {@link #offer} did with a report. */
    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        LATE
    }

    private static final int PUBLISHED_MEMORY = 256;

    private final TreeMap<Long, Map<String, Report>> pending = new TreeMap<>();
    /** window start → nodes merged into it, for the last {@link #PUBLISHED_MEMORY} published windows. */
    private final LinkedHashMap<Long, Set<String>> published = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Set<String>> e) {
            return size() > PUBLISHED_MEMORY;
        }
    };

    private long lastPublishedStart = Long.MIN_VALUE;
    /** Late windows held for the next window published, by "address (late window START)". */
    private final Map<String, Report> lateToMerge = new LinkedHashMap<>();

    private long lateStatementsToReport;
    private long lateReports;
    private long duplicates;

    /** @param source the slave's address, the identity windows are deduplicated by */
    public synchronized Outcome offer(String source, Report r) {
        long start = r.window().startMs();
        Set<String> done = published.get(start);
        if (done != null && done.contains(source)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        if (start <= lastPublishedStart) {
            if (done == null && start < oldestRemembered()) {
                duplicates++; // too old to tell: a replay from before our memory, never counted twice
                return Outcome.DUPLICATE;
            }
            lateReports++;
            lateStatementsToReport += statements(r);
            lateToMerge.put(source + " (late window " + start + ")", withoutConnectionsGauge(r));
            if (done != null) {
                done.add(source);
            }
            return Outcome.LATE;
        }
        Map<String, Report> w = pending.computeIfAbsent(start, k -> new LinkedHashMap<>());
        if (w.containsKey(source)) {
            duplicates++;
            return Outcome.DUPLICATE;
        }
        w.put(source, r);
        return Outcome.ACCEPTED;
    }

    /** A late window's {@code connections} (a gauge, not a count) would count the slave's connections twice. */
    private static Report withoutConnectionsGauge(Report r) {
        Report.CaptureSection c = r.capture();
        if (c == null) {
            return r;
        }
        Report.CaptureSection z = new Report.CaptureSection(
                c.packets(),
                c.bytes(),
                c.kernelDropped(),
                c.interfaceDropped(),
                c.queueDropped(),
                c.streamGaps(),
                c.decodeErrors(),
                c.decodeErrorsByKind(),
                c.tlsConnections(),
                c.unmatchedResponses(),
                c.resyncs(),
                0,
                c.connectionsOpened(),
                c.connectionsEvicted(),
                c.statements(),
                c.lateStatements(),
                c.templatesOverflowed(),
                c.otherSkipped());
        return new Report(r.node(), r.role(), r.cluster(), r.window(), z, r.templates(), r.sources(), r.monitor());
    }

    private long oldestRemembered() {
        return published.isEmpty()
                ? Long.MIN_VALUE
                : published.keySet().iterator().next();
    }

    private static long statements(Report r) {
        long n = 0;
        if (r.templates() != null) {
            for (TemplateSnapshot t : r.templates()) {
                n += t.count();
            }
        }
        return n;
    }

    /**
     * The windows ready at {@code nowMs}, oldest first, merged. A window waits for an older one still pending
     * (so windows go out in order), at most until its own grace ends.
     *
     * @param expected sources whose window we wait for (the connected slaves)
     * @param report   builds the merged report: (start, end, parts, late statements) → report
     */
    public synchronized List<Report> poll(long nowMs, Set<String> expected, long graceMs, Merge report) {
        List<Report> out = new ArrayList<>();
        while (!pending.isEmpty()) {
            Map.Entry<Long, Map<String, Report>> e = pending.firstEntry();
            Map<String, Report> parts = e.getValue();
            long end = endOf(parts);
            boolean complete = parts.keySet().containsAll(expected);
            if (!complete && nowMs < end + graceMs) {
                break;
            }
            pending.pollFirstEntry();
            long late = lateStatementsToReport;
            lateStatementsToReport = 0;
            Map<String, Report> merged = new LinkedHashMap<>(parts);
            merged.putAll(lateToMerge);
            lateToMerge.clear();
            out.add(report.build(e.getKey(), end, merged, late));
            published.put(e.getKey(), new java.util.HashSet<>(parts.keySet()));
            lastPublishedStart = e.getKey();
        }
        return out;
    }

    /** Builds a merged report. */
    @FunctionalInterface
    public interface Merge {
        Report build(long startMs, long endMs, Map<String, Report> parts, long lateStatements);
    }

    private static long endOf(Map<String, Report> parts) {
        long end = 0;
        for (Report r : parts.values()) {
            end = Math.max(end, r.window().endMs());
        }
        return end;
    }

    /** Start of the newest window published, or {@link Long#MIN_VALUE}. */
    public synchronized long lastPublishedStart() {
        return lastPublishedStart;
    }

    public synchronized long lateReports() {
        return lateReports;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    public synchronized int pendingWindows() {
        return pending.size();
    }
}
