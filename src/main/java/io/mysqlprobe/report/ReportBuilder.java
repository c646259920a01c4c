package io.mysqlprobe.report;

import io.mysqlprobe.aggregate.WindowSnapshot;

/** Turns a finished window into the report contract: the window's templates go out as they are. */
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
        return new Report(
                node, role, cluster, new Report.Window(startMs, endMs), capture, window.templates(), null, null);
    }
}
