package io.mysqlprobe.report;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The last published reports (for {@code /collector?since=MS}) and the subscribers of new ones.
 * Thread-safe.
 */
public final class ReportBacklog {

    private final ArrayDeque<Report> reports = new ArrayDeque<>();
    private final List<Consumer<Report>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int capacity;
    /** Held while a report is stored and handed to listeners, and by {@link #atomically}. */
    private final Object delivery = new Object();

    public ReportBacklog(int capacity) {
        this.capacity = Math.max(1, capacity);
    }

    public void publish(Report r) {
        synchronized (delivery) {
            keep(r);
            for (Consumer<Report> l : listeners) {
                l.accept(r);
            }
        }
    }

    /**
     * Runs {@code action} with no report being published meanwhile: a subscriber that reads {@link #since} and
     * registers inside it sees every window exactly once (none published between the read and the register).
     */
    public void atomically(Runnable action) {
        synchronized (delivery) {
            action.run();
        }
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
            for (Consumer<Report> l : listeners) {
                l.accept(r);
            }
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

    public void subscribe(Consumer<Report> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<Report> listener) {
        listeners.remove(listener);
    }

    public int subscribers() {
        return listeners.size();
    }
}
