package io.mysqlprobe.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportMerger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WindowMergerTest {

    private final WindowMerger windows = new WindowMerger();
    private final ReportMerger merger = new ReportMerger(5);

    private List<Report> poll(long now, Set<String> expected) {
        return windows.poll(
                now,
                expected,
                3000,
                (start, end, parts, late) -> merger.merge("m", "master", "g", start, end, parts, late));
    }

    private static Report w(String node, long start, long... latencies) {
        return Reports.report(node, start, Reports.template("aa", "db", "d", "c", latencies));
    }

    @Test
    void publishesWhenEveryLiveSlaveDelivered() {
        assertEquals(WindowMerger.Outcome.ACCEPTED, windows.offer("a", w("a", 0, 1, 2)));
        assertTrue(poll(1500, Set.of("a", "b")).isEmpty(), "b has not delivered and the grace is not over");
        windows.offer("b", w("b", 0, 3));
        List<Report> out = poll(1500, Set.of("a", "b"));
        assertEquals(1, out.size());
        assertEquals(3, out.get(0).templates().get(0).count());
        assertEquals(2, out.get(0).sources().size());
    }

    @Test
    void publishesAfterTheGraceWithoutAMissingSlaveAndCountsItsWindowAsLate() {
        windows.offer("a", w("a", 0, 1, 2));
        assertTrue(poll(3999, Set.of("a", "b")).isEmpty());
        List<Report> out = poll(4000, Set.of("a", "b"));
        assertEquals(1, out.size());
        assertEquals(2, out.get(0).templates().get(0).count());
        assertEquals(WindowMerger.Outcome.LATE, windows.offer("b", w("b", 0, 5, 6, 7)));
        assertEquals(1, windows.lateReports());
        windows.offer("a", w("a", 1000, 1));
        windows.offer("b", w("b", 1000, 1));
        Report next = poll(4000, Set.of("a", "b")).get(0);
        assertEquals(3, next.capture().lateStatements(), "the late window's statements are counted, not lost");
        assertEquals(
                WindowMerger.Outcome.DUPLICATE,
                windows.offer("b", w("b", 0, 5, 6, 7)),
                "a late window replayed again is not counted twice");
    }

    @Test
    void aLateWindowIsMergedIntoTheNextSoItsStatementsAreItsTemplates() {
        windows.offer("a", w("a", 0, 1, 2));
        poll(4000, Set.of("a", "b"));
        windows.offer("b", w("b", 0, 5, 6, 7)); // late: its window went out without it
        windows.offer("a", w("a", 1000, 1));
        windows.offer("b", w("b", 1000, 1));
        Report next = poll(4000, Set.of("a", "b")).get(0);
        long templates =
                next.templates().stream().mapToLong(TemplateSnapshot::count).sum();
        assertEquals(5, templates, "1 + 1 of the window, 3 of the late one");
        assertEquals(templates, next.capture().statements());
        assertEquals(3, next.capture().lateStatements());
        assertEquals(30, next.capture().packets(), "the late window's capture section is summed too");
        assertEquals(6, next.capture().connections(), "a gauge: the late window's is not added");
        assertTrue(
                next.sources().stream().anyMatch(x -> x.address().equals("b (late window 0)")),
                next.sources().toString());
        Report after = w("a", 2000, 1);
        windows.offer("a", after);
        windows.offer("b", w("b", 2000, 1));
        assertEquals(2, poll(4000, Set.of("a", "b")).get(0).capture().statements(), "merged once only");
    }

    @Test
    void replayedWindowsAreNotCountedTwice() {
        windows.offer("a", w("a", 0, 1));
        assertEquals(WindowMerger.Outcome.DUPLICATE, windows.offer("a", w("a", 0, 1)), "pending duplicate");
        Report first = poll(1500, Set.of("a")).get(0);
        assertEquals(1, first.templates().get(0).count());
        assertEquals(WindowMerger.Outcome.DUPLICATE, windows.offer("a", w("a", 0, 1)), "published duplicate");
        windows.offer("a", w("a", 1000, 1, 1));
        Report second = poll(2500, Set.of("a")).get(0);
        assertEquals(2, second.templates().get(0).count());
        assertEquals(0, second.capture().lateStatements());
        assertEquals(2, windows.duplicates());
    }

    @Test
    void windowsGoOutInStartOrderWithoutGaps() {
        windows.offer("a", w("a", 1000, 1));
        windows.offer("a", w("a", 0, 1));
        windows.offer("a", w("a", 2000, 1));
        List<Report> out = poll(5000, Set.of("a", "b"));
        assertEquals(
                List.of(0L, 1000L),
                out.stream().map(r -> r.window().startMs()).toList(),
                "window 2000 still waits for b (grace until 6000)");
        assertEquals(
                List.of(2000L),
                poll(6000, Set.of("a", "b")).stream()
                        .map(r -> r.window().startMs())
                        .toList());
    }

    @Test
    void aTwoSlaveSumEqualsTheSlavesSums() {
        long total = 0;
        for (int i = 0; i < 5; i++) {
            windows.offer("a", w("a", i * 1000L, 1, 2, 3));
            windows.offer("b", w("b", i * 1000L, 4, 5));
            total += 5;
        }
        long merged = poll(10_000, Set.of("a", "b")).stream()
                .mapToLong(r -> r.templates().get(0).count())
                .sum();
        assertEquals(total, merged);
    }
}
