package io.mysqlprobe.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;

/**
 * Reads the {@code dd1:} histograms of the release before sketches-java (varints: zero count, zigzag first bucket
 * index, bucket count, counts; bucket i holds (γ^(i−1), γ^i] with γ = 1.01/0.99), for one release, so that a master
 * merges old slaves' windows. Each old bucket goes into {@link LatencySketch#MAPPING} at its representative value:
 * such a histogram's quantiles are within about 2 % (two 1 % roundings) instead of 1 %.
 */
final class LegacySketch {

    static final String PREFIX = "dd1:";
    private static final double GAMMA = (1 + LatencySketch.RELATIVE_ACCURACY) / (1 - LatencySketch.RELATIVE_ACCURACY);
    private static final int MAX_BUCKETS = 100_000;

    private LegacySketch() {}

    static DDSketch decode(byte[] b) {
        int[] pos = {0};
        DDSketch s = new DDSketch(LatencySketch.MAPPING, LatencySketch.STORE, LatencySketch.STORE);
        long zeros = readVarLong(b, pos);
        if (zeros > 0) {
            s.accept(0, zeros);
        }
        long firstZ = readVarLong(b, pos);
        long first = (firstZ >>> 1) ^ -(firstZ & 1);
        long n = readVarLong(b, pos);
        if (n < 0 || n > MAX_BUCKETS || Math.abs(first) > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("latency sketch: bad bucket range " + first + "+" + n);
        }
        for (int i = 0; i < n; i++) {
            long c = readVarLong(b, pos);
            if (c < 0) {
                throw new IllegalArgumentException("latency sketch: negative count");
            }
            if (c != 0) {
                s.accept(2 * Math.pow(GAMMA, first + i) / (GAMMA + 1), c);
            }
        }
        return s;
    }

    private static long readVarLong(byte[] b, int[] pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) {
                throw new IllegalArgumentException("latency sketch: truncated");
            }
            int x = b[pos[0]++];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("latency sketch: varint too long");
    }
}
