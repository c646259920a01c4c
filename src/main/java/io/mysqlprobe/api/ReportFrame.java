package io.mysqlprobe.api;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportJson;

/**
 * A report on its way to {@code /collector} subscribers: serialised at most once, by the first subscriber that
 * sends it (on its event loop, never on the publisher's thread), then shared by all.
 */
final class ReportFrame {

    private final Report report;
    private String json;

    ReportFrame(Report report) {
        this.report = report;
    }

    long startMs() {
        return report.window().startMs();
    }

    synchronized String json() {
        if (json == null) {
            json = ReportJson.write(report);
        }
        return json;
    }
}
