package io.mysqlprobe.tcp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts one direction of a TCP connection back in order. Sequence numbers are compared modulo 2^32.
 * Retransmitted and overlapping bytes are trimmed; segments ahead of a hole wait in a bounded buffer;
 * a hole that will not fill (the peer moved on, the buffer is full, the flow ends) becomes a gap.
 */
final class Reassembler {

    private record Pending(int seq, long tsMicros, byte[] bytes) {}

    private final Direction dir;
    private final StreamHandler handler;
    private final TcpCounters counters;
    private final int maxPendingBytes;
    private final List<Pending> pending = new ArrayList<>(4);
    private int pendingBytes;
    private boolean initialized;
    private int next;
    /** The initial sequence number of this direction's SYN, when it was seen. */
    private boolean sawSyn;

    private int isn;

    Reassembler(Direction dir, StreamHandler handler, TcpCounters counters, int maxPendingBytes) {
        this.dir = dir;
        this.handler = handler;
        this.counters = counters;
        this.maxPendingBytes = maxPendingBytes;
    }

    /** A SYN: the stream starts after it. A retransmitted SYN (same ISN) changes nothing. */
    void onSyn(int seq) {
        if (sawSyn && seq == isn) {
            return;
        }
        sawSyn = true;
        isn = seq;
        next = seq + 1;
        initialized = true;
        pending.clear();
        pendingBytes = 0;
    }

    void accept(long ts, int seq, byte[] data, int off, int len) {
        accept(ts, seq, data, off, len, Segment.NO_HINT);
    }

    /** @param hint the segment's {@link Segment#hint}: passed on only with the whole payload, delivered at once */
    void accept(long ts, int seq, byte[] data, int off, int len, long hint) {
        if (len == 0) {
            return;
        }
        if (!initialized) {
            next = seq;
            initialized = true;
        }
        int diff = seq - next;
        if (diff > 0) {
            buffer(ts, seq, data, off, len);
            return;
        }
        if (diff + len <= 0) {
            counters.retransmitted.increment();
            return;
        }
        deliver(ts, data, off - diff, len + diff, diff == 0 ? hint : Segment.NO_HINT);
        drain();
    }

    private void deliver(long ts, byte[] data, int off, int len, long hint) {
        next += len;
        handler.onData(dir, ts, data, off, len, hint);
    }

    private void buffer(long ts, int seq, byte[] data, int off, int len) {
        if (pendingBytes + len > maxPendingBytes) {
            counters.reassemblyOverflows.increment();
            flushGap(ts);
            if (seq - next > 0) { // still ahead after the flush: this segment starts the new hole
                skipTo(ts, seq);
            }
            accept(ts, seq, data, off, len);
            return;
        }
        counters.outOfOrder.increment();
        int i = 0;
        while (i < pending.size() && pending.get(i).seq - seq < 0) {
            i++;
        }
        pending.add(i, new Pending(seq, ts, Arrays.copyOfRange(data, off, off + len)));
        pendingBytes += len;
    }

    private void drain() {
        while (!pending.isEmpty()) {
            Pending p = pending.get(0);
            int diff = p.seq - next;
            if (diff > 0) {
                return;
            }
            pending.remove(0);
            pendingBytes -= p.bytes.length;
            if (diff + p.bytes.length <= 0) {
                counters.retransmitted.increment();
                continue;
            }
            deliver(p.tsMicros, p.bytes, -diff, p.bytes.length + diff, Segment.NO_HINT);
        }
    }

    /** Gives up on the hole before the first buffered segment: reports it as a gap and delivers what waits. */
    boolean flushGap(long ts) {
        if (pending.isEmpty()) {
            return false;
        }
        skipTo(ts, pending.get(0).seq);
        drain();
        return true;
    }

    private void skipTo(long ts, int seq) {
        long missing = Integer.toUnsignedLong(seq - next);
        counters.streamGaps.increment();
        counters.gapBytes.add(missing);
        next = seq;
        handler.onGap(dir, ts, missing);
    }

    /** Whether a SYN with this sequence number starts another connection than the one this direction carries. */
    boolean isNewIsn(int seq) {
        return !sawSyn || seq != isn;
    }

    boolean hasPending() {
        return !pending.isEmpty();
    }
}
