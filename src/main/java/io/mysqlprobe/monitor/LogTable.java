package io.mysqlprobe.monitor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One monitor log table, in memory: appended by workers, purged by age ({@code history}) and by a hard row
 * cap, queried newest first (ProxySQL users write {@code ORDER BY time_start_us DESC LIMIT n}).
 * Rows are appended in completion order, which is time_start_us order up to one check timeout; purge and
 * queries tolerate that. Writers serialise on the table; readers iterate without locking.
 */
public final class LogTable<R extends LogRows.LogRow> {

    private final String name;
    private final ConcurrentLinkedDeque<R> rows = new ConcurrentLinkedDeque<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong purged = new AtomicLong();
    private volatile int maxRows;

    private final java.util.concurrent.atomic.LongAdder checks = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder failures = new java.util.concurrent.atomic.LongAdder();

    /** Checks logged since start (purging does not lower it). */
    public long checks() {
        return checks.sum();
    }

    /** Checks that failed since start. */
    public long failures() {
        return failures.sum();
    }

    public LogTable(String name, int maxRows) {
        this.name = name;
        this.maxRows = maxRows;
    }

    public String name() {
        return name;
    }

    public void setMaxRows(int maxRows) {
        this.maxRows = maxRows;
    }

    public synchronized void add(R row) {
        checks.increment();
        if (row.failure() != null) {
            failures.increment();
        }
        rows.addLast(row);
        if (size.incrementAndGet() > maxRows) {
            if (rows.pollFirst() != null) {
                size.decrementAndGet();
                purged.incrementAndGet();
            }
        }
    }

    /** Drops rows whose time_start_us is older than {@code cutoffUs}; returns how many were dropped. */
    public synchronized int purgeOlderThan(long cutoffUs) {
        int n = 0;
        for (Iterator<R> it = rows.iterator(); it.hasNext(); ) {
            R r = it.next();
            if (r.timeStartUs() < cutoffUs) {
                it.remove();
                size.decrementAndGet();
                n++;
            } else if (r.timeStartUs() > cutoffUs + 600_000_000L) {
                break; // rows are time-ordered up to one check timeout (at most 600 s): nothing older follows
            }
        }
        purged.addAndGet(n);
        return n;
    }

    /** Rows matching the filters (null = any), newest first, at most {@code limit}. */
    public List<R> query(String hostname, Integer port, Long sinceUs, int limit) {
        List<R> out = new ArrayList<>(Math.min(limit, 1024));
        for (Iterator<R> it = rows.descendingIterator(); it.hasNext() && out.size() < limit; ) {
            R r = it.next();
            if ((hostname == null || hostname.equals(r.hostname()))
                    && (port == null || port == r.port())
                    && (sinceUs == null || r.timeStartUs() >= sinceUs)) {
                out.add(r);
            }
        }
        out.sort((a, b) -> Long.compare(b.timeStartUs(), a.timeStartUs()));
        return out;
    }

    public int size() {
        return size.get();
    }

    public long purgedRows() {
        return purged.get();
    }

    public synchronized void clear() {
        rows.clear();
        size.set(0);
    }
}
