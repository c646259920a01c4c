package io.mysqlprobe.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tcpdump -i lo --immediate-mode -s SNAPLEN -w FILE FILTER} (root or CAP_NET_RAW), libpcap's own capture,
 * stopped by its pid with SIGTERM (which flushes the file). Immediate mode: nothing waits in the kernel for a block
 * timeout when it stops. Its 64 MiB ring has one slot of {@code snaplen} per packet: at loopback's MTU (65600) about
 * 1,000 packets of slack, at 160 bytes (Ethernet, IP and TCP headers with options) some 200,000.
 */
public final class Tcpdump implements AutoCloseable {

    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets dropped by kernel");

    private final Path log;
    private final Process process;
    private long kernelDropped = -1;

    private Tcpdump(Path log, Process process) {
        this.log = log;
        this.process = process;
    }

    public static Tcpdump start(Path file, String filter, int snaplen) throws Exception {
        Path log = Path.of(file + ".log");
        Process p = new ProcessBuilder(
                        "tcpdump",
                        "-i",
                        "lo",
                        "-n",
                        "-U",
                        "--immediate-mode",
                        "-s",
                        Integer.toString(snaplen),
                        "-B",
                        "65536",
                        "-Z",
                        "root",
                        "-w",
                        file.toString(),
                        filter)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Tcpdump t = new Tcpdump(log, p);
        try {
            Await.until("tcpdump listening", Duration.ofSeconds(15), () -> {
                if (!p.isAlive()) {
                    throw new IOException("tcpdump exited: " + Files.readString(log));
                }
                return Files.readString(log).contains("listening on");
            });
        } catch (Exception | AssertionError e) {
            t.close();
            throw e;
        }
        return t;
    }

    /** Stops tcpdump and returns the packets it says the kernel dropped. */
    public long stop() throws IOException, InterruptedException {
        if (kernelDropped < 0) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Matcher m = DROPPED.matcher(Files.readString(log));
            kernelDropped = m.find() ? Long.parseLong(m.group(1)) : 0;
        }
        return kernelDropped;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
