package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WindowClockTest {

    @Test
    void windowsAreAlignedToTheWallClock() {
        WindowClock c = new WindowClock(10_000);
        assertEquals(1_700_000_000_000L, c.startOf(1_700_000_004_999L));
        assertEquals(1_700_000_010_000L, c.endOf(1_700_000_000_000L));
        assertEquals(1_700_000_010_000L, c.startOf(1_700_000_010_000L));
    }

    @Test
    void aNewIntervalAppliesFromTheEndOfTheWindowInProgressThenRealigns() {
        WindowClock c = new WindowClock(10_000);
        c.changeInterval(3_000, 1_000_004_000L); // window in progress: [1_000_000_000, 1_000_010_000)
        assertEquals(1_000_000_000L, c.startOf(1_000_009_999L));
        assertEquals(1_000_010_000L, c.endOf(1_000_000_000L));
        // first window after the change runs to the next multiple of 3 s: 1_000_011_000
        assertEquals(1_000_010_000L, c.startOf(1_000_010_500L));
        assertEquals(1_000_011_000L, c.endOf(1_000_010_000L));
        assertEquals(1_000_011_000L, c.startOf(1_000_013_999L));
        assertEquals(1_000_014_000L, c.endOf(1_000_011_000L));
    }

    @Test
    void aSecondChangeBeforeTheFirstAppliesReplacesIt() {
        WindowClock c = new WindowClock(10_000);
        c.changeInterval(3_000, 5_000);
        c.changeInterval(5_000, 6_000);
        assertEquals(10_000, c.endOf(0));
        assertEquals(15_000, c.endOf(10_000));
        assertEquals(5_000, c.intervalMs());
    }
}
