package io.mysqlprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class JvmMetricsTest {

    @Test
    void collectorsAreCountedOnReadWithTheJvmsOwnFigures() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new JvmMetrics().bindTo(registry);
        System.gc(); // at least one collection by some collector
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter n =
                    registry.find("jvm.gc.collections").tag("gc", gc.getName()).functionCounter();
            FunctionCounter t = registry.find("jvm.gc.collection.time")
                    .tag("gc", gc.getName())
                    .functionCounter();
            assertNotNull(n, gc.getName());
            assertNotNull(t, gc.getName());
            long before = gc.getCollectionCount();
            double read = n.count();
            assertTrue(read >= before && read <= gc.getCollectionCount(), gc.getName() + ": " + read);
            assertEquals(gc.getCollectionTime() / 1000.0, t.count(), 0.5);
            total += (long) read;
        }
        assertTrue(total >= 1, "System.gc() ran no collection");
        assertNotNull(registry.find("jvm.memory.used").gauge());
        assertNotNull(registry.find("jvm.threads.live").gauge());
        assertNotNull(registry.find("jvm.classes.loaded").gauge());
    }
}
