package io.mysqlprobe.fingerprint;

import java.util.List;

/**
 * Single-thread throughput of the fingerprint stage, printed, not asserted (timings on a shared 2-core
 * machine are not a test). Rates are given per wall-clock second and per CPU-second of the measuring thread
 * (the latter is the meaningful one when the machine is busy). Run after {@code mvn test-compile}:
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/com/github/jsqlparser/jsqlparser/5.3/jsqlparser-5.3.jar \
 *     io.mysqlprobe.fingerprint.FingerprintThroughput
 * </pre>
 */
public final class FingerprintThroughput {

    private static final java.lang.management.ThreadMXBean CPU =
            java.lang.management.ManagementFactory.getThreadMXBean();
    private static volatile Object sink;

    private FingerprintThroughput() {}

    public static void main(String[] args) {
        List<String> corpus = Corpus.entries().stream().map(Corpus.Entry::sql).toList();
        String[] sqls = corpus.toArray(String[]::new);
        String[] sysbench = {
            "SELECT c FROM sbtest1 WHERE id=5021",
            "UPDATE sbtest1 SET k=k+1 WHERE id=5012",
            "SELECT c FROM sbtest3 WHERE id BETWEEN 4995 AND 5094",
            "INSERT INTO sbtest1 (id, k, c, pad) VALUES (5003, 4983, '68487932199-96439406143', '22195207048-70116052123')",
        };
        double avgLen = corpus.stream().mapToInt(String::length).average().orElse(0);
        System.out.printf("corpus: %d statements, %.0f chars on average%n", sqls.length, avgLen);

        SqlNormalizer normalizer = new SqlNormalizer();
        Redactor redactor = new Redactor();
        Fingerprinter fingerprinter = new Fingerprinter();
        measure("normalize, corpus", sqls, normalizer::normalize);
        measure("normalize, sysbench", sysbench, normalizer::normalize);
        measure("redact, corpus", sqls, redactor::redact);
        measure("fingerprint (cache hit), corpus", sqls, fingerprinter::fingerprint);
        measure("fingerprint (cache hit), sysbench", sysbench, fingerprinter::fingerprint);
        misses();
        System.out.println(fingerprinter.stats());
    }

    private static void measure(String name, String[] input, java.util.function.Function<String, Object> f) {
        run(input, f, 2_000_000_000L); // warm-up
        long n = 0;
        long start = System.nanoTime();
        long cpuStart = CPU.getCurrentThreadCpuTime();
        long deadline = start + 3_000_000_000L;
        while (System.nanoTime() < deadline) {
            n += run(input, f, 0);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        double cpuSecs = (CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        System.out.printf("%-36s %,12.0f statements/s wall, %,12.0f per CPU-second%n", name, n / secs, n / cpuSecs);
    }

    private static long run(String[] input, java.util.function.Function<String, Object> f, long forNanos) {
        long n = 0;
        long end = System.nanoTime() + forNanos;
        do {
            for (int r = 0; r < 100; r++) {
                for (String s : input) {
                    sink = f.apply(s);
                    n++;
                }
            }
        } while (System.nanoTime() < end);
        return n;
    }

    /** Cache misses: every statement a new template, so each one is digested and parsed by jsqlparser. */
    private static void misses() {
        Fingerprinter f = new Fingerprinter(1_000_000, 8192, 1000);
        for (int i = 0; i < 5_000; i++) { // warm-up
            sink = f.fingerprint("select a, b from warm" + i + " w join u on u.id = w.uid where w.x = 1 order by a");
        }
        int n = 20_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink = f.fingerprint("select a, b from t" + i + " w join u on u.id = w.uid where w.x = 1 order by a");
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                "%-36s %,12.0f statements/s  %s%n", "fingerprint (miss: digest + parse)", n / secs, f.stats());
    }
}
