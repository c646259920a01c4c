package io.mysqlprobe.capture;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapStat;

/**
 * The kernel's drop counters of one capture, added to {@link CaptureCounters} about once a second by its capture
 * thread: libpcap's {@code pcap_stats} are totals since the handle opened, the ring's {@code PACKET_STATISTICS}
 * are counts since the last read.
 */
final class KernelDrops {

    private final CaptureCounters counters;
    private long kernelSeen;
    private long interfaceSeen;

    KernelDrops(CaptureCounters counters) {
        this.counters = counters;
    }

    void read(RingReader ring) {
        counters.kernelDropped.addAndGet(ring.drops());
    }

    /** Takes {@code handle}'s drops so far as already counted: they came before the capture proper ({@link UnfilteredRing}). */
    void baseline(PcapHandle handle) throws PcapNativeException, NotOpenException {
        PcapStat s = handle.getStats();
        kernelSeen = s.getNumPacketsDropped();
        interfaceSeen = s.getNumPacketsDroppedByIf();
    }

    void read(PcapHandle handle) {
        try {
            PcapStat s = handle.getStats();
            long k = s.getNumPacketsDropped();
            long i = s.getNumPacketsDroppedByIf();
            counters.kernelDropped.addAndGet(k - kernelSeen);
            counters.interfaceDropped.addAndGet(i - interfaceSeen);
            kernelSeen = k;
            interfaceSeen = i;
        } catch (PcapNativeException | NotOpenException e) {
            // stats are best effort; the packet path keeps running
        }
    }
}
