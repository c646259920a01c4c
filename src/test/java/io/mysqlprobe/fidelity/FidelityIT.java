package io.mysqlprobe.fidelity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.fidelity.FidelityServer.PsEvent;
import io.mysqlprobe.pipeline.OfflineAnalyzer;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fidelity harness (issue 3): a throw-away mariadbd with performance_schema's statement history, workloads
 * captured with tcpdump on {@code lo}, each capture run through {@code analyze} in-process, and the report compared
 * with the server's own accounting. Prints a table (also written to {@code target/fidelity-report.txt}); fails
 * below the count targets: ≥ 99.9 % of top-level statements counted, errors per errno exact, rows sent/affected
 * sums exact, db known for ≥ 99 % of statements where the watcher applies (pre-opened connections with the
 * watcher). TLS sessions are excluded and reported. SLEEP(0.2) latency is printed, not gated.
 * Needs root (tcpdump), mariadbd, mariadb, sysbench, openssl: {@code .ci/install-deps.sh}; run alone with
 * {@code bench/fidelity.sh}.
 */
class FidelityIT {

    @FunctionalInterface
    interface Step {
        void run(Workloads.Ctx c) throws Exception;
    }

    record Spec(String name, Step setup, Step run) {}

    @Test
    void probeCountsWhatTheServerCounts() throws Exception {
        Path work = Files.createTempDirectory("fidelity-");
        List<Comparison> rows = new ArrayList<>();
        long t0 = System.nanoTime();
        try (FidelityServer srv = FidelityServer.start(work)) {
            Workloads.createSchema(srv);
            List<Spec> specs = List.of(
                    new Spec("sysbench ps-mode=auto", Workloads::sysbenchPrepare, c -> Workloads.sysbench(c, "auto")),
                    new Spec("sysbench ps-mode=disable", c -> {}, c -> Workloads.sysbench(c, "disable")),
                    new Spec("mix (JDBC + CLI)", c -> {}, Workloads::mix),
                    new Spec("bulk (COM_STMT_BULK_EXECUTE)", c -> {}, Workloads::bulk),
                    new Spec("compressed (CLI + JDBC)", c -> {}, Workloads::compressed),
                    new Spec("LOCAL INFILE", c -> {}, Workloads::localInfile),
                    new Spec("stored procedure (CALL)", c -> {}, Workloads::procedure),
                    new Spec("pre-opened", Workloads::preOpen, Workloads::preOpened),
                    new Spec("pre-opened compressed", Workloads::preOpenCompressed, Workloads::preOpened),
                    new Spec("TLS + plain", c -> {}, Workloads::tls));
            for (Spec spec : specs) {
                rows.addAll(runOne(srv, spec));
            }
        } finally {
            if (!Boolean.getBoolean("fidelity.keep")) {
                try (Stream<Path> files = Files.walk(work)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(f -> f.toFile().delete());
                }
            }
        }
        StringBuilder table =
                new StringBuilder("\nFidelity: performance_schema (P_S, top-level statements) vs the probe's"
                        + " report (" + (System.nanoTime() - t0) / 1_000_000 + " ms)\n");
        table.append(Comparison.header()).append('\n');
        rows.forEach(r -> table.append(r.line()).append('\n'));
        table.append(Comparison.summary(rows)).append('\n');
        System.out.println(table);
        Files.writeString(Path.of("target", "fidelity-report.txt"), table);

        for (Comparison r : rows) {
            String w = r.workload();
            assertTrue(
                    r.counted() >= 0.999,
                    w + ": counted " + r.counted()
                            + (r.kernelDropped() == 0
                                    ? ""
                                    : " (tcpdump lost " + r.kernelDropped()
                                            + " packets in the kernel on every attempt: machine too busy)"));
            // an overcount would hide an undercount elsewhere: the report must not hold statements the server never ran
            assertTrue(r.counted() <= 1.001, w + ": counted " + r.counted());
            assertEquals(r.server().errors(), r.probe().errors(), w + ": errors per errno");
            assertEquals(r.server().rowsSent(), r.probe().rowsSent(), w + ": rows sent");
            assertEquals(r.server().rowsAffected(), r.probe().rowsAffected(), w + ": rows affected");
            assertEquals(0, r.capture().decodeErrors(), w + ": decode errors");
            if (r.dbTarget()) {
                assertTrue(r.probe().dbKnown() >= 0.99 * r.server().dbKnown(), w + ": db known");
            }
        }
        Comparison tls = rows.get(rows.size() - 1);
        assertTrue(tls.capture().tlsConnections() >= 1 && tls.tlsExcluded() > 0, "TLS session counted as TLS");
    }

