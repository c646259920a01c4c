package io.mysqlprobe.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBacklog;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One /collector subscriber's queue: replay then live without gaps or duplicates, bounded, never blocking. */
class SubscriberQueueTest {

    private static final Pattern START = Pattern.compile("\"start_ms\":(\\d+)");

    private static Report report(long startMs) {
        return new Report(
                "n1", "slave", "standalone", new Report.Window(startMs, startMs + 1000), null, List.of(), null, null);
    }

    private static List<Long> starts(List<String> json) {
        List<Long> out = new ArrayList<>();
        for (String j : json) {
            Matcher m = START.matcher(j);
            assertTrue(m.find(), j);
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    private static List<ReportFrame> frames(List<Report> reports) {
        return reports.stream().map(ReportFrame::new).toList();
    }

    @Test
    void liveFramesBeforeTheReplayAndThoseTheReplayHoldsAreSkipped() {
        BroadcastProcessor<ReportFrame> live = BroadcastProcessor.create();
        AtomicLong dropped = new AtomicLong();
        AtomicInteger ended = new AtomicInteger();
        SubscriberQueue q = new SubscriberQueue(64, dropped, Runnable::run, ended::incrementAndGet);
        q.listen(live);
        live.onNext(new ReportFrame(report(2000))); // emitted before the replay is read: the replay holds it
        q.replay(() -> frames(List.of(report(1000), report(2000), report(3000))));
        live.onNext(new ReportFrame(report(3000))); // stored before the read, emitted after it: a duplicate
        live.onNext(new ReportFrame(report(4000)));
        AssertSubscriber<String> sub =
                Multi.createFrom().publisher(q).subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        live.onNext(new ReportFrame(report(5000)));
        assertEquals(List.of(1000L, 2000L, 3000L, 4000L, 5000L), starts(sub.getItems()));
        assertEquals(0, dropped.get());
        q.close();
        sub.assertCompleted();
        assertEquals(1, ended.get(), "ended once");
        live.onNext(new ReportFrame(report(6000)));
        assertEquals(5, sub.getItems().size(), "nothing after close");
    }

    @Test
    void aSlowSubscriberLosesItsOldestLiveFramesCountedAndThePublisherNeverWaits() {
        ReportBacklog backlog = new ReportBacklog(6);
        AtomicLong dropped = new AtomicLong();
        SubscriberQueue q = new SubscriberQueue(64, dropped, Runnable::run, () -> {});
        q.listen(backlog.stream().map(ReportFrame::new));
        q.replay(() -> frames(backlog.since(0)));
        AssertSubscriber<String> sub =
                Multi.createFrom().publisher(q).subscribe().withSubscriber(AssertSubscriber.create(1));
        long t0 = System.nanoTime();
        for (int i = 1; i <= 200; i++) {
            backlog.publish(report(i * 1000L));
        }
        long publishMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(publishMs < 2000, "200 publishes with a stalled subscriber took " + publishMs + " ms");
        assertEquals(List.of(1000L), starts(sub.getItems()), "one requested, one sent");
        assertEquals(200 - 1 - 64, dropped.get(), "the queue holds 64, the rest of the backlog is dropped");
        assertTrue(!q.idle(), "frames wait");
        sub.request(1000);
        List<Long> got = starts(sub.getItems());
        assertEquals(65, got.size());
        assertEquals(137_000L, got.get(1), "the oldest went: the newest 64 remain, in order");
        assertEquals(200_000L, got.get(64));
        assertTrue(q.idle());
        q.close();
        assertEquals(200 - 1 - 64, dropped.get(), "nothing queued at close");
    }

    @Test
    void closingWithFramesQueuedCountsThemDropped() {
        BroadcastProcessor<ReportFrame> live = BroadcastProcessor.create();
        AtomicLong dropped = new AtomicLong();
        SubscriberQueue q = new SubscriberQueue(64, dropped, Runnable::run, () -> {});
        q.listen(live);
        q.replay(List::of);
        for (int i = 1; i <= 5; i++) {
            live.onNext(new ReportFrame(report(i * 1000L)));
        }
        q.close();
        assertEquals(5, dropped.get());
    }

    /**
     * The race itself: a publisher thread publishes windows while subscribers join with {@code since=0} at
     * arbitrary moments; every subscriber gets each window exactly once, in order, from its first to the last.
     */
    @Test
    void subscribersJoiningWhileWindowsArePublishedSeeEveryWindowOnceInOrder() throws Exception {
        int windows = 500;
        ReportBacklog backlog = new ReportBacklog(windows);
        Multi<ReportFrame> live = backlog.stream().map(ReportFrame::new);
        AtomicBoolean go = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            while (!go.get()) {
                Thread.onSpinWait();
            }
            for (int i = 1; i <= windows; i++) {
                backlog.publish(report(i));
            }
        });
        publisher.start();
        List<AssertSubscriber<String>> subs = new ArrayList<>();
        go.set(true);
        for (int s = 0; s < 100; s++) {
            SubscriberQueue q = new SubscriberQueue(10_000, new AtomicLong(), Runnable::run, () -> {});
            q.listen(live);
            q.replay(() -> frames(backlog.since(0)));
            subs.add(Multi.createFrom()
                    .publisher(q)
                    .subscribe()
                    .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE)));
        }
        publisher.join(Duration.ofSeconds(30).toMillis());
        for (AssertSubscriber<String> sub : subs) {
            List<Long> got = starts(sub.getItems());
            assertEquals(windows, got.get(got.size() - 1), "reaches the last window");
            for (int i = 1; i < got.size(); i++) {
                assertEquals(got.get(i - 1) + 1, got.get(i), "no gap, no duplicate: " + got.subList(0, i + 1));
            }
            assertEquals(1L, got.get(0), "the replay starts at the first window (the backlog holds them all)");
        }
    }
}
