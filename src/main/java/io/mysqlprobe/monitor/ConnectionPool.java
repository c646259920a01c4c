package io.mysqlprobe.monitor;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The monitor's own idle connections, per backend: at most {@code maxIdlePerServer} kept, most recently
 * used handed out first (so the others age out), and any connection idle longer than
 * idle_connection_timeout (default 3 × ping_interval, the seed's rule) closed by {@link #closeIdle}.
 * A connection that failed or timed out is never returned here.
 */
final class ConnectionPool {

    /** Counters for {@code /monitor/servers}. */
    public record Stats(
            @JsonProperty("idle_connections") int idle,
            @JsonProperty("connections_opened") long opened,
            @JsonProperty("connections_closed") long closed) {}

    private final Map<Endpoint, ArrayDeque<BackendConnection>> idle = new HashMap<>();
    final AtomicLong opened = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private volatile boolean accepting = true;

    /** While false (monitor stopped) released connections are closed instead of kept. */
    void setAccepting(boolean accepting) {
        this.accepting = accepting;
    }

    synchronized BackendConnection poll(Endpoint ep) {
        ArrayDeque<BackendConnection> q = idle.get(ep);
        return q == null ? null : q.pollFirst();
    }

    /** Returns a healthy connection; closes it instead when {@code maxIdle} are already kept. */
    void release(BackendConnection c, int maxIdle) {
        c.lastUsedNanos = System.nanoTime();
        synchronized (this) {
            ArrayDeque<BackendConnection> q = idle.computeIfAbsent(c.endpoint, e -> new ArrayDeque<>());
            if (accepting && q.size() < maxIdle) {
                q.addFirst(c);
                return;
            }
        }
        discard(c);
    }

    void discard(BackendConnection c) {
        closed.incrementAndGet();
        c.close();
    }

    /** Closes connections idle for longer than {@code idleNanos}; returns how many. */
    int closeIdle(long idleNanos) {
        long now = System.nanoTime();
        List<BackendConnection> victims = new ArrayList<>();
        synchronized (this) {
            for (ArrayDeque<BackendConnection> q : idle.values()) {
                for (Iterator<BackendConnection> it = q.iterator(); it.hasNext(); ) {
                    BackendConnection c = it.next();
                    if (now - c.lastUsedNanos > idleNanos) {
                        it.remove();
                        victims.add(c);
                    }
                }
            }
            idle.values().removeIf(ArrayDeque::isEmpty);
        }
        victims.forEach(this::discard);
        return victims.size();
    }

    /** Closes every idle connection to a backend not in {@code keep} (null: close all). */
    void retain(Set<Endpoint> keep) {
        List<BackendConnection> victims = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Map.Entry<Endpoint, ArrayDeque<BackendConnection>>> it =
                            idle.entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Endpoint, ArrayDeque<BackendConnection>> e = it.next();
                if (keep == null || !keep.contains(e.getKey())) {
                    victims.addAll(e.getValue());
                    it.remove();
                }
            }
        }
        victims.forEach(this::discard);
    }

    synchronized Stats stats() {
        int n = 0;
        for (ArrayDeque<BackendConnection> q : idle.values()) {
            n += q.size();
        }
        return new Stats(n, opened.get(), closed.get());
    }
}
