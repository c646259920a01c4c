package io.mysqlprobe.pipeline;

import io.mysqlprobe.aggregate.AggregateSettings;
import io.mysqlprobe.aggregate.SqlTemplater;
import io.mysqlprobe.aggregate.WindowAggregator;
import io.mysqlprobe.aggregate.WindowClock;
import io.mysqlprobe.aggregate.WindowMerge;
import io.mysqlprobe.aggregate.WindowSnapshot;
import io.mysqlprobe.capture.Frame;
import io.mysqlprobe.capture.FrameSink;
import io.mysqlprobe.capture.OfflineCapture;
import io.mysqlprobe.capture.PcapFileReader;
import io.mysqlprobe.fingerprint.Fingerprinter;
import io.mysqlprobe.protocol.MysqlStreamHandlerFactory;
import io.mysqlprobe.protocol.RowHints;
import io.mysqlprobe.protocol.SessionLookup;
import io.mysqlprobe.report.CompactJson;
import io.mysqlprobe.report.Report;
import io.mysqlprobe.report.ReportBuilder;
import io.mysqlprobe.report.ReportJson;
import io.mysqlprobe.tcp.FlowTable;
import io.mysqlprobe.tcp.PayloadHinter;
import io.mysqlprobe.tcp.Segment;
import io.mysqlprobe.tcp.SegmentParser;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code analyze [--port N] [--interval S] [--raw-sql] [--slow-ms N] [--pretty] FILE...}: the slave pipeline
 * over capture files, on the calling thread, without starting the HTTP server or anything else it doesn't
 * need. Prints one report for the whole capture, or one per window with {@code --interval} (one JSON document
 * per line). Exit 0 on success, 2 on a usage error or an unreadable / non-pcap file.
 */
public final class OfflineAnalyzer {

    /** What to analyze and how ({@code io.mysqlprobe.cli.AnalyzeCommand} reads them from the command line). */
    public record Options(
            int port, long intervalMs, long slowMs, boolean rawSql, boolean pretty, int workers, List<Path> files) {}

    private static List<WindowSnapshot> mergeByStart(List<WindowSnapshot> parts, AggregateSettings s) {
        java.util.TreeMap<Long, List<WindowSnapshot>> byStart = new java.util.TreeMap<>();
        for (WindowSnapshot w : parts) {
            byStart.computeIfAbsent(w.startMs(), k -> new ArrayList<>()).add(w);
        }
        List<WindowSnapshot> out = new ArrayList<>();
        byStart.values()
                .forEach(ws -> out.add(WindowMerge.merge(
                        ws.get(0).startMs(), ws.get(0).endMs(), ws, s.maxSlowSamples(), s.maxNames())));
        return out;
    }

    private OfflineAnalyzer() {}

