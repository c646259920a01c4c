package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencySketchTest {

    private static long exact(long[] sorted, double q) {
        return sorted[(int) Math.floor(q * (sorted.length - 1))];
    }

    private static void assertWithinOnePercent(long expected, long actual, String what) {
        double err = Math.abs(actual - expected) / (double) Math.max(1, expected);
        assertTrue(err <= 0.01 + 1.0 / Math.max(1, expected), what + ": expected ~" + expected + " got " + actual);
    }

    @Test
    void quantilesAreWithinOnePercentOfTheTrueValue() {
        Random rnd = new Random(42);
        long[] values = new long[100_000];
        LatencySketch s = new LatencySketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(rnd.nextGaussian() * 2 + 7); // log-normal, µs: ~1 µs .. ~seconds
            s.record(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999}) {
            assertWithinOnePercent(exact(values, q), s.quantile(q), "q" + q);
        }
        assertEquals(values.length, s.count());
    }

    @Test
    void mergingEqualsRecordingTheUnion() {
        Random rnd = new Random(7);
        LatencySketch a = new LatencySketch();
        LatencySketch b = new LatencySketch();
        LatencySketch all = new LatencySketch();
        for (int i = 0; i < 20_000; i++) {
            long v = rnd.nextInt(5_000_000);
            (i % 3 == 0 ? a : b).record(v);
            all.record(v);
        }
        a.merge(b);
        assertEquals(all.encode(), a.encode());
        for (double q : new double[] {0.5, 0.99, 0.999}) {
            assertEquals(all.quantile(q), a.quantile(q));
        }
    }

    @Test
    void encodingRoundTripsAndRejectsGarbage() {
        LatencySketch s = new LatencySketch();
        for (long v : new long[] {0, 0, 1, 5, 200_000, 200_123, 3_000_000_000L}) {
            s.record(v);
        }
        LatencySketch back = LatencySketch.decode(s.encode());
        assertEquals(s.encode(), back.encode());
        assertEquals(7, back.count());
        assertEquals(0, back.quantile(0.1));
        assertWithinOnePercent(200_000, back.quantile(0.75), "p75");
        assertThrows(IllegalArgumentException.class, () -> LatencySketch.decode("nope"));
        assertThrows(IllegalArgumentException.class, () -> LatencySketch.decode("dd1:////"));
        assertEquals(0, new LatencySketch().quantile(0.5));
        assertEquals(0, LatencySketch.decode(new LatencySketch().encode()).count());
    }

    @Test
    void bucketsGrowInBothDirections() {
        LatencySketch s = new LatencySketch();
        s.record(1000);
        s.record(1);
        s.record(10_000_000_000L);
        assertEquals(1, s.quantile(0));
        assertWithinOnePercent(1000, s.quantile(0.5), "median");
        assertWithinOnePercent(10_000_000_000L, s.quantile(1), "max");
    }
}
