package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mysqlprobe.testsupport.Await;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A batch reader that fails at run time (here: on its first read) must not end the capture: the thread counts
 * the failure once, logs it, and goes on with pcap_next_ex on the same handle. Captures real packets on {@code lo}.
 */
class BatchFallbackTest {

    /** Stands in for {@link PcapBatch}: every read fails, as a JNA or libpcap fault at run time would. */
    private static final class FailingReader implements BatchReader {
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public int read(ChunkWriter into, BatchReader.Records out) {
            reads.incrementAndGet();
            throw new IllegalStateException("injected batch failure");
        }

        @Override
        public boolean awaitPackets(int timeoutMillis) {
            return false;
        }

        @Override
        public void close() {}
    }

    @Test
    void aFailingBatchReaderFallsBackToPerPacketReads() throws Exception {
        assertTrue(PcapBatch.AVAILABLE && NextPacket.AVAILABLE, "this test needs the batched path to start with");
        FailingReader failing = new FailingReader();
        ConcurrentLinkedQueue<Frame> frames = new ConcurrentLinkedQueue<>();
        CaptureCounters counters = new CaptureCounters();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                LiveCapture capture = LiveCapture.open(
                                "lo", server.getLocalPort(), 65535, 4 << 20, true, false, frames::add, counters)
                        .withBatchReaders((pcap, snap) -> failing)) {
            capture.start();
            Await.until(
                    "the batch reader failed once", Duration.ofSeconds(10), () -> counters.batchFallbacks.sum() == 1);
            try (Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
                    Socket accepted = server.accept()) {
                OutputStream out = client.getOutputStream();
                // written again at each poll: a packet sent within the first milliseconds of a libpcap handle's
                // reads may not reach it (see BareAckFilterIT), and this test once waited 10 s for a single one
                Await.until("frames read packet by packet", Duration.ofSeconds(10), () -> {
                    out.write("packets after the fallback".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return !frames.isEmpty();
                });
            }
            assertTrue(capture.running(), "the capture thread is still running (liveness)");
            assertEquals(1, failing.reads.get(), "the failed reader is not used again");
            assertEquals(1, counters.batchFallbacks.sum());
            assertTrue(counters.packets.sum() > 0);
        }
    }
}
