package io.mysqlprobe.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import com.datadoghq.sketch.ddsketch.store.UnboundedSizeDenseStore;
import java.util.Base64;
import java.util.Iterator;
import java.util.function.Supplier;

/**
 * A mergeable latency histogram with bounded relative error: a DDSketch of {@code com.datadoghq:sketches-java}
 * (https://arxiv.org/abs/1908.10693). Any quantile it returns is within {@link #RELATIVE_ACCURACY} of a value
 * really recorded at that rank; merging two sketches gives exactly the sketch of the union, so masters merge
 * slaves' windows without losing accuracy. Values are microseconds; 0 has its own bucket (the zero count).
 * The index mapping interpolates log2 cubically between powers of two (no {@code Math.log} per value).
 * Not thread-safe: one owner at a time.
 */
public final class LatencySketch {

    public static final double RELATIVE_ACCURACY = 0.01;
    static final IndexMapping MAPPING = new CubicallyInterpolatedMapping(RELATIVE_ACCURACY);
    static final Supplier<Store> STORE = UnboundedSizeDenseStore::new;
    /** The encoding: {@code dd2:} + base64 of the sketch's DDSketch protobuf message (DDSketch.proto). */
    static final String PREFIX = "dd2:";

    private final DDSketch sketch;
    private long count;

    public LatencySketch() {
        this(new DDSketch(MAPPING, STORE, STORE));
    }

    private LatencySketch(DDSketch sketch) {
        this.sketch = sketch;
    }

    /** The sketch of {@code s}, whose mapping is {@link #MAPPING} and whose counts are whole. */
    static LatencySketch of(DDSketch s) {
        LatencySketch l = new LatencySketch(s);
        l.count = Math.round(s.getCount());
        return l;
    }

    public void record(long micros) {
        count++;
        sketch.accept(micros <= 0 ? 0 : micros);
    }

    public long count() {
        return count;
    }

    public void merge(LatencySketch other) {
        if (other.count != 0) {
            sketch.mergeWith(other.sketch);
            count += other.count;
        }
    }

    /** The value at quantile {@code q} (0..1), or 0 for an empty sketch. */
    public long quantile(double q) {
        return count == 0 ? 0 : Math.round(sketch.getValueAtQuantile(q));
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
            int i = MAPPING.index(e);
            lastIndexAtOrBelow[k] = MAPPING.index(e + 1) > i || MAPPING.value(i) <= e ? i : i - 1;
        }
        int k = 0;
        long n = Math.round(sketch.getCount() - sketch.getPositiveValueStore().getTotalCount()); // zeros
        Iterator<Bin> bins = sketch.getPositiveValueStore().getAscendingIterator();
        while (bins.hasNext() && k < out.length) {
            Bin b = bins.next();
            while (k < out.length && b.getIndex() > lastIndexAtOrBelow[k]) {
                out[k++] = n; // every bucket below this one is in n
            }
            n += Math.round(b.getCount());
        }
        while (k < out.length) {
            out[k++] = n;
        }
        return out;
    }

    /** Text form for the report: {@code dd2:} + base64 (no padding) of the DDSketch protobuf message. */
    public String encode() {
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(SketchProto.encode(sketch));
    }

    /**
     * Parses {@link #encode()}'s output, and the {@code dd1:} encoding of the previous release (read for one
     * release, so a master merges the windows of slaves not yet upgraded); throws IllegalArgumentException on
     * anything else.
     */
    public static LatencySketch decode(String text) {
        if (text != null && text.startsWith(PREFIX)) {
            return of(SketchProto.decode(base64(text.substring(PREFIX.length()))));
        }
        if (text != null && text.startsWith(LegacySketch.PREFIX)) {
            return of(LegacySketch.decode(base64(text.substring(LegacySketch.PREFIX.length()))));
        }
        throw new IllegalArgumentException("not a latency sketch: " + text);
    }

    private static byte[] base64(String text) {
        return Base64.getDecoder().decode(text); // IllegalArgumentException on bad base64
    }

    @Override
    public String toString() {
        return "LatencySketch{count=" + count + "}";
    }
}
