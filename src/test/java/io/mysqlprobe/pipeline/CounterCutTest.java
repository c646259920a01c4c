package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.aggregate.WindowClock;
import org.junit.jupiter.api.Test;

/** Counters cut by packet time into windows ({@link CounterCut}, {@link WindowCounts}). */
class CounterCutTest {

    private final WindowCounts windows = new WindowCounts();
    private final StageCounters stage = new StageCounters();
    private final CounterCut cut = new CounterCut(stage, windows, new WindowClock(1000));

    /** As the capture thread does: the hook before counting a packet, then the count. */
    private void packet(long tsMicros, int bytes) {
        if (tsMicros >= cut.windowEndUs()) {
            cut.moveTo(tsMicros);
        }
        stage.capture.packets.increment();
        stage.capture.bytes.add(bytes);
    }

    @Test
    void aPacketAtTheFirstMicrosecondOfAWindowCountsInThatWindow() {
        packet(10_000_000, 100); // window [10000, 11000) ms
        packet(10_999_999, 10); // its last microsecond
        packet(11_000_000, 1); // the next window's first
        assertEquals(11_000_000, cut.windowEndUs() - 1_000_000);
        cut.cut();
        Totals first = windows.takeBefore(11_000);
        assertEquals(2, first.get("packets"));
        assertEquals(110, first.get("bytes"));
        Totals second = windows.takeBefore(12_000);
        assertEquals(1, second.get("packets"));
        assertEquals(1, second.get("bytes"));
        assertEquals(0, windows.size());
    }

    @Test
    void windowsWithoutPacketsGetNothingAndTheNextWindowHasOnlyItsOwn() {
        packet(10_500_000, 1);
        packet(13_200_000, 7); // 11 and 12 had no packet
        cut.cut();
        assertEquals(1, windows.takeBefore(11_000).get("packets"));
        assertTrue(windows.takeBefore(13_000).isZero(), "11 and 12 are empty");
        assertEquals(7, windows.takeBefore(14_000).get("bytes"));
    }

    @Test
    void countsCutAfterTheirWindowWasTakenGoOutWithTheNextWindowTaken() {
        packet(10_100_000, 1);
        cut.cut();
        assertEquals(1, windows.takeBefore(11_000).get("packets"));
        // a lagging thread: more packets of window 10 s after it was published
        packet(10_900_000, 1);
        packet(10_950_000, 1);
        cut.cut();
        packet(11_100_000, 1);
        cut.cut();
        assertEquals(3, windows.takeBefore(12_000).get("packets"), "2 late + 1 of its own, none lost");
    }

    @Test
    void everyKindOfCounterOfTheStageIsCutAndANewKindNeedsNoCode() {
        packet(10_000_000, 1);
        stage.tcp.streamGaps.increment();
        stage.tcp.connectionsOpened.add(2);
        stage.tcp.reassemblyOverflows.increment();
        stage.queueDropped.add(5);
        packet(11_000_000, 1);
        Totals t = windows.takeBefore(11_000);
        assertEquals(1, t.get("stream_gaps"));
        assertEquals(2, t.get("connections_opened"));
        assertEquals(5, t.get("queue_dropped"));
        assertEquals(1L, t.decodeErrorsByKind().get("reassembly_overflows"));
    }

    @Test
    void countsBeforeAnyPacketGoOutWithTheNextWindowTaken() {
        stage.capture.truncatedRecords.increment(); // a file cut in its first record: no packet time at all
        cut.cut();
        assertEquals(1, windows.takeBefore(0).get("other_skipped"));
    }

    @Test
    void aWindowChangeOfIntervalIsFollowed() {
        WindowClock clock = new WindowClock(1000);
        CounterCut c = new CounterCut(stage, windows, clock);
        c.moveTo(10_200_000);
        clock.changeInterval(5000, 10_200); // from 11 s on: windows [11, 15), [15, 20)
        stage.capture.packets.increment();
        assertEquals(11_000_000, c.windowEndUs(), "the window in progress keeps its end");
        c.moveTo(11_000_000);
        assertEquals(15_000_000, c.windowEndUs());
        stage.capture.packets.add(2);
        c.moveTo(15_000_000);
        assertEquals(1, windows.takeBefore(11_000).get("packets"));
        assertEquals(2, windows.takeBefore(15_000).get("packets"));
    }

    @Test
    void aStoreNobodyTakesFromStaysBoundedAndLosesNothing() {
        long packets = 0;
        for (int i = 0; i < WindowCounts.MAX_WINDOWS + 50; i++) {
            packet(i * 1_000_000L, 1);
            packets++;
        }
        cut.cut();
        assertEquals(WindowCounts.MAX_WINDOWS, windows.size(), "the oldest windows are folded into the next");
        assertEquals(packets, windows.takeBefore(Long.MAX_VALUE).get("packets"));
    }

    @Test
    void cumulativeTotalsAreTheSumOfEveryThreadsSet() {
        Counters counters = new Counters();
        StageCounters a = counters.newStage();
        StageCounters b = counters.newStage();
        a.capture.packets.add(3);
        b.capture.packets.add(4);
        b.capture.kernelDropped.set(9);
        counters.tcp.streamGaps.increment(); // counted off the packet path
        counters.statements.add(2);
        Totals t = counters.totals();
        assertEquals(7, t.get("packets"));
        assertEquals(1, t.get("stream_gaps"));
        assertEquals(9, t.get("kernel_dropped"));
        assertEquals(2, t.get("statements"));
        assertEquals(7, counters.sum(s -> s.capture.packets.sum()));
        assertEquals(1, counters.unattributedTotals().get("stream_gaps"));
        assertEquals(9, counters.unattributedTotals().get("kernel_dropped"));
        assertEquals(0, counters.unattributedTotals().get("packets"));
    }
}
