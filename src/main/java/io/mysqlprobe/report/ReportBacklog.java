package io.mysqlprobe.report;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last published reports (for {@code /collector?since=MS}) and the hot stream of new ones ({@link #stream}).
 * A report is stored before it is emitted, so a subscriber that subscribes to the stream first and reads the
 * backlog second misses no window. Thread-safe.
 */
public final class ReportBacklog {

    private final ArrayDeque<Report> reports = new ArrayDeque<>();
    private final BroadcastProcessor<Report> published = BroadcastProcessor.create();
    private volatile int capacity;
    /** Held while a report is stored and emitted: one report at a time, in order, from any publisher. */
    private final Object delivery = new Object();

    public ReportBacklog(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public void publish(Report r) {
        synchronized (delivery) {
            keep(r);
            published.onNext(r);
        }
    }

    /**
     * Every report published from now on (hot: no replay; {@link #latest} and {@link #since} hold the past). A
     * broadcast never waits: a subscriber must request everything and buffer itself, or it is failed with a
     * back-pressure failure. Emitted on the publisher's thread.
     */
    public Multi<Report> stream() {
        return published;
    }

    /**
     * Stores a report for {@code since} replays without telling subscribers (a hot standby's merged windows:
     * kept so that after promotion its clients can resume without a gap, but not published).
     */
    public void keep(Report r) {
        synchronized (reports) {
            reports.addLast(r);
            while (reports.size() > capacity) {
                reports.removeFirst();
            }
        }
    }

    /** Tells subscribers about a report already stored by {@link #keep} (a standby's window after promotion). */
    public void rebroadcast(Report r) {
        synchronized (delivery) {
            published.onNext(r);
        }
    }

    public Report latest() {
        synchronized (reports) {
            return reports.peekLast();
        }
    }

    /** Reports whose window starts after {@code sinceMs}, oldest first. */
    public List<Report> since(long sinceMs) {
        synchronized (reports) {
            List<Report> out = new ArrayList<>();
            for (Report r : reports) {
                if (r.window().startMs() > sinceMs) {
                    out.add(r);
                }
            }
            return out;
        }
    }
}
