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
    /** A mutable cell per name: one lookup and no boxing per statement. */
    private final HashMap<String, long[]> counts = new HashMap<>(4);

    public TopCounter(int maxNames) {
        this.maxNames = maxNames;
    }

    /** The last name added and its cell: a template's statements mostly come from one user and client host. */
    private String lastName;

    private long[] lastCell;

    public void add(String name, long n) {
        if (name != null && name.equals(lastName)) {
            lastCell[0] += n;
            return;
        }
        String k = name == null ? "(unknown)" : name;
        long[] cell = counts.get(k);
        if (cell == null) {
            if (counts.size() >= maxNames) {
                k = OTHER;
                cell = counts.get(k);
            }
            if (cell == null) {
                cell = new long[1];
                counts.put(k, cell);
            }
        }
        cell[0] += n;
        if (name != null) {
            lastName = name; // a name counted under OTHER keeps counting there: the bound never frees a slot
            lastCell = cell;
        }
    }

    public void merge(TopCounter other) {
        other.counts.forEach((k, cell) -> add(k, cell[0]));
    }

    /** Names by descending count. */
    public Map<String, Long> toMap() {
        LinkedHashMap<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted((a, b) -> a.getValue()[0] != b.getValue()[0]
                        ? Long.compare(b.getValue()[0], a.getValue()[0])
                        : a.getKey().compareTo(b.getKey()))
                .forEach(e -> out.put(e.getKey(), e.getValue()[0]));
        return out;
    }
}
