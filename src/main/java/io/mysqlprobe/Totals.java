package io.mysqlprobe;

import java.util.HashMap;
import java.util.Map;

/**
 * Cumulative counters of every stage at one instant; the report shows the difference between two.
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

    static Totals empty() {
        return new Totals(Map.of(), Map.of());
    }
}
