package io.mysqlprobe.api;

import jakarta.websocket.Session;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one subscriber's messages in order, one at a time (a websocket endpoint must not start a send before
 * the previous one finished), off the publishing thread. A subscriber that falls {@code maxQueued} messages
 * behind loses the oldest ones, counted in {@link #dropped()}, so one slow client can't hold memory or stall
 * the others.
 */
final class SessionSender {

    private final Session session;
    private final Executor executor;
    private final int maxQueued;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final AtomicLong dropped;
    private boolean draining;

    SessionSender(Session session, Executor executor, int maxQueued, AtomicLong dropped) {
        this.session = session;
        this.executor = executor;
        this.maxQueued = maxQueued;
        this.dropped = dropped;
    }

    void send(String text) {
        synchronized (queue) {
            if (queue.size() >= maxQueued) {
                queue.removeFirst();
                dropped.incrementAndGet();
            }
            queue.addLast(text);
            if (draining) {
                return;
            }
            draining = true;
        }
        executor.execute(this::drain);
    }

    /** True when nothing waits to be sent. */
    boolean idle() {
        synchronized (queue) {
            return !draining && queue.isEmpty();
        }
    }

    private void drain() {
        while (true) {
            String next;
            synchronized (queue) {
                next = queue.pollFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            try {
                if (session.isOpen()) {
                    session.getBasicRemote().sendText(next);
                }
            } catch (IOException | IllegalStateException e) {
                synchronized (queue) {
                    dropped.addAndGet(queue.size() + 1L);
                    queue.clear();
                    draining = false;
                }
                return;
            }
        }
    }
}
