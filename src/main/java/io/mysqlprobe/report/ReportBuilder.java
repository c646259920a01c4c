package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.aggregate.WindowData;
import java.util.List;

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

    public Report build(long startMs, long endMs, WindowData window, Report.CaptureSection capture) {
        List<Report.TemplateReport> templates = window.snapshot().stream().map(ReportBuilder::template).toList();
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
                new Report.Latency(s.latencySum(), s.latencyMin(), s.latencyMax(), s.p50(), s.p95(), s.p99(),
                        s.p999(), s.histogram()),
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

    private static Report.Slow slow(SlowSample s) {
        return new Report.Slow(s.requestTsUs(), s.responseTsUs(), s.latencyUs(), s.client(), s.sql(), s.errno(),
                s.rows());
    }
}
