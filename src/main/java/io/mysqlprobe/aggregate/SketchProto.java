package io.mysqlprobe.aggregate;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.mapping.CubicallyInterpolatedMapping;
import com.datadoghq.sketch.ddsketch.mapping.IndexMapping;
import com.datadoghq.sketch.ddsketch.mapping.LogarithmicMapping;
import com.datadoghq.sketch.ddsketch.store.Bin;
import com.datadoghq.sketch.ddsketch.store.Store;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads the DDSketch protobuf message (sketches-java's DDSketch.proto, which {@code DDSketch.serialize()} writes)
 * (written with only the non-zero buckets: {@code serialize()} writes the dense store's whole array, padding
 * included), reading into a sketch with {@link LatencySketch#MAPPING}: sketches-java parses it only through protobuf-java, an optional
 * dependency whose 4.x runtime no longer runs the library's 3.13 generated classes. A sketch of another mapping is
 * converted. Bad input (truncated, negative or fractional counts, negative values, a bucket range over
 * {@link #MAX_SPAN}) is an IllegalArgumentException.
 */
final class SketchProto {

    static final int MAX_SPAN = 100_000;
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LEN = 2;
    private static final int FIXED32 = 5;

    private final byte[] b;
    private int pos;
    private final int end;

    private SketchProto(byte[] b, int pos, int end) {
        this.b = b;
        this.pos = pos;
        this.end = end;
    }

    private record Bins(List<int[]> indexes, List<Double> counts) {
        Bins() {
            this(new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Field 1 (the mapping) exactly as sketches-java writes it for {@link LatencySketch#MAPPING}. */
    private static final byte[] MAPPING_FIELD = mappingField();

    private static byte[] mappingField() {
        ByteBuffer b = new DDSketch(LatencySketch.MAPPING, LatencySketch.STORE).serialize();
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        SketchProto in = new SketchProto(bytes, 0, bytes.length);
        if (in.varint() != ((1 << 3) | LEN)) {
            throw new IllegalStateException("sketches-java wrote no mapping first");
        }
        in.message();
        return java.util.Arrays.copyOf(bytes, in.pos);
    }

    /** The sketch's message: mapping, positive buckets (contiguous or as a map, the shorter), zero count. */
    static byte[] encode(DDSketch s) {
        ProtoBytes out = new ProtoBytes(64);
        out.writeBytes(MAPPING_FIELD);
        Store store = s.getPositiveValueStore();
        if (!store.isEmpty()) {
            List<Bin> bins = new ArrayList<>();
            store.getAscendingIterator().forEachRemaining(bin -> {
                if (bin.getCount() != 0) {
                    bins.add(bin);
                }
            });
            ProtoBytes st = new ProtoBytes(16 + 13 * bins.size());
            if (!bins.isEmpty()) {
                int first = bins.get(0).getIndex();
                int span = bins.get(bins.size() - 1).getIndex() - first + 1;
                if (8L * span + 8 <= 13L * bins.size()) {
                    st.writeVarint((2 << 3) | LEN);
                    st.writeVarint(8L * span);
                    int k = 0;
                    for (int i = first; i < first + span; i++) {
                        Bin bin = bins.get(k);
                        st.writeDouble(bin.getIndex() == i ? bins.get(k++).getCount() : 0);
                    }
                    st.writeVarint((3 << 3) | VARINT);
                    st.writeVarint(((long) first << 1) ^ (first >> 31));
                } else {
                    for (Bin bin : bins) {
                        int key = bin.getIndex();
                        long zz = ((long) key << 1) ^ (key >> 31);
                        st.writeVarint((1 << 3) | LEN);
                        st.writeVarint(1 + varintSize(zz) + 1 + 8);
                        st.writeVarint((1 << 3) | VARINT);
                        st.writeVarint(zz);
                        st.writeVarint((2 << 3) | FIXED64);
                        st.writeDouble(bin.getCount());
                    }
                }
            }
            out.writeVarint((2 << 3) | LEN);
            out.writeVarint(st.size());
            out.writeBytes(st.toByteArray());
        }
        double zeros = s.getCount() - store.getTotalCount();
        if (zeros > 0) {
            out.writeVarint((4 << 3) | FIXED64);
            out.writeDouble(zeros);
        }
        return out.toByteArray();
    }

    private static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static DDSketch decode(byte[] bytes) {
        SketchProto in = new SketchProto(bytes, 0, bytes.length);
        double gamma = 0;
        double indexOffset = 0;
        long interpolation = 0;
        Bins positive = new Bins();
        double zeros = 0;
        while (in.pos < in.end) {
            long tag = in.varint();
            int field = (int) (tag >>> 3);
            int type = (int) (tag & 7);
            if (field == 1 && type == LEN) {
                SketchProto m = in.message();
                while (m.pos < m.end) {
                    long t = m.varint();
                    switch ((int) t) {
                        case (1 << 3) | FIXED64 -> gamma = m.fixedDouble();
                        case (2 << 3) | FIXED64 -> indexOffset = m.fixedDouble();
                        case (3 << 3) | VARINT -> interpolation = m.varint();
                        default -> m.skip((int) (t & 7));
                    }
                }
            } else if (field == 2 && type == LEN) {
                in.message().store(positive);
            } else if (field == 3 && type == LEN) {
                Bins negative = new Bins();
                in.message().store(negative);
                if (!negative.counts().stream().allMatch(c -> c == 0)) {
                    throw new IllegalArgumentException("latency sketch: negative values");
                }
            } else if (field == 4 && type == FIXED64) {
                zeros = count(in.fixedDouble());
            } else {
                in.skip(type);
            }
        }
        IndexMapping mapping = mapping(gamma, indexOffset, interpolation);
        DDSketch s = DDSketch.of(mapping, LatencySketch.STORE.get(), LatencySketch.STORE.get(), zeros);
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (int i = 0; i < positive.counts().size(); i++) {
            if (positive.counts().get(i) != 0) {
                min = Math.min(min, positive.indexes().get(i)[0]);
                max = Math.max(max, positive.indexes().get(i)[0]);
            }
        }
        if (min <= max && (long) max - min >= MAX_SPAN) {
            throw new IllegalArgumentException("latency sketch: bucket range " + min + ".." + max);
        }
        Store store = s.getPositiveValueStore();
        for (int i = 0; i < positive.counts().size(); i++) {
            if (positive.counts().get(i) != 0) {
                store.add(positive.indexes().get(i)[0], positive.counts().get(i));
            }
        }
        return mapping.equals(LatencySketch.MAPPING) ? s : s.convert(LatencySketch.MAPPING, LatencySketch.STORE);
    }

    private static IndexMapping mapping(double gamma, double indexOffset, long interpolation) {
        if (!(gamma > 1) || !Double.isFinite(gamma) || !Double.isFinite(indexOffset)) {
            throw new IllegalArgumentException("latency sketch: bad mapping gamma " + gamma);
        }
        if (interpolation == 3) {
            return new CubicallyInterpolatedMapping(gamma, indexOffset);
        }
        if (interpolation == 0) {
            return new LogarithmicMapping(gamma, indexOffset);
        }
        throw new IllegalArgumentException("latency sketch: unsupported interpolation " + interpolation);
    }

    private void store(Bins bins) {
        List<Double> contiguous = new ArrayList<>();
        long offset = 0;
        while (pos < end) {
            long t = varint();
            switch ((int) t) {
                case (1 << 3) | LEN -> { // map<sint32, double> entry
                    SketchProto e = message();
                    int key = 0;
                    double value = 0;
                    while (e.pos < e.end) {
                        long et = e.varint();
                        switch ((int) et) {
                            case (1 << 3) | VARINT -> key = (int) e.zigzag();
                            case (2 << 3) | FIXED64 -> value = count(e.fixedDouble());
                            default -> e.skip((int) (et & 7));
                        }
                    }
                    bins.indexes().add(new int[] {key});
                    bins.counts().add(value);
                }
                case (2 << 3) | LEN -> {
                    SketchProto p = message();
                    while (p.pos < p.end) {
                        contiguous.add(count(p.fixedDouble()));
                    }
                }
                case (2 << 3) | FIXED64 -> contiguous.add(count(fixedDouble()));
                case (3 << 3) | VARINT -> offset = zigzag();
                default -> skip((int) (t & 7));
            }
        }
        if (contiguous.size() > MAX_SPAN || Math.abs(offset) > Integer.MAX_VALUE - MAX_SPAN) {
            throw new IllegalArgumentException("latency sketch: bucket range " + offset + "+" + contiguous.size());
        }
        for (int i = 0; i < contiguous.size(); i++) {
            bins.indexes().add(new int[] {(int) offset + i});
            bins.counts().add(contiguous.get(i));
        }
    }

    private static double count(double c) {
        if (!(c >= 0) || c != Math.rint(c) || c > 1e15) {
            throw new IllegalArgumentException("latency sketch: bad count " + c);
        }
        return c;
    }

    private SketchProto message() {
        long n = varint();
        if (n < 0 || n > end - pos) {
            throw new IllegalArgumentException("latency sketch: truncated");
        }
        SketchProto m = new SketchProto(b, pos, pos + (int) n);
        pos += (int) n;
        return m;
    }

    private void skip(int type) {
        switch (type) {
            case VARINT -> varint();
            case FIXED64 -> need(8);
            case LEN -> message();
            case FIXED32 -> need(4);
            default -> throw new IllegalArgumentException("latency sketch: bad wire type " + type);
        }
    }

    private int need(int n) {
        if (end - pos < n) {
            throw new IllegalArgumentException("latency sketch: truncated");
        }
        int at = pos;
        pos += n;
        return at;
    }

    private double fixedDouble() {
        int at = need(8);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return Double.longBitsToDouble(v);
    }

    private long zigzag() {
        long v = varint();
        return (v >>> 1) ^ -(v & 1);
    }

    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int x = b[need(1)];
            v |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("latency sketch: varint too long");
    }
}
