package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sketch read as a fixed-bucket histogram (what the Prometheus exporter publishes). */
class LatencySketchBucketsTest {

    static final long[] EDGES = {
        50, 100, 250, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 5_000_000, 10_000_000
    };
    static final double A = LatencySketch.RELATIVE_ACCURACY;

    static long countAtOrBelow(long[] values, double limit) {
        long n = 0;
        for (long v : values) {
            if (v <= limit) {
                n++;
            }
        }
        return n;
    }

    @Test
    void eachBucketIsExactUpToTheSketchsRelativeErrorAtItsEdge() {
        Random rnd = new Random(11);
        long[] values = new long[200_000];
        LatencySketch s = new LatencySketch();
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 1000 == 0 ? 0 : (long) Math.exp(rnd.nextGaussian() * 2.5 + 6); // 0 and ~1 µs .. s
            s.record(values[i]);
        }
        long[] got = LatencySketch.decode(s.encode()).countsAtOrBelow(EDGES);
        long strictlyDifferent = 0;
        for (int k = 0; k < EDGES.length; k++) {
            long low = countAtOrBelow(values, EDGES[k] / (1 + A));
            long high = countAtOrBelow(values, EDGES[k] / (1 - A));
            assertTrue(
                    low <= got[k] && got[k] <= high, "le=" + EDGES[k] + ": " + low + " <= " + got[k] + " <= " + high);
            assertTrue(k == 0 || got[k] >= got[k - 1], "cumulative");
            strictlyDifferent += got[k] != countAtOrBelow(values, EDGES[k]) ? 1 : 0;
        }
        assertTrue(strictlyDifferent < EDGES.length, "most edges fall exactly between sketch buckets");
    }

    @Test
    void valuesAwayFromTheEdgesAreCountedExactly() {
        LatencySketch s = new LatencySketch();
        long[] values = {
            0, 1, 49, 51, 90, 99, 120, 240, 260, 480, 900, 1_100, 4_000, 9_000, 40_000, 2_000_000, 20_000_000
        };
        for (long v : values) {
            s.record(v);
        }
        long[] expected = new long[EDGES.length];
        for (int k = 0; k < EDGES.length; k++) {
            expected[k] = countAtOrBelow(values, EDGES[k]);
        }
        assertArrayEquals(expected, s.countsAtOrBelow(EDGES));
    }

    @Test
    void smallIntegersHaveBucketsOfTheirOwnSoSubMillisecondEdgesAreExact() {
        LatencySketch s = new LatencySketch();
        for (long v = 1; v <= 60; v++) {
            s.record(v);
        }
        assertArrayEquals(new long[] {50, 60}, s.countsAtOrBelow(new long[] {50, 100}));
    }
}
