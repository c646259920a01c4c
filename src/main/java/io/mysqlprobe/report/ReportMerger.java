package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.LatencySketch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the reports several slaves made of the same window into one master report. Templates are keyed by
 * (server, db, id): the same key on two slaves is summed, different servers with the same db stay apart.
 * Histograms are decoded and merged (the quantiles are recomputed from the union), error codes, clients and
 * users summed, slow samples keep the slowest N. Each slave's capture section goes under {@code sources};
 * the top-level capture section is their sum. Pure; no shared state.
 */
public final class ReportMerger {

    private static final Comparator<Report.Slow> SLOWEST_FIRST =
            Comparator.comparingLong(Report.Slow::latencyUs).reversed().thenComparingLong(Report.Slow::requestTsUs);

    private final int maxSlow;

    public ReportMerger(int maxSlow) {
        this.maxSlow = maxSlow;
    }

    private record Key(String server, String db, String id) {}

    /**
     * @param parts         slave address → its report of this window (the caller deduplicates)
     * @param extraLate     statements of slave windows that arrived after their window was published
     */
    public Report merge(String node, String role, String cluster, long startMs, long endMs,
                        Map<String, Report> parts, long extraLate) {
        Map<Key, Acc> byKey = new LinkedHashMap<>();
        List<Report.Source> sources = new ArrayList<>();
        List<Report.CaptureSection> captures = new ArrayList<>();
        for (Map.Entry<String, Report> e : parts.entrySet()) {
            Report p = e.getValue();
            if (p.capture() != null) {
                captures.add(p.capture());
            }
            sources.add(new Report.Source(p.node(), e.getKey(), p.capture()));
            if (p.templates() == null) {
                continue;
            }
            for (Report.TemplateReport t : p.templates()) {
                byKey.computeIfAbsent(new Key(t.server(), t.db(), t.id()), k -> new Acc()).add(t);
            }
        }
        List<Report.TemplateReport> templates = new ArrayList<>(byKey.size());
        byKey.values().forEach(a -> templates.add(a.build(maxSlow)));
        templates.sort((a, b) -> a.latencyUs().sum() != b.latencyUs().sum()
                ? Long.compare(b.latencyUs().sum(), a.latencyUs().sum()) : Long.compare(b.count(), a.count()));
        sources.sort(Comparator.comparing(s -> String.valueOf(s.address())));
        return new Report(node, role, cluster, new Report.Window(startMs, endMs), sum(captures, extraLate),
                templates, sources, null);
    }

    /** The field-by-field sum of capture sections; {@code extraLate} adds to late_statements. */
    public static Report.CaptureSection sum(List<Report.CaptureSection> cs, long extraLate) {
        long[] v = new long[17];
        Map<String, Long> kinds = new TreeMap<>();
        for (Report.CaptureSection c : cs) {
            v[0] += c.packets();
            v[1] += c.bytes();
            v[2] += c.kernelDropped();
            v[3] += c.interfaceDropped();
            v[4] += c.queueDropped();
            v[5] += c.streamGaps();
            v[6] += c.decodeErrors();
            v[7] += c.tlsConnections();
            v[8] += c.unmatchedResponses();
            v[9] += c.resyncs();
            v[10] += c.connections();
            v[11] += c.connectionsOpened();
            v[12] += c.connectionsEvicted();
            v[13] += c.statements();
            v[14] += c.lateStatements();
            v[15] += c.templatesOverflowed();
            v[16] += c.otherSkipped();
            if (c.decodeErrorsByKind() != null) {
                c.decodeErrorsByKind().forEach((k, n) -> kinds.merge(k, n, Long::sum));
            }
        }
        return new Report.CaptureSection(v[0], v[1], v[2], v[3], v[4], v[5], v[6], kinds, v[7], v[8], v[9], v[10],
                v[11], v[12], v[13], v[14] + extraLate, v[15], v[16]);
    }

    /** One template key's accumulated statistics across slaves. */
    private static final class Acc {
        Report.TemplateReport first;
        final LatencySketch sketch = new LatencySketch();
        final Map<String, Long> errorCodes = new TreeMap<>();
        final Map<String, Long> clients = new HashMap<>();
        final Map<String, Long> users = new HashMap<>();
        final List<Report.Slow> slow = new ArrayList<>();
        long count;
        long errors;
        long sum;
        long min = Long.MAX_VALUE;
        long max;
        long rowsSent;
        long rowsAffected;
        long warnings;
        long bytesIn;
        long bytesOut;
        long noIndexUsed;
        long noGoodIndexUsed;
        long queryWasSlow;
        long firstSeen = Long.MAX_VALUE;
        long lastSeen;
        String sample;

        void add(Report.TemplateReport t) {
            if (first == null) {
                first = t;
            }
            count += t.count();
            errors += t.errors();
            if (t.errorCodes() != null) {
                t.errorCodes().forEach((k, v) -> errorCodes.merge(k, v, Long::sum));
            }
            Report.Latency l = t.latencyUs();
            if (l != null) {
                if (l.histogram() != null) {
                    sketch.merge(LatencySketch.decode(l.histogram()));
                }
                sum += l.sum();
                if (t.count() > 0) {
                    min = Math.min(min, l.min());
                    max = Math.max(max, l.max());
                }
            }
            rowsSent += t.rowsSent();
            rowsAffected += t.rowsAffected();
            warnings += t.warnings();
            bytesIn += t.bytesIn();
            bytesOut += t.bytesOut();
            noIndexUsed += t.noIndexUsed();
            noGoodIndexUsed += t.noGoodIndexUsed();
            queryWasSlow += t.queryWasSlow();
            if (t.firstSeenMs() > 0) {
                firstSeen = Math.min(firstSeen, t.firstSeenMs());
            }
            lastSeen = Math.max(lastSeen, t.lastSeenMs());
            if (t.clients() != null) {
                t.clients().forEach((k, v) -> clients.merge(k, v, Long::sum));
            }
            if (t.users() != null) {
                t.users().forEach((k, v) -> users.merge(k, v, Long::sum));
            }
            if (sample == null) {
                sample = t.sample();
            }
            if (t.slow() != null) {
                slow.addAll(t.slow());
            }
        }

        private long clamp(long q) {
            return count == 0 ? 0 : Math.max(min, Math.min(max, q));
        }

        Report.TemplateReport build(int maxSlow) {
            slow.sort(SLOWEST_FIRST);
            List<Report.Slow> kept = List.copyOf(slow.subList(0, Math.min(maxSlow, slow.size())));
            Report.Latency lat = new Report.Latency(sum, count == 0 ? 0 : min, max, clamp(sketch.quantile(0.5)),
                    clamp(sketch.quantile(0.95)), clamp(sketch.quantile(0.99)), clamp(sketch.quantile(0.999)),
                    sketch.encode());
            return new Report.TemplateReport(first.id(), first.template(), first.statementType(), first.tables(),
                    first.server(), first.db(), count, errors, errorCodes, lat, rowsSent, rowsAffected, warnings,
                    bytesIn, bytesOut, noIndexUsed, noGoodIndexUsed, queryWasSlow,
                    firstSeen == Long.MAX_VALUE ? 0 : firstSeen, lastSeen, byCount(clients), byCount(users), sample,
                    kept);
        }

        private static Map<String, Long> byCount(Map<String, Long> m) {
            LinkedHashMap<String, Long> out = new LinkedHashMap<>();
            m.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        }
    }
}
