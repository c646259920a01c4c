package io.mysqlprobe.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** Picocli set up the way this command line always behaved, and its errors in the command line's own words. */
final class Args {

    private Args() {}

    /**
     * A later occurrence of an option wins; an option's value may look like an option (the value is checked, not
     * taken for the next option); {@code --help} is ours to print; a bare {@code --} is an unknown option, as
     * it always was, not the end of options.
     */
    static CommandLine parser(Object command) {
        return new CommandLine(command)
                .setOverwrittenOptionsAllowed(true)
                .setAllowOptionsAsOptionParameters(true)
                .setUnmatchedOptionsAllowedAsOptionParameters(true)
                .setEndOfOptionsDelimiter("\0--");
    }

    /** "--port needs a value", "unknown option --x", or the message a setter threw. */
    static String message(ParameterException e) {
        if (e instanceof CommandLine.MissingParameterException m
                && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return o.longestName() + " needs a value";
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u
                && !u.getUnmatched().isEmpty()) {
            return "unknown option " + u.getUnmatched().get(0);
        }
        return e.getMessage();
    }

    /** An integer option in {@code [min, max]}, or a ParameterException naming it and the range. */
    static long number(CommandLine cl, String name, String value, long min, long max) {
        try {
            long v = Long.parseLong(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new ParameterException(cl, name + ": \"" + value + "\" is not an integer from " + min + " to " + max);
    }
}
