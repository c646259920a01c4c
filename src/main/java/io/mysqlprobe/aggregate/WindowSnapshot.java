package io.mysqlprobe.aggregate;

import java.util.List;

/**
 * One window's statistics as the aggregator hands them over: immutable, templates busiest (by total time) first.
 *
 * @param aggregatedStatements statements the aggregator put in this window, counted one by one (overflow and late
 *                             ones included): the window's {@code capture.statements}, equal to the sum of the
 *                             templates' counts by construction
 * @param lateStatements       statements that finished in a window already published, counted in this one instead
 * @param overflowedStatements statements counted in an overflow entry (report.max_templates)
 */
public record WindowSnapshot(
        long startMs,
        long endMs,
        List<TemplateSnapshot> templates,
        long aggregatedStatements,
        long lateStatements,
        long overflowedStatements) {

    public WindowSnapshot {
        templates = List.copyOf(templates);
    }

    public static WindowSnapshot empty(long startMs, long endMs) {
        return new WindowSnapshot(startMs, endMs, List.of(), 0, 0, 0);
    }

    /** The sum of the templates' counts. */
    public long statements() {
        long n = 0;
        for (TemplateSnapshot t : templates) {
            n += t.count();
        }
        return n;
    }
}
