package io.mysqlprobe.fidelity;

import io.mysqlprobe.testsupport.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tcpdump -i lo --immediate-mode -w FILE 'tcp port P'} (needs root or CAP_NET_RAW), stopped by its pid with SIGTERM.
 * Immediate mode matters: without it packets wait in the kernel ring for a block timeout and a SIGTERM loses them.
 * In immediate mode the ring has one fixed-size slot per packet of snaplen bytes, so the snaplen is loopback's MTU
 * (not 256 KiB) and the ring 64 MiB: about 1,000 packets of slack when the machine is busy.
 */
final class PacketCapture implements AutoCloseable {

    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets dropped by kernel");

    final Path file;
    private final Path log;
    private final Process process;
    private long kernelDropped = -1;

    private PacketCapture(Path file, Path log, Process process) {
        this.file = file;
        this.log = log;
        this.process = process;
    }

    static PacketCapture start(Path file, int port) throws IOException, InterruptedException {
        Path log = Path.of(file + ".log");
        Process p = new ProcessBuilder(
                        "tcpdump",
                        "-i",
                        "lo",
                        "-n",
                        "-U",
                        "--immediate-mode",
                        "-s",
                        "65600",
                        "-B",
                        "65536",
                        "-Z",
                        "root",
                        "-w",
                        file.toString(),
                        "tcp port " + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        PacketCapture c = new PacketCapture(file, log, p);
        try {
            Await.until("tcpdump listening", java.time.Duration.ofSeconds(15), () -> {
                if (!p.isAlive()) {
                    throw new IOException("tcpdump exited: " + Files.readString(log));
                }
                return Files.exists(log) && Files.readString(log).contains("listening on");
            });
        } catch (AssertionError e) {
            c.close();
            throw new IOException("tcpdump did not start: " + Files.readString(log), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
        Thread.sleep(200); // the filter is attached before the message; a little slack anyway
        return c;
    }

    /** Stops tcpdump (SIGTERM, which flushes the file) and returns the packets it says the kernel dropped. */
    long stop() throws IOException, InterruptedException {
        if (kernelDropped >= 0) {
            return kernelDropped;
        }
        Thread.sleep(300); // the last FIN/ACKs
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Matcher m = DROPPED.matcher(Files.readString(log));
        kernelDropped = m.find() ? Long.parseLong(m.group(1)) : 0;
        return kernelDropped;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
