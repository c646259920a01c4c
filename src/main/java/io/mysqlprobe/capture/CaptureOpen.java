package io.mysqlprobe.capture;

import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Logger;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;

/**
 * Opens what a {@link LiveCapture} reads: the kernel's ring itself ({@link RingReader}) where it can, else a libpcap
 * handle, with one log line saying why.
 */
final class CaptureOpen {

    private static final Logger LOG = Logger.getLogger(CaptureOpen.class.getName());
    static final int MIN_BUFFER = 1 << 20;

    private CaptureOpen() {}

    /** A libpcap handle or a ring (the other null), and the kernel buffer it got. */
    record Opened(PcapHandle handle, RingReader ring, int grantedBytes) {}

    /** Opens the libpcap handle: at the start, or when the ring reader failed at run time. */
    interface Libpcap {
        Opened open() throws PcapNativeException;
    }

    /**
     * With {@code ring}, a {@link RingReader} on {@code device} if it can read it, else (and without {@code ring})
     * {@code libpcap}'s handle. Records of a ring block found cut are counted in {@code cutRecords}.
     */
    static Opened open(
            String device,
            String filter,
            int snaplen,
            int bufferBytes,
            int timeoutMillis,
            boolean immediate,
            boolean ring,
            LongAdder cutRecords,
            Libpcap libpcap)
            throws PcapNativeException {
        if (ring) {
            String why = RingReader.unusable(device, immediate);
            if (why == null) {
                try {
                    RingReader r = RingReader.open(device, filter, snaplen, bufferBytes, timeoutMillis, cutRecords);
                    return new Opened(null, r, r.ringBytes());
                } catch (IOException | RuntimeException | LinkageError e) {
                    LOG.warning(device + ": reading with libpcap, the ring reader failed to open: " + e.getMessage());
                }
            } else {
                LOG.info(device + ": reading with libpcap, not the ring reader: " + why);
            }
        }
        return libpcap.open();
    }

    /**
     * Opens {@code device} with {@code filter}. The kernel buffer starts at {@code bufferBytes} and is halved while
     * the kernel refuses it (the seed's "can't mmap rx ring: Invalid argument").
     */
    static Opened libpcap(
            String device, String filter, int snaplen, int bufferBytes, int timeoutMillis, boolean immediate)
            throws PcapNativeException {
        PcapNativeException last = null;
        for (int buf = bufferBytes; buf >= MIN_BUFFER; buf /= 2) {
            try {
                PcapHandle h = new PcapHandle.Builder(device)
                        .snaplen(snaplen)
                        .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                        .timeoutMillis(timeoutMillis)
                        .bufferSize(buf)
                        .immediateMode(immediate)
                        .build();
                try {
                    h.setFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE);
                } catch (PcapNativeException | NotOpenException e) {
                    h.close();
                    throw new PcapNativeException(device + ": cannot set filter " + filter + ": " + e.getMessage());
                }
                if (!LinkLayer.supported(h.getDlt().value())) {
                    int d = h.getDlt().value();
                    h.close();
                    throw new PcapNativeException(device + ": unsupported link type " + d);
                }
                if (NextPacket.AVAILABLE) {
                    // libpcap's TPACKET_V3 reads block in poll() until a block fills or times out, and with no
                    // traffic at all they never wake: non-blocking reads let the loop flush batches and stop
                    try {
                        h.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
                    } catch (NotOpenException e) {
                        throw new PcapNativeException(device + ": " + e.getMessage());
                    }
                }
                if (buf != bufferBytes) {
                    LOG.warning(device + ": kernel refused a " + bufferBytes + "-byte capture buffer; using " + buf);
                }
                return new Opened(h, null, buf);
            } catch (PcapNativeException e) {
                last = e;
                String m = String.valueOf(e.getMessage());
                if (!(m.contains("mmap")
                        || m.contains("buffer")
                        || m.contains("Invalid argument")
                        || m.contains("Cannot allocate memory"))) {
                    throw e;
                }
            }
        }
        throw last;
    }
}