    /** Attempts per workload: a capture that lost packets in the kernel (a busy machine) is run again. */
    static final int ATTEMPTS = 3;

    private static List<Comparison> runOne(FidelityServer srv, Spec spec) throws Exception {
        List<Comparison> out = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            out = attempt(srv, spec, attempt);
            if (out.get(0).kernelDropped() == 0) {
                break;
            }
            System.out.println(
                    "fidelity: " + spec.name() + ": tcpdump lost " + out.get(0).kernelDropped()
                            + " packets in the kernel (attempt " + attempt + "), running it again");
        }
        return out;
    }

    private static List<Comparison> attempt(FidelityServer srv, Spec spec, int attempt) throws Exception {
        Workloads.Ctx c = new Workloads.Ctx(srv);
        spec.setup().run(c);
        srv.awaitQuiet();
        srv.truncateHistory();
        Path pcap = srv.work.resolve(spec.name().replaceAll("[^A-Za-z0-9]+", "_") + "-" + attempt + ".pcap");
        long dropped;
        try (PacketCapture cap = PacketCapture.start(pcap, srv.port())) {
            try {
                spec.run().run(c);
            } finally {
                dropped = cap.stop();
            }
        }
        srv.awaitQuiet();
        Set<Long> excluded = new HashSet<>(c.tlsThreads);
        excluded.addAll(c.helperThreads);
        List<PsEvent> events = srv.events(excluded);
        long tlsStatements = srv.events(c.helperThreads).stream()
                .filter(e -> c.tlsThreads.contains(e.threadId()) && e.nestingLevel() == 0)
                .count();
        List<Comparison> out = new ArrayList<>();
        Report plain = OfflineAnalyzer.analyze(List.of(pcap), srv.port(), true, SessionLookup.NONE);
        if (Comparison.server(events).statements() != Comparison.probe(plain).statements()) {
            Path diff = Path.of(
                    "target", "fidelity-diff-" + pcap.getFileName().toString().replace(".pcap", ".txt"));
            Files.writeString(diff, Comparison.diff(events, plain));
            System.out.println("fidelity: " + spec.name() + ": counts differ, both sides by kind in " + diff);
        }
        String name = c.watcher == null ? spec.name() : spec.name() + ", no watcher";
        out.add(compare(name, events, plain, tlsStatements, dropped, false, attempt, c.rowsAffectedFromTables));
        if (c.watcher != null) {
            try {
                Report watched = OfflineAnalyzer.analyze(List.of(pcap), srv.port(), true, c.watcher);
                out.add(compare(
                        spec.name() + ", watcher",
                        events,
                        watched,
                        tlsStatements,
                        dropped,
                        true,
                        attempt,
                        c.rowsAffectedFromTables));
            } finally {
                c.watcher.close();
            }
        }
        return out;
    }

    private static Comparison compare(
            String name,
            List<PsEvent> events,
            Report report,
            long tls,
            long dropped,
            boolean dbTarget,
            int attempt,
            Long rowsAffectedFromTables) {
        Comparison.Side server = Comparison.server(events);
        String note = "";
        if (rowsAffectedFromTables != null) {
            note = " rows_aff: P_S says " + server.rowsAffected() + ", the table " + rowsAffectedFromTables;
            server = new Comparison.Side(
                    server.statements(), server.errors(), server.rowsSent(), rowsAffectedFromTables, server.dbKnown());
        }
        return new Comparison(
                name,
                server,
                Comparison.probe(report),
                tls,
                report.capture(),
                dropped,
                Comparison.serverSleeps(events),
                Comparison.probeSleeps(report),
                dbTarget,
                attempt,
                note);
    }
}
