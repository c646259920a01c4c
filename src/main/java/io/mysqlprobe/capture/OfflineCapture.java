package io.mysqlprobe.capture;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads a capture file into a {@link FrameSink} on the calling thread: classic pcap with our own reader,
 * pcapng through libpcap.
 */
public final class OfflineCapture {

    private OfflineCapture() {}

    public static void read(Path file, FrameSink sink, CaptureCounters counters) throws IOException {
        int kind = PcapFileReader.sniff(file);
        if (kind == 0) {
            try (PcapFileReader r = PcapFileReader.open(file)) {
                if (!LinkLayer.supported(r.linkType())) {
                    throw new PcapFileReader.NotACaptureException(file + ": unsupported link type " + r.linkType());
                }
                r.readAll(sink, counters);
            }
        } else if (kind == 1) {
            readWithLibpcap(file, sink, counters);
        } else {
            throw new PcapFileReader.NotACaptureException(file + ": not a pcap or pcapng file");
        }
        sink.onIdle(true);
    }

    private static void readWithLibpcap(Path file, FrameSink sink, CaptureCounters counters) throws IOException {
        PcapHandle h;
        try {
            h = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.MICRO);
        } catch (PcapNativeException e) {
            throw new PcapFileReader.NotACaptureException(file + ": " + e.getMessage());
        }
        try {
            int dlt = h.getDlt().value();
            if (!LinkLayer.supported(dlt)) {
                throw new PcapFileReader.NotACaptureException(file + ": unsupported link type " + dlt);
            }
            long[] nextWindowUs = {Long.MIN_VALUE};
            h.loop(-1, (byte[] data) -> {
                Timestamp ts = h.getTimestamp();
                long us = ts.getTime() / 1000 * 1_000_000L + ts.getNanos() / 1000;
                if (us >= nextWindowUs[0]) {
                    nextWindowUs[0] = sink.onPacketTime(us);
                }
                counters.packets.increment();
                counters.bytes.add(data.length);
                int net = LinkLayer.networkOffset(dlt, data, data.length);
                if (net == LinkLayer.NOT_IP) {
                    counters.nonIp.increment();
                    return;
                }
                sink.onFrame(new Frame(us, data, 0, net, data.length, data.length));
            });
        } catch (PcapNativeException | NotOpenException e) {
            throw new PcapFileReader.NotACaptureException(file + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            h.close();
        }
    }
}
