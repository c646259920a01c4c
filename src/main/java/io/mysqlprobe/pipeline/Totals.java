package io.mysqlprobe.pipeline;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters of every stage at one instant, or the change between two instants (the report shows changes).
 */
record Totals(Map<String, Long> values, Map<String, Long> decodeErrorsByKind) {

    long get(String name) {
        return values.getOrDefault(name, 0L);
    }

    Totals minus(Totals before) {
        Map<String, Long> v = new HashMap<>();
        values.forEach((k, x) -> v.put(k, x - before.get(k)));
        Map<String, Long> d = new HashMap<>();
        decodeErrorsByKind.forEach((k, x) -> {
            long delta = x - before.decodeErrorsByKind.getOrDefault(k, 0L);
            if (delta != 0) {
                d.put(k, delta);
            }
        });
        return new Totals(v, d);
    }

    /** Name by name sums (a name missing on one side counts as 0). */
    Totals plus(Totals other) {
        Map<String, Long> v = new HashMap<>(values);
        other.values.forEach((k, x) -> v.merge(k, x, Long::sum));
        Map<String, Long> d = new HashMap<>(decodeErrorsByKind);
        other.decodeErrorsByKind.forEach((k, x) -> d.merge(k, x, Long::sum));
        return new Totals(v, d);
    }

    boolean isZero() {
        for (long x : values.values()) {
            if (x != 0) {
                return false;
            }
        }
        for (long x : decodeErrorsByKind.values()) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    static Totals empty() {
        return new Totals(Map.of(), Map.of());
    }
}
