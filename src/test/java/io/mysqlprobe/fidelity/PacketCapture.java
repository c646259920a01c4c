package io.mysqlprobe.fidelity;

import io.mysqlprobe.testsupport.Tcpdump;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The fidelity harness's recording: {@link Tcpdump} of {@code tcp port P} on {@code lo} at loopback's MTU (the
 * probe analyzes the whole payloads afterwards), with a little slack after the start and before the stop for the
 * last FIN/ACKs.
 */
final class PacketCapture implements AutoCloseable {

    private static final int LOOPBACK_MTU_SNAPLEN = 65600;

    final Path file;
    private final Tcpdump tcpdump;
    private boolean stopped;

    private PacketCapture(Path file, Tcpdump tcpdump) {
        this.file = file;
        this.tcpdump = tcpdump;
    }

    static PacketCapture start(Path file, int port) throws IOException, InterruptedException {
        Tcpdump t;
        try {
            t = Tcpdump.start(file, "tcp port " + port, LOOPBACK_MTU_SNAPLEN);
        } catch (IOException | InterruptedException e) {
            throw e;
        } catch (Exception | AssertionError e) {
            throw new IOException("tcpdump did not start", e);
        }
        Thread.sleep(200); // the filter is attached before the message; a little slack anyway
        return new PacketCapture(file, t);
    }

    /** Stops tcpdump (SIGTERM, which flushes the file) and returns the packets it says the kernel dropped. */
    long stop() throws IOException, InterruptedException {
        if (!stopped) {
            stopped = true;
            Thread.sleep(300); // the last FIN/ACKs
        }
        return tcpdump.stop();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
    }
}
