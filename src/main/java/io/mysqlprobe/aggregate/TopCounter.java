package io.mysqlprobe.aggregate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts per name (client host, user) with a bound on distinct names: past it, new names count under
 * {@link #OTHER} so memory stays bounded and totals stay exact.
 */
public final class TopCounter {

    public static final String OTHER = "(other)";

    private final int maxNames;
    private final HashMap<String, Long> counts = new HashMap<>(4);

    public TopCounter(int maxNames) {
        this.maxNames = maxNames;
    }

    public void add(String name, long n) {
        String k = name == null ? "(unknown)" : name;
        if (!counts.containsKey(k) && counts.size() >= maxNames) {
            k = OTHER;
        }
        counts.merge(k, n, Long::sum);
    }

    public void merge(TopCounter other) {
        other.counts.forEach(this::add);
    }

    /** Names by descending count. */
    public Map<String, Long> toMap() {
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
