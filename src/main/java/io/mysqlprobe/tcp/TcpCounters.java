package io.mysqlprobe.tcp;

import java.util.concurrent.atomic.LongAdder;

/** Counters of the TCP stage, cumulative since start; shared by all workers. */
public final class TcpCounters {

    /** Frames that were not TCP to or from the server port (the BPF filter normally keeps them out). */
    public final LongAdder notTcp = new LongAdder();
    /** Bare ACKs (no payload, no SYN/FIN/RST) to or from the server port: parsed, then skipped. */
    public final LongAdder bareAcks = new LongAdder();
    /** IP fragments: a MySQL stream should not be fragmented; skipped and counted. */
    public final LongAdder ipFragments = new LongAdder();
    /** Frames whose IP/TCP headers were cut short or inconsistent. */
    public final LongAdder malformed = new LongAdder();
    /** Segments entirely already seen (retransmissions). */
    public final LongAdder retransmitted = new LongAdder();
    /** Segments received ahead of a hole and buffered. */
    public final LongAdder outOfOrder = new LongAdder();
    /** Holes in a stream that were never filled: bytes lost, the protocol resyncs. */
    public final LongAdder streamGaps = new LongAdder();

    public final LongAdder gapBytes = new LongAdder();
    /** Connections first seen (with or without their SYN). */
    public final LongAdder connectionsOpened = new LongAdder();

    public final LongAdder connectionsClosed = new LongAdder();
    /** Connections dropped from the flow table by the idle timeout or the size bound. */
    public final LongAdder connectionsEvicted = new LongAdder();
    /**
     * Connections closed because their client port opened a new connection (a SYN with another initial sequence
     * number on a 4-tuple still tracked: its FIN/RST was not seen, or the port was reused from TIME_WAIT).
     */
    public final LongAdder portReuses = new LongAdder();
    /** Out-of-order bytes discarded because a direction's reassembly buffer was full. */
    public final LongAdder reassemblyOverflows = new LongAdder();
}
