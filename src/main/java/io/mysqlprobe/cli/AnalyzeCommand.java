package io.mysqlprobe.cli;

import io.mysqlprobe.pipeline.OfflineAnalyzer;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code analyze [--port N] [--interval S] [--slow-ms N] [--raw-sql] [--pretty] [--workers N] FILE...}: the
 * options of {@link OfflineAnalyzer}. A bad option: exit 2, the reason and the usage on stderr.
 */
@Command(name = "analyze")
@RegisterForReflection // picocli reads the annotated fields and setters reflectively (native image too)
public final class AnalyzeCommand {

    public static final String USAGE = "usage: analyze [--port N] [--interval SECONDS] [--slow-ms N] [--raw-sql]"
            + " [--pretty] [--workers N] FILE.pcap...";

    @Spec
    CommandSpec spec;

    private int port = 3306;
    private long intervalMs;
    private long slowMs = 100;
    private int workers = OfflineAnalyzer.defaultWorkers();

    @Option(names = "--raw-sql")
    boolean rawSql;

    @Option(names = "--pretty")
    boolean pretty;

    @Parameters
    List<Path> files = new ArrayList<>();

    @Option(names = "--port")
    void port(String v) {
        port = (int) Args.number(spec.commandLine(), "--port", v, 1, 65535);
    }

    @Option(names = "--interval")
    void interval(String v) {
        intervalMs = Args.number(spec.commandLine(), "--interval", v, 1, 86400) * 1000;
    }

    @Option(names = "--slow-ms")
    void slowMs(String v) {
        slowMs = Args.number(spec.commandLine(), "--slow-ms", v, 0, 3_600_000);
    }

    @Option(names = "--workers")
    void workers(String v) {
        workers = (int) Args.number(spec.commandLine(), "--workers", v, 1, 64);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        OfflineAnalyzer.Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            err.println("analyze: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }
        return OfflineAnalyzer.run(o, out, err);
    }

    /** The options, or an IllegalArgumentException saying what is wrong with them. */
    public static OfflineAnalyzer.Options parse(String[] args) {
        AnalyzeCommand c = new AnalyzeCommand();
        CommandLine cl = Args.parser(c);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(Args.message(e));
        }
        if (c.files.isEmpty()) {
            throw new IllegalArgumentException("no capture file given");
        }
        return new OfflineAnalyzer.Options(
                c.port, c.intervalMs, c.slowMs, c.rawSql, c.pretty, c.workers, List.copyOf(c.files));
    }
}