    /** Analyzes and prints; exit 0 on success, 2 on an unreadable or non-pcap file. */
    public static int run(Options o, PrintStream out, PrintStream err) {
        for (Path f : o.files()) {
            if (!Files.isRegularFile(f)) {
                err.println("analyze: " + f + ": no such file");
                return 2;
            }
        }
        if (o.pretty()) {
            warmUpJson();
        }
        try {
            for (Report r : analyze(o)) {
                out.println(o.pretty() ? ReportJson.writePretty(r) : compact(r));
            }
            out.flush();
            return 0;
        } catch (PcapFileReader.NotACaptureException e) {
            err.println("analyze: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("analyze: cannot read: " + e.getMessage());
            return 2;
        }
    }

    /** Jackson's output without Jackson (its first report costs ~0.3 s of CPU); Jackson for what it leaves. */
    private static String compact(Report r) {
        String line = CompactJson.write(r);
        return line != null ? line : ReportJson.write(r);
    }

    /**
     * {@code --pretty} keeps Jackson's pretty printer, whose first report costs ~0.2 s of class loading and
     * bytecode generation after the capture is read: an empty report written on a spare thread meanwhile takes
     * that off the end of the run.
     */
    private static void warmUpJson() {
        Thread t = new Thread(
                () -> {
                    Report empty = new ReportBuilder(null, "offline", "standalone")
                            .build(0, 0, WindowSnapshot.empty(0, 0), Counters.section(Totals.empty(), 0, 0, 0, 0));
                    ReportJson.writePretty(empty);
                },
                "analyze-json-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The reading thread keeps a core busy on its own, so decode workers get the others: one on two cores
     * (measured on a 500k-statement capture with 2 cores: 1.16 s with one worker, 1.36 s with two), two from
     * three cores up.
     */
    public static int defaultWorkers() {
        return Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors() - 1));
    }

    /** Runs the stages over the files, in order, as one capture. */
    public static List<Report> analyze(Options o) throws IOException {
        return analyze(o, SessionLookup.NONE, RowHints::walk);
    }

    /**
     * For harnesses (the fidelity harness): one report for the whole capture, with {@code lookup} giving user/db
     * of connections whose handshake was not captured (a processlist watcher), as the live probe would.
     */
    public static Report analyze(List<Path> files, int port, boolean rawSql, SessionLookup lookup) throws IOException {
        return analyze(files, port, rawSql, lookup, true);
    }

    /** @param rowHints whether the reader walks server payloads for the decoders ({@link RowHints}), as live */
    public static Report analyze(List<Path> files, int port, boolean rawSql, SessionLookup lookup, boolean rowHints)
            throws IOException {
        return analyze(
                        new Options(port, 0, 100, rawSql, false, defaultWorkers(), files),
                        lookup,
                        rowHints ? RowHints::walk : PayloadHinter.NONE)
                .get(0);
    }

    private static List<Report> analyze(Options o, SessionLookup lookup, PayloadHinter hinter) throws IOException {
        Counters counters = new Counters();
        boolean windows = o.intervalMs() > 0;
        WindowClock clock = new WindowClock(windows ? o.intervalMs() : Long.MAX_VALUE / 4);
        AggregateSettings settings = new AggregateSettings(o.slowMs() * 1000, o.rawSql(), 100_000, 10, 20);
        SqlTemplater templater = new SqlTemplater(new Fingerprinter());
        StageCounters reading = counters.newStage(); // the reader thread's: packets, bytes, headers skipped
        CounterCut readingCut = new CounterCut(reading, counters.byWindow, clock);
        SegmentParser parser = new SegmentParser(o.port(), reading.tcp, hinter);
        OfflineWorker[] workers = new OfflineWorker[o.workers()];
        for (int i = 0; i < workers.length; i++) {
            WindowAggregator agg = new WindowAggregator(clock, templater, () -> settings, counters.statements);
            StageCounters own = counters.newStage();
            FlowTable flows = new FlowTable(
                    new MysqlStreamHandlerFactory(agg, own.protocol, lookup, o::rawSql), own.tcp, 1_000_000, 4 << 20);
            workers[i] =
                    new OfflineWorker(i, flows, agg, new CounterCut(own, counters.byWindow, clock), workers.length > 1);
        }
        long[] span = {Long.MAX_VALUE, Long.MIN_VALUE};
        FrameSink sink = new FrameSink() {
            @Override
            public long onPacketTime(long tsMicros) {
                return readingCut.moveTo(tsMicros);
            }

            @Override
            public void onIdle(boolean quiet) {
                if (quiet) {
                    readingCut.cut(); // the end of a file: its last records (a truncated one) counted
                }
            }

            @Override
            public void onFrame(Frame f) {
                span[0] = Math.min(span[0], f.tsMicros());
                span[1] = Math.max(span[1], f.tsMicros());
                Segment s = parser.parse(f.tsMicros(), f.data(), f.netOffset(), f.end());
                if (s != null) {
                    workers[Dispatcher.workerFor(s, workers.length)].accept(s);
                }
            }
        };
        try {
            for (Path f : o.files()) {
                OfflineCapture.read(f, sink, reading.capture);
            }
        } finally {
            long endTs = span[1] == Long.MIN_VALUE ? 0 : span[1];
            for (OfflineWorker w : workers) {
                w.finish(endTs);
            }
        }
        List<WindowSnapshot> data = new ArrayList<>();
        for (OfflineWorker w : workers) {
            data.addAll(w.windows());
        }
        data = mergeByStart(data, settings);
        data.sort(Comparator.comparingLong(WindowSnapshot::startMs));
        ReportBuilder builder = new ReportBuilder(null, "offline", "standalone");
        List<Report> out = new ArrayList<>();
        if (!windows) {
            WindowSnapshot all = WindowMerge.merge(0, 0, data, settings.maxSlowSamples(), settings.maxNames());
            long start = span[0] == Long.MAX_VALUE ? 0 : span[0] / 1000;
            long end = span[1] == Long.MIN_VALUE ? 0 : span[1] / 1000 + 1;
            out.add(builder.build(
                    start,
                    end,
                    all,
                    Counters.section(
                            counters.byWindow.takeBefore(Long.MAX_VALUE),
                            all.aggregatedStatements(),
                            0,
                            0,
                            all.overflowedStatements())));
            return out;
        }
        // per window, by packet time as live: a window's counts are those cut into it, and those of windows before
        // it that had no statement (no report of their own); the last report takes whatever follows it
        for (int i = 0; i < data.size(); i++) {
            WindowSnapshot w = data.get(i);
            Totals t = counters.byWindow.takeBefore(i == data.size() - 1 ? Long.MAX_VALUE : w.endMs());
            out.add(builder.build(
                    w.startMs(),
                    w.endMs(),
                    w,
                    Counters.section(t, w.aggregatedStatements(), 0, w.lateStatements(), w.overflowedStatements())));
        }
        return out;
    }
}
