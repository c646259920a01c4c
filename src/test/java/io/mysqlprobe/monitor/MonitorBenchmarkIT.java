package io.mysqlprobe.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One monitor checking 500 simulated backends ({@link SimulatedBackends}, a separate process) at a
 * 100 ms ping interval: check-start drift p50/p99 and the monitor JVM's CPU per 1,000 checks.
 * Opt-in (it loads the machine): {@code -Dmonitor.bench=true}; {@code -Dmonitor.bench.backends},
 * {@code -Dmonitor.bench.seconds} to vary.
 */
class MonitorBenchmarkIT {

    @Test
    void fiveHundredBackendsAtOneHundredMs() throws Exception {
        assumeTrue(Boolean.getBoolean("monitor.bench"), "benchmark: run with -Dmonitor.bench=true");
        int n = Integer.getInteger("monitor.bench.backends", 500);
        int seconds = Integer.getInteger("monitor.bench.seconds", 15);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process sim = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulatedBackends.class.getName(),
                        Integer.toString(n))
                .redirectErrorStream(true)
                .start();
        MonitorEngine engine = new MonitorEngine();
        try {
            String line = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            List<Map<String, Object>> servers = new ArrayList<>();
            for (String p : line.trim().split(" ")) {
                servers.add(Map.of("hostgroup", 1, "host", "127.0.0.1", "port", Integer.parseInt(p)));
            }
            assertEquals(n, servers.size());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("enabled", true);
            m.put("ping_interval", 100);
            m.put("ping_timeout", 1000);
            m.put("connect_interval", 120_000);
            m.put("servers", servers);
            engine.apply(MonitorConfig.parse(m));

            Thread.sleep(5000); // warm-up: connections opened, JIT
            com.sun.management.OperatingSystemMXBean os =
                    (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            engine.resetDrift();
            long done0 = engine.threads().pool().tasksDone();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu = os.getProcessCpuTime() - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            MonitorEngine.Threads th = engine.threads();
            long checks = th.pool().tasksDone() - done0;
            long errors = engine.pingLog().query(null, null, null, 10_000).stream()
                    .filter(r -> r.pingError() != null)
                    .count();
            System.out.printf(
                    "BENCH backends=%d ping_interval=100ms window=%.1fs checks=%d (%.0f/s, expected %.0f/s)"
                            + " drift p50=%.2fms p99=%.2fms cpu=%.1fms per 1000 checks (%.0f%% of one core)"
                            + " workers=%d peak=%d queue=%d skipped=%d dropped=%d ping errors in last 10k rows=%d idle conns=%d%n",
                    n,
                    wall,
                    checks,
                    checks / wall,
                    n * 10.0,
                    th.driftP50Us() / 1000.0,
                    th.driftP99Us() / 1000.0,
                    cpu / 1e6 / (checks / 1000.0),
                    cpu / 1e9 / wall * 100,
                    th.pool().workers(),
                    th.pool().peakWorkers(),
                    th.pool().queueLength(),
                    th.skipped(),
                    th.dropped(),
                    errors,
                    th.connections().idle());
            assertTrue(checks > 0);
        } finally {
            engine.stop();
            sim.destroy();
            sim.waitFor();
        }
    }
}
