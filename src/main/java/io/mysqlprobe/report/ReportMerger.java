package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.aggregate.WindowMerge;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Merges the reports several slaves made of the same window into one master report, with the same code that
 * merges a slave's workers ({@link WindowMerge}): each template, read back as the aggregator's own
 * {@link TemplateSnapshot}, becomes statistics again (histogram decoded),
 * merged by (server, db, id) — the same key on two slaves is summed, different servers
 * with the same db stay apart, quantiles are recomputed from the merged histogram. Each slave's capture section goes under {@code sources};
 * the top-level capture section is their sum. Pure; no shared state.
 */
public final class ReportMerger {

    /** Clients and users counted by name per template, as on a slave (TopCounter). */
    private static final int MAX_NAMES = 20;

    private final int maxSlow;

    public ReportMerger(int maxSlow) {
        this.maxSlow = maxSlow;
    }

    /**
     * @param parts         slave address → its report of this window (the caller deduplicates)
     * @param extraLate     statements of slave windows that arrived after their window was published (those
     *                      windows are among {@code parts}: merged here, counted late)
     */
    public Report merge(
            String node,
            String role,
            String cluster,
            long startMs,
            long endMs,
            Map<String, Report> parts,
            long extraLate) {
        List<TemplateSnapshot> all = new ArrayList<>();
        List<Report.Source> sources = new ArrayList<>();
        List<Report.CaptureSection> captures = new ArrayList<>();
        for (Map.Entry<String, Report> e : parts.entrySet()) {
            Report p = e.getValue();
            if (p.capture() != null) {
                captures.add(p.capture());
            }
            sources.add(new Report.Source(p.node(), e.getKey(), p.capture()));
            if (p.templates() != null) {
                all.addAll(p.templates());
            }
        }
        List<TemplateSnapshot> templates = WindowMerge.templates(all, maxSlow, MAX_NAMES);
        sources.sort(Comparator.comparing(s -> String.valueOf(s.address())));
        return new Report(
                node,
                role,
                cluster,
                new Report.Window(startMs, endMs),
                sum(captures, extraLate),
                templates,
                sources,
                null);
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
        return new Report.CaptureSection(
                v[0],
                v[1],
                v[2],
                v[3],
                v[4],
                v[5],
                v[6],
                kinds,
                v[7],
                v[8],
                v[9],
                v[10],
                v[11],
                v[12],
                v[13],
                v[14] + extraLate,
                v[15],
                v[16]);
    }
}
