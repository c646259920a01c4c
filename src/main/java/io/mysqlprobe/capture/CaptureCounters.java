package io.mysqlprobe.capture;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the capture stage; cumulative since start. Written by capture threads, read by the reporter. */
public final class CaptureCounters {

    public final LongAdder packets = new LongAdder();
    public final LongAdder bytes = new LongAdder();
    /** Frames that carried no IP packet (ARP, unknown link payload). */
    public final LongAdder nonIp = new LongAdder();
    /** Records of a capture file cut short by the end of the file; packets of a ring block found cut (RingReader). */
    public final LongAdder truncatedRecords = new LongAdder();
    /** Kernel drops (pcap_stats ps_drop, or the ring socket's PACKET_STATISTICS), summed over devices, as last read. */
    public final AtomicLong kernelDropped = new AtomicLong();
    /** Interface drops (pcap_stats ps_ifdrop), summed over devices, as last read. */
    public final AtomicLong interfaceDropped = new AtomicLong();
    /** Capture threads whose batched or ring reads failed at run time and that went on packet by packet or with libpcap. */
    public final LongAdder batchFallbacks = new LongAdder();
    /** Chunks a capture thread allocated outside its pool because every pooled one was still held by workers. */
    public final LongAdder unpooledChunks = new LongAdder();
}
