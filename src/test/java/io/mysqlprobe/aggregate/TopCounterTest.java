package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopCounterTest {

    @Test
    void namesPastTheBoundCountAsOtherAndTotalsStayExact() {
        TopCounter c = new TopCounter(2);
        c.add("a", 1);
        c.add("b", 5);
        c.add("c", 2);
        c.add("a", 1);
        c.add("d", 3);
        c.add(null, 1);
        Map<String, Long> m = c.toMap();
        assertEquals(List.of("(other)", "b", "a"), List.copyOf(m.keySet()), "by descending count");
        assertEquals(Map.of("a", 2L, "b", 5L, TopCounter.OTHER, 6L), m);
        assertEquals(13L, m.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void mergeAddsAndTiesAreOrderedByName() {
        TopCounter a = new TopCounter(10);
        a.add("x", 2);
        a.add("y", 1);
        TopCounter b = new TopCounter(10);
        b.add("y", 1);
        b.add("w", 2);
        a.merge(b);
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("w", 2L);
        expected.put("x", 2L);
        expected.put("y", 2L);
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(a.toMap().entrySet()));
    }
}
