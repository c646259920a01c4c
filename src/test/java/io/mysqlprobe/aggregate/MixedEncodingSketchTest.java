package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A master of this release merges a {@code dd1:} histogram of a slave not yet upgraded with the {@code dd2:} one of
 * an upgraded slave. The dd1 strings were written by the dd1 LatencySketch itself (resource file, provenance there).
 */
class MixedEncodingSketchTest {

    private record Fixture(String histogram, long[] values) {}

    private static List<Fixture> fixtures() throws Exception {
        List<Fixture> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/aggregate/dd1-sketches.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" +");
            out.add(new Fixture(
                    f[0],
                    Arrays.stream(f, 1, f.length).mapToLong(Long::parseLong).toArray()));
        }
        return out;
    }

    /** Two 1 % roundings: the old bucket's representative, then the new bucket's. */
    private static void assertWithinTwoPercent(long expected, long actual, String what) {
        assertTrue(
                Math.abs(actual - expected) <= 0.0201 * expected + 1,
                what + ": expected ~" + expected + " got " + actual);
    }

    @Test
    void dd1HistogramsOfOldSlavesAreReadWithTheirCountsAndQuantiles() throws Exception {
        List<Fixture> all = fixtures();
        assertEquals(2, all.size());
        for (Fixture f : all) {
            assertTrue(f.histogram().startsWith("dd1:"));
            LatencySketch s = LatencySketch.decode(f.histogram());
            assertEquals(f.values().length, s.count());
            long[] sorted = f.values().clone();
            Arrays.sort(sorted);
            for (double q : new double[] {0, 0.25, 0.5, 0.75, 0.99, 1}) {
                assertWithinTwoPercent(sorted[(int) Math.floor(q * (sorted.length - 1))], s.quantile(q), "q" + q);
            }
            assertTrue(LatencySketch.decode(s.encode()).encode().startsWith("dd2:"), "re-encoded in the new form");
        }
    }

    @Test
    void aMasterMergesAnOldSlavesDd1WithANewSlavesDd2() throws Exception {
        Fixture old = fixtures().get(0);
        LatencySketch upgraded = new LatencySketch();
        long[] newValues = {95, 130, 4_000, 4_100, 250_000};
        for (long v : newValues) {
            upgraded.record(v);
        }
        String dd2 = upgraded.encode();
        assertTrue(dd2.startsWith("dd2:"));

        LatencySketch master = new LatencySketch();
        master.merge(LatencySketch.decode(old.histogram()));
        master.merge(LatencySketch.decode(dd2));

        long[] union = new long[old.values().length + newValues.length];
        System.arraycopy(old.values(), 0, union, 0, old.values().length);
        System.arraycopy(newValues, 0, union, old.values().length, newValues.length);
        Arrays.sort(union);
        assertEquals(union.length, master.count());
        for (double q : new double[] {0, 0.3, 0.5, 0.8, 1}) {
            assertWithinTwoPercent(union[(int) Math.floor(q * (union.length - 1))], master.quantile(q), "q" + q);
        }
        long[] le = master.countsAtOrBelow(new long[] {1_000, 10_000, 100_000, 1_000_000});
        assertEquals(List.of(8L, 12L, 13L, 14L), Arrays.stream(le).boxed().toList());
    }

    @Test
    void dd2IsTheDdSketchProtobufAndGarbageIsRejected() {
        LatencySketch s = new LatencySketch();
        s.record(0);
        s.record(1000);
        byte[] proto = Base64.getDecoder().decode(s.encode().substring(4));
        assertEquals((1 << 3) | 2, proto[0], "field 1 (mapping), length-delimited, first");
        assertThrows(IllegalArgumentException.class, () -> LatencySketch.decode("dd2:////"));
        assertThrows(
                IllegalArgumentException.class,
                () -> LatencySketch.decode(
                        "dd2:" + Base64.getEncoder().encodeToString(Arrays.copyOf(proto, proto.length - 3))));
        assertThrows(IllegalArgumentException.class, () -> LatencySketch.decode("dd3:AA"));
    }
}
