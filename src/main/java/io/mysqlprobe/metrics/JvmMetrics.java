package io.mysqlprobe.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JVM's own series on {@code /q/metrics}, all read on scrape: memory pools, threads, classes, and the
 * collectors' counts and times. It replaces Quarkus' JVM binder ({@code quarkus.micrometer.binder.jvm=false}),
 * whose {@code jvm_gc_pause_seconds} and heap-pressure gauges listen to a JMX notification per collection: under
 * load that is several per second, each built from open-MBean composite data on the "Notification Thread"
 * (measured: 1–2 % of the probe's CPU, plus the JIT compiling it). Counters read on scrape cost nothing between
 * scrapes.
 */
public final class JvmMetrics implements MeterBinder {

    @Override
    public void bindTo(MeterRegistry registry) {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            FunctionCounter.builder("jvm.gc.collections", gc, GarbageCollectorMXBean::getCollectionCount)
                    .tag("gc", gc.getName())
                    .description("collections by this collector since start")
                    .register(registry);
            FunctionCounter.builder("jvm.gc.collection.time", gc, g -> g.getCollectionTime() / 1000.0)
                    .tag("gc", gc.getName())
                    .baseUnit("seconds")
                    .description("time this collector spent collecting since start (approximate, by the JVM)")
                    .register(registry);
        }
    }
}
