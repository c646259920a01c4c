package io.mysqlprobe.fidelity;

import io.mysqlprobe.aggregate.SlowSample;
import io.mysqlprobe.aggregate.TemplateSnapshot;
import io.mysqlprobe.fidelity.FidelityServer.PsEvent;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.report.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One workload's figures, performance_schema against the probe's report. The mapping (see README "Fidelity"):
 * a top-level statement is an event with NESTING_EVENT_LEVEL = 0, whatever its EVENT_NAME (statement/sql/* for
 * SQL, including a COM_STMT_EXECUTE, which takes the name of the statement it runs; statement/com/* for Quit,
 * Ping, Init DB, Prepare, Close stmt …); statements inside a procedure are nested (level ≥ 1) and belong to the
 * CALL. Rows sent: every event's ROWS_SENT (a CALL's own is 0, its result sets are its nested statements');
 * rows affected: top-level events only (a CALL reports its last statement's count itself).
 */
record Comparison(
        String workload,
        Side server,
        Side probe,
        long tlsExcluded,
        Report.CaptureSection capture,
        long kernelDropped,
        List<Double> sleepServerMs,
        List<Double> sleepProbeMs,
        boolean dbTarget,
        int attempt,
        String note) {

    /** Counts of one side. */
    record Side(long statements, Map<Integer, Long> errors, long rowsSent, long rowsAffected, long dbKnown) {}

    static Side server(List<PsEvent> events) {
        long statements = 0;
        long rowsSent = 0;
        long rowsAffected = 0;
        long dbKnown = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        for (PsEvent e : events) {
            rowsSent += e.rowsSent();
            if (e.nestingLevel() != 0) {
                continue;
            }
            statements++;
            rowsAffected += e.rowsAffected();
            if (e.db() != null) {
                dbKnown++;
            }
            if (e.errors() > 0) {
                errors.merge(e.errno(), 1L, Long::sum);
            }
        }
        return new Side(statements, errors, rowsSent, rowsAffected, dbKnown);
    }

    static Side probe(Report r) {
        long statements = 0;
        long rowsSent = 0;
        long rowsAffected = 0;
        long dbKnown = 0;
        Map<Integer, Long> errors = new TreeMap<>();
        for (TemplateSnapshot t : r.templates()) {
            statements += t.count();
            rowsSent += t.rowsSent();
            rowsAffected += t.rowsAffected();
            if (t.db() != null) {
                dbKnown += t.count();
            }
            t.errorCodes().forEach((errno, n) -> errors.merge(Integer.parseInt(errno), n, Long::sum));
        }
        return new Side(statements, errors, rowsSent, rowsAffected, dbKnown);
    }

    /** Server-side latencies (TIMER_WAIT, ps → ms) of top-level {@code SELECT SLEEP(0.2)}. */
    static List<Double> serverSleeps(List<PsEvent> events) {
        List<Double> out = new ArrayList<>();
        for (PsEvent e : events) {
            if (e.nestingLevel() == 0 && isSleep(e.sqlText())) {
                out.add(e.timerWaitPs() / 1e9);
            }
        }
        return out;
    }

    /** The probe's latencies of the same statements, from its slow samples (raw SQL, exact microseconds). */
    static List<Double> probeSleeps(Report r) {
        List<Double> out = new ArrayList<>();
        for (TemplateSnapshot t : r.templates()) {
            for (SlowSample s : t.slow()) {
                if (isSleep(s.sql())) {
                    out.add(s.latencyUs() / 1e3);
                }
            }
        }
        return out;
    }

    private static boolean isSleep(String sql) {
        return sql != null && sql.strip().toLowerCase(Locale.ROOT).startsWith("select sleep(0.2)");
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    double counted() {
        return server.statements() == 0 ? 1.0 : (double) probe.statements() / server.statements();
    }

    double dbKnownShare() {
        return probe.statements() == 0 ? 0 : (double) probe.dbKnown() / probe.statements();
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-30s %8s %8s %8s  %-22s %-22s %15s %15s %13s %17s  %s",
                "workload",
                "P_S",
                "report",
                "counted",
                "errors P_S",
                "errors report",
                "rows sent P/r",
                "rows aff P/r",
                "db known P/r",
                "SLEEP(0.2) probe/server (ms)",
                "capture");
    }

    String line() {
        String sleep = sleepProbeMs.isEmpty() && sleepServerMs.isEmpty()
                ? "-"
                : String.format(
                        Locale.ROOT,
                        "%.1f/%.1f (n=%d/%d, %+.2f ms)",
                        median(sleepProbeMs),
                        median(sleepServerMs),
                        sleepProbeMs.size(),
                        sleepServerMs.size(),
                        median(sleepProbeMs) - median(sleepServerMs));
        String cap = String.format(
                Locale.ROOT,
                "conns=%d tls=%d (P_S stmts excluded=%d) resyncs=%d gaps=%d "
                        + "decode_errors=%d unmatched=%d kernel_dropped=%d%s",
                capture.connectionsOpened(),
                capture.tlsConnections(),
                tlsExcluded,
                capture.resyncs(),
                capture.streamGaps(),
                capture.decodeErrors(),
                capture.unmatchedResponses(),
                kernelDropped,
                (attempt > 1 ? " (attempt " + attempt + ")" : "") + note);
        return String.format(
                Locale.ROOT,
                "%-30s %8d %8d %7.2f%%  %-22s %-22s %15s %15s %13s %17s  %s",
                workload,
                server.statements(),
                probe.statements(),
                counted() * 100,
                errors(server.errors()),
                errors(probe.errors()),
                server.rowsSent() + "/" + probe.rowsSent(),
                server.rowsAffected() + "/" + probe.rowsAffected(),
                pct(server.dbKnown(), server.statements()) + "/" + pct(probe.dbKnown(), probe.statements()),
                sleep,
                cap);
    }

    /** The closing lines: totals over all workloads (the "watcher" line counted once) and SLEEP(0.2) overall. */
    static String summary(List<Comparison> rows) {
        long ps = 0;
        long probe = 0;
        List<Double> sleepProbe = new ArrayList<>();
        List<Double> sleepServer = new ArrayList<>();
        for (Comparison r : rows) {
            if (r.dbTarget()) {
                continue; // the same capture as the line before, analysed with the watcher
            }
            ps += r.server().statements();
            probe += r.probe().statements();
            sleepProbe.addAll(r.sleepProbeMs());
            sleepServer.addAll(r.sleepServerMs());
        }
        double p = median(sleepProbe);
        return String.format(
                Locale.ROOT,
                "total: %d of %d top-level statements counted (%.3f%%); SLEEP(0.2) median:"
                        + " probe %.2f ms (n=%d), server TIMER_WAIT %.2f ms (n=%d); probe vs 200 ms: %+.2f%% (target ±2%%: %s)",
                probe,
                ps,
                ps == 0 ? 100.0 : 100.0 * probe / ps,
                p,
                sleepProbe.size(),
                median(sleepServer),
                sleepServer.size(),
                (p - 200) / 2,
                Math.abs(p - 200) <= 4 ? "met" : "NOT met, printed only");
    }

    /** Both sides by kind, for a workload whose counts differ: P_S by EVENT_NAME and template, the report by template. */
    static String diff(List<PsEvent> events, Report report) {
        Fingerprinter fp = new Fingerprinter();
        Map<String, Long> ps = new TreeMap<>();
        for (PsEvent e : events) {
            if (e.nestingLevel() == 0) {
                String t =
                        e.sqlText() == null ? "" : fp.fingerprint(e.sqlText()).template();
                ps.merge(e.eventName() + " | " + t + (e.errors() > 0 ? " | errno " + e.errno() : ""), 1L, Long::sum);
            }
        }
        Map<String, Long> probe = new TreeMap<>();
        for (TemplateSnapshot t : report.templates()) {
            probe.merge(
                    t.statementType() + " | " + t.template() + (t.errors() > 0 ? " | errors " + t.errorCodes() : ""),
                    t.count(),
                    Long::sum);
        }
        StringBuilder b = new StringBuilder("performance_schema (top level):\n");
        ps.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%8d  %s%n", v, k)));
        b.append("report:\n");
        probe.forEach((k, v) -> b.append(String.format(Locale.ROOT, "%8d  %s%n", v, k)));
        return b.toString();
    }

    private static String pct(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
    }

    private static String errors(Map<Integer, Long> m) {
        if (m.isEmpty()) {
            return "none";
        }
        StringBuilder b = new StringBuilder();
        m.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : " ").append(k).append('x').append(v));
        return b.toString();
    }
}
