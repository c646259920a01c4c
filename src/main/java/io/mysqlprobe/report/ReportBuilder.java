package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateKey;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.aggregate.WindowSnapshot;
import io.mysqlprobe.fingerprint.Fingerprint;
import java.util.List;
import java.util.Map;

/** Turns a finished window into the report contract. */
public final class ReportBuilder {

    private final String node;
    private final String role;
    private final String cluster;

    public ReportBuilder(String node, String role, String cluster) {
        this.node = node;
        this.role = role;
        this.cluster = cluster;
    }

    public Report build(long startMs, long endMs, WindowSnapshot window, Report.CaptureSection capture) {
        List<Report.TemplateReport> templates =
                window.templates().stream().map(ReportBuilder::template).toList();
        return new Report(node, role, cluster, new Report.Window(startMs, endMs), capture, templates, null, null);
    }

    static Report.TemplateReport template(TemplateSnapshot s) {
        return new Report.TemplateReport(
                s.fingerprint().idHex(),
                s.fingerprint().template(),
                s.fingerprint().statementType(),
                s.fingerprint().tables(),
                s.key().server(),
                s.key().db(),
                s.count(),
                s.errors(),
                s.errorCodes(),
                new Report.Latency(
                        s.latencySum(),
                        s.latencyMin(),
                        s.latencyMax(),
                        s.p50(),
                        s.p95(),
                        s.p99(),
                        s.p999(),
                        s.histogram()),
                s.rowsSent(),
                s.rowsAffected(),
                s.warnings(),
                s.bytesIn(),
                s.bytesOut(),
                s.noIndexUsed(),
                s.noGoodIndexUsed(),
                s.queryWasSlow(),
                s.firstSeenMs(),
                s.lastSeenMs(),
                s.clients(),
                s.users(),
                s.sample(),
                s.slow().stream().map(ReportBuilder::slow).toList());
    }

    /** A report's template as the statistics it was made from (the inverse of {@link #template}). */
    static TemplateSnapshot snapshotOf(Report.TemplateReport t) {
        Fingerprint fp = new Fingerprint(
                Long.parseUnsignedLong(t.id(), 16),
                t.template(),
                t.statementType(),
                t.tables() == null ? List.of() : t.tables());
        Report.Latency l = t.latencyUs();
        return new TemplateSnapshot(
                new TemplateKey(t.server(), t.db(), fp.id()),
                fp,
                t.count(),
                t.errors(),
                orEmpty(t.errorCodes()),
                l.sum(),
                l.min(),
                l.max(),
                l.p50(),
                l.p95(),
                l.p99(),
                l.p999(),
                l.histogram(),
                t.rowsSent(),
                t.rowsAffected(),
                t.warnings(),
                t.bytesIn(),
                t.bytesOut(),
                t.noIndexUsed(),
                t.noGoodIndexUsed(),
                t.queryWasSlow(),
                t.firstSeenMs(),
                t.lastSeenMs(),
                orEmpty(t.clients()),
                orEmpty(t.users()),
                t.sample(),
                t.slow() == null
                        ? List.of()
                        : t.slow().stream()
                                .map(x -> new SlowSample(
                                        x.requestTsUs(),
                                        x.responseTsUs(),
                                        x.latencyUs(),
                                        x.client(),
                                        x.sql(),
                                        x.errno(),
                                        x.rows()))
                                .toList());
    }

    private static Map<String, Long> orEmpty(Map<String, Long> m) {
        return m == null ? Map.of() : m;
    }

    private static Report.Slow slow(SlowSample s) {
        return new Report.Slow(
                s.requestTsUs(), s.responseTsUs(), s.latencyUs(), s.client(), s.sql(), s.errno(), s.rows());
    }
}
