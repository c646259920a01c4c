package io.mysqlprobe.api;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One {@code /collector} subscriber's reports, as a {@link Flow.Publisher} of JSON texts (the websocket sends one
 * at a time: it requests the next when the previous is written).
 *
 * <p>Replay without gaps or duplicates: {@link #listen} subscribes to the hot stream first, then {@link #replay}
 * reads the backlog. The backlog stores a report before it emits it, so a frame that arrives before the replay is
 * read is in the replay (or older than what was asked for) and is skipped; one that arrives after it is skipped
 * when the replay holds its window (stored before the read, emitted after it).
 *
 * <p>Bounded: it requests everything from the hot stream (a broadcast never waits for one subscriber) and holds
 * at most {@code maxQueued} live frames; when full, the oldest goes, counted in {@code dropped}. Frames go
 * downstream on {@code deliver} (the connection's event loop), never on the publisher's thread.
 */
final class SubscriberQueue implements Flow.Publisher<String> {

    private final int maxQueued;
    private final AtomicLong dropped;
    private final Executor deliver;
    private final Runnable onEnd;
    private final ArrayDeque<ReportFrame> queue = new ArrayDeque<>();
    /** Window starts of the replay; null until the replay is read (live frames until then are skipped). */
    private Set<Long> replayed;

    private long demand;
    private boolean ended;
    private boolean completed;
    private Flow.Subscriber<? super String> downstream;
    private Flow.Subscription upstream;
    private final AtomicInteger wip = new AtomicInteger();

    SubscriberQueue(int maxQueued, AtomicLong dropped, Executor deliver, Runnable onEnd) {
        this.maxQueued = maxQueued;
        this.dropped = dropped;
        this.deliver = deliver;
        this.onEnd = onEnd;
    }

    /** Subscribes to the hot stream of published frames; call before {@link #replay}. */
    void listen(Flow.Publisher<ReportFrame> live) {
        live.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                synchronized (queue) {
                    upstream = s;
                }
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(ReportFrame f) {
                live(f);
            }

            @Override
            public void onError(Throwable t) {
                end(false);
            }

            @Override
            public void onComplete() {
                end(false);
            }
        });
    }

    /** Reads the replay (under this queue's lock, so no live frame slips between the read and the dedupe). */
    void replay(Supplier<List<ReportFrame>> backlog) {
        synchronized (queue) {
            List<ReportFrame> first = backlog.get();
            Set<Long> starts = new HashSet<>();
            for (ReportFrame f : first) {
                starts.add(f.startMs());
            }
            queue.addAll(first);
            replayed = starts;
        }
        drain();
    }

    private void live(ReportFrame f) {
        synchronized (queue) {
            if (ended || replayed == null || replayed.contains(f.startMs())) {
                return;
            }
            if (queue.size() >= maxQueued) {
                queue.pollFirst();
                dropped.incrementAndGet();
            }
            queue.addLast(f);
        }
        drain();
    }

    /** Nothing waits to be sent and nothing is being sent (the downstream asked for more), or ended. */
    boolean idle() {
        synchronized (queue) {
            return ended || queue.isEmpty() && demand > 0;
        }
    }

    /** The connection closed: frames not yet sent are dropped (counted), the stream completes. */
    void close() {
        end(true);
    }

    private void end(boolean countQueued) {
        Flow.Subscription up;
        synchronized (queue) {
            if (ended) {
                return;
            }
            ended = true;
            if (countQueued) {
                dropped.addAndGet(queue.size());
                queue.clear();
            }
            up = upstream;
        }
        if (up != null) {
            up.cancel();
        }
        onEnd.run();
        drain();
    }

    @Override
    public void subscribe(Flow.Subscriber<? super String> subscriber) {
        synchronized (queue) {
            if (downstream != null) {
                subscriber.onSubscribe(new Flow.Subscription() {
                    public void request(long n) {}

                    public void cancel() {}
                });
                subscriber.onError(new IllegalStateException("one subscriber only"));
                return;
            }
            downstream = subscriber;
        }
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    return; // a spec violation by the websocket layer: nothing more is asked for
                }
                synchronized (queue) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                }
                drain();
            }

            @Override
            public void cancel() {
                end(true);
            }
        });
    }

    /** Runs the delivery loop on {@code deliver}, one loop at a time, until nothing more can go. */
    private void drain() {
        if (wip.getAndIncrement() == 0) {
            try {
                deliver.execute(this::deliverLoop);
            } catch (RuntimeException e) { // the connection's event loop is gone (shutting down)
                wip.set(0);
                end(true);
            }
        }
    }

    private void deliverLoop() {
        int missed = 1;
        do {
            while (true) {
                ReportFrame next;
                Flow.Subscriber<? super String> to;
                boolean complete = false;
                synchronized (queue) {
                    to = downstream;
                    if (to == null || completed) {
                        break;
                    }
                    if (ended && queue.isEmpty()) {
                        completed = complete = true;
                        next = null;
                    } else if (demand > 0 && !queue.isEmpty()) {
                        next = queue.pollFirst();
                        if (demand != Long.MAX_VALUE) {
                            demand--;
                        }
                    } else {
                        break;
                    }
                }
                if (complete) {
                    to.onComplete();
                    break;
                }
                String json;
                try {
                    json = next.json();
                } catch (RuntimeException e) {
                    dropped.incrementAndGet(); // not serialisable: counted, the stream goes on
                    continue;
                }
                to.onNext(json);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }
}
