package io.mysqlprobe.aggregate;

import java.util.Collection;
import java.util.List;

/**
 * Merges immutable windows (of several workers, or several slaves) exactly: each template's snapshot becomes
 * statistics again (its histogram decoded), the same (server, db, template) key is merged, never overwritten, and
 * the result is snapshotted. The mutable statistics never leave this package.
 */
public final class WindowMerge {

    private WindowMerge() {}

    /**
     * One window of {@code startMs..endMs} holding everything of {@code parts} (normally windows of that start; older
     * ones are folded in), counters summed.
     *
     * @param maxSlow  slow samples kept per template
     * @param maxNames client / user names kept per template
     */
    public static WindowSnapshot merge(
            long startMs, long endMs, Collection<WindowSnapshot> parts, int maxSlow, int maxNames) {
        if (parts.size() == 1) {
            WindowSnapshot only = parts.iterator().next();
            if (only.startMs() == startMs && only.endMs() == endMs) {
                return only;
            }
        }
        WindowData w = new WindowData(startMs, endMs);
        for (WindowSnapshot p : parts) {
            for (TemplateSnapshot t : p.templates()) {
                w.mergeIn(t.key(), TemplateStats.restore(t, maxSlow, maxNames));
            }
            w.addCounts(p.aggregatedStatements(), p.lateStatements(), p.overflowedStatements());
        }
        return w.freeze();
    }

    /** Templates merged by key, busiest first (a master's merge of its slaves' reports). */
    public static List<TemplateSnapshot> templates(Iterable<TemplateSnapshot> templates, int maxSlow, int maxNames) {
        WindowData w = new WindowData(0, 0);
        for (TemplateSnapshot t : templates) {
            w.mergeIn(t.key(), TemplateStats.restore(t, maxSlow, maxNames));
        }
        return w.snapshot();
    }
}
