package io.mysqlprobe.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The service's own arguments: {@code [--config PATH] [--help]}; anything else is Quarkus' and is passed on.
 */
@Command(name = "mysql-probe")
@RegisterForReflection // picocli reads the annotated fields reflectively (native image too)
public final class ServeCommand {

    public static final String HELP = "usage: mysql-probe [--config PATH]   (live capture; see README)\n"
            + "       mysql-probe " + AnalyzeCommand.USAGE + "\n"
            + "       mysql-probe " + TailCommand.USAGE + "   (print reports as they come)";

    /** {@code configPath} null when not given; {@code help} to print {@link #HELP} and stop. */
    public record Parsed(String configPath, boolean help, List<String> passOn) {}

    @Option(names = "--config")
    String configPath;

    @Option(names = {"-h", "--help"})
    boolean help;

    private ServeCommand() {}

    /** The arguments, or an IllegalArgumentException saying what is wrong with them. */
    public static Parsed parse(String[] args) {
        ServeCommand c = new ServeCommand();
        CommandLine cl = Args.parser(c).setUnmatchedArgumentsAllowed(true);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            throw new IllegalArgumentException(Args.message(e));
        }
        return new Parsed(c.configPath, c.help, new ArrayList<>(cl.getUnmatchedArguments()));
    }
}
