package io.mysqlprobe.capture;

import java.util.logging.Logger;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;

/**
 * What a live handle's ring took in before its filter was set. libpcap filters only an activated handle, so between
 * pcap_activate and pcap_setfilter the ring takes every packet of the device. With other traffic on it (a busy
 * {@code lo}: a few milliseconds of another test or benchmark) the ring was full when {@link LiveCapture#open}
 * returned, and stayed full until the capture thread's first read: the port's packets of that moment — a client
 * connecting right after {@link LiveCapture#start}, its handshake — were dropped by the kernel, and the first
 * report counted the other traffic's overflow as {@code kernel_dropped}. Measured on {@code lo} with a loopback
 * ping-pong running, immediate mode, 4 MiB: the first connection's SYN was lost in 7 of 30 opens (kernel drops
 * 60–3,150 each time).
 */
final class UnfilteredRing {

    private static final Logger LOG = Logger.getLogger(UnfilteredRing.class.getName());
    /** pcap_dispatch calls at most: one empties the ring; the port's own traffic may keep refilling it. */
    private static final int CALLS = 4;

    private UnfilteredRing() {}

    /**
     * Empties {@code handle}'s ring (libpcap runs the new filter over what it took in before it, in user space) and
     * discards the port's packets among them: they came before open returned, as if the capture had opened a moment
     * later. The kernel's drops so far become {@code drops}' baseline, so a report counts only drops of the capture
     * proper. Nothing to do without a handle (null). Best effort: on failure the capture runs as before, and says so.
     */
    static void drain(PcapHandle handle, KernelDrops drops) {
        if (handle == null) {
            return; // a ring reader: its socket takes packets only once bound, after the filter is set
        }
        try {
            boolean blocking = handle.getBlockingMode() == PcapHandle.BlockingMode.BLOCKING;
            if (blocking) {
                handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
            }
            for (int i = 0; i < CALLS && handle.dispatch(-1, (byte[] packet) -> {}) > 0; i++) {
                // the packets passed the filter: read again, in case more waited behind them
            }
            if (blocking) {
                handle.setBlockingMode(PcapHandle.BlockingMode.BLOCKING);
            }
            drops.baseline(handle);
        } catch (PcapNativeException | NotOpenException | InterruptedException e) {
            LOG.warning("cannot empty the capture ring after setting the filter (" + e
                    + "): the first packets after start may be dropped while it holds the unfiltered traffic");
        }
    }
}
