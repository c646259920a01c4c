package io.mysqlprobe.aggregate;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Base64;

/**
 * A mergeable latency histogram with bounded relative error (a DDSketch with logarithmic buckets,
 * https://arxiv.org/abs/1908.10693): any quantile it returns is within {@link #RELATIVE_ACCURACY} of a
 * value that was really recorded at that rank. Merging two sketches gives exactly the sketch of the union,
 * so masters can merge slaves' windows without losing accuracy. Values are microseconds; 0 has its own bucket.
 * Not thread-safe: one owner at a time.
 */
public final class LatencySketch {

    public static final double RELATIVE_ACCURACY = 0.01;
    private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
    private static final double LN_GAMMA = Math.log(GAMMA);
    private static final String PREFIX = "dd1:";

    private long zeroCount;
    private long count;
    private long[] counts = new long[0];
    private int offset; // bucket index of counts[0]

    static int indexOf(long v) {
        return (int) Math.ceil(Math.log(v) / LN_GAMMA);
    }

    static long valueOf(int index) {
        return Math.round(2 * Math.pow(GAMMA, index) / (GAMMA + 1));
    }

    public void record(long micros) {
        count++;
        if (micros <= 0) {
            zeroCount++;
            return;
        }
        add(indexOf(micros), 1);
    }

    private void add(int index, long n) {
        if (counts.length == 0) {
            counts = new long[16];
            offset = index - 8;
        } else if (index < offset || index >= offset + counts.length) {
            int lo = Math.min(offset, index);
            int hi = Math.max(offset + counts.length - 1, index);
            int size = Math.max(hi - lo + 1 + 8, counts.length * 3 / 2);
            long[] grown = new long[size];
            int newOffset = index < offset ? lo - (size - (hi - lo + 1)) : lo;
            System.arraycopy(counts, 0, grown, offset - newOffset, counts.length);
            counts = grown;
            offset = newOffset;
        }
        counts[index - offset] += n;
    }

    public long count() {
        return count;
    }

    public void merge(LatencySketch other) {
        count += other.count;
        zeroCount += other.zeroCount;
        for (int i = 0; i < other.counts.length; i++) {
            if (other.counts[i] != 0) {
                add(other.offset + i, other.counts[i]);
            }
        }
    }

    /** The value at quantile {@code q} (0..1), or 0 for an empty sketch. */
    public long quantile(double q) {
        if (count == 0) {
            return 0;
        }
        long rank = (long) Math.floor(q * (count - 1));
        if (rank < zeroCount) {
            return 0;
        }
        long seen = zeroCount;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen > rank) {
                return valueOf(offset + i);
            }
        }
        return valueOf(offset + counts.length - 1);
    }

    /**
     * How many recorded values lie at or below each of {@code edgesUs} (ascending, positive microseconds): the
     * cumulative counts of a histogram with those upper bounds. Exact for every bucket of the sketch that lies
     * on one side of an edge; the one bucket an edge cuts through is counted by its representative value, so a
     * value counted at or below {@code E} is at most {@code E/(1−α)} and one not counted is above {@code E/(1+α)}
     * (α = {@link #RELATIVE_ACCURACY}: the representative is within α of every value of its bucket).
     */
    public long[] countsAtOrBelow(long[] edgesUs) {
        long[] out = new long[edgesUs.length];
        int[] lastIndexAtOrBelow = new int[edgesUs.length];
        for (int k = 0; k < edgesUs.length; k++) {
            long e = edgesUs[k];
            int i = indexOf(e);
            lastIndexAtOrBelow[k] = indexOf(e + 1) > i || valueOf(i) <= e ? i : i - 1;
        }
        int k = 0;
        long n = zeroCount;
        for (int j = 0; j < counts.length && k < out.length; j++) {
            while (k < out.length && offset + j > lastIndexAtOrBelow[k]) {
                out[k++] = n; // every bucket below this one is in n
            }
            n += counts[j];
        }
        while (k < out.length) {
            out[k++] = n;
        }
        return out;
    }

    /** Compact text form for the report: {@code dd1:} + base64 of varints (zero count, first index, counts). */
    public String encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        int first = 0;
        int last = counts.length - 1;
        while (first <= last && counts[first] == 0) {
            first++;
        }
        while (last >= first && counts[last] == 0) {
            last--;
        }
        writeVarLong(out, zeroCount);
        writeVarLong(out, zigzag(first > last ? 0 : offset + first));
        writeVarLong(out, first > last ? 0 : last - first + 1);
        for (int i = first; i <= last; i++) {
            writeVarLong(out, counts[i]);
        }
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(out.toByteArray());
    }

    /** Parses {@link #encode()}'s output; throws IllegalArgumentException on anything else. */
    public static LatencySketch decode(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a latency sketch: " + text);
        }
        byte[] b = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        int[] pos = {0};
        LatencySketch s = new LatencySketch();
        s.zeroCount = readVarLong(b, pos);
        s.count = s.zeroCount;
        long firstZ = readVarLong(b, pos);
        int first = (int) ((firstZ >>> 1) ^ -(firstZ & 1));
        long n = readVarLong(b, pos);
        if (n < 0 || n > 100_000) {
            throw new IllegalArgumentException("latency sketch: bad bucket count " + n);
        }
        for (int i = 0; i < n; i++) {
            long c = readVarLong(b, pos);
            if (c != 0) {
                s.add(first + i, c);
                s.count += c;
            }
        }
        return s;
    }

    private static long zigzag(int v) {
        return (v << 1) ^ (v >> 31);
    }

    private static void writeVarLong(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
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

    @Override
    public String toString() {
        return "LatencySketch{count=" + count + ", buckets=" + Arrays.stream(counts).filter(c -> c > 0).count() + "}";
    }
}
