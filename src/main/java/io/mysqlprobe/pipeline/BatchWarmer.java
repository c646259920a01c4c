package io.mysqlprobe.pipeline;

import io.mysqlprobe.tcp.Segment;

/**
 * Reads what a batch's segments will be decoded from before the decoding starts: each segment record, its
 * connection's key, and the payload's first {@value #HEAD_LINES} cache lines and its last one (where a result's
 * final packet lies, which the row hints jump to). The capture thread wrote them on its core; decoding would meet
 * each as a miss in turn, each load waiting on the one before (the payload's headers chain, the next segment waits
 * for the decoder), where this loop's loads do not depend on each other, so the core has many misses in flight at
 * once. Changes nothing: what it reads goes into {@link #touched}, so the compiler cannot drop the loads.
 */
final class BatchWarmer {

    private static final int LINE = 64;
    static final int HEAD_LINES = 4;

    /** A sum of the bytes read (a sink for the loads; its value means nothing). */
    private long touched;

    void warm(SegmentBatch batch) {
        long sum = 0;
        for (int i = 0, n = batch.size(); i < n; i++) {
            Segment s = batch.get(i);
            sum += s.key().clientPort();
            int len = s.payloadLen();
            if (len == 0) {
                continue;
            }
            byte[] data = s.data();
            int off = s.payloadOff();
            int head = Math.min(len, HEAD_LINES * LINE);
            for (int at = 0; at < head; at += LINE) {
                sum += data[off + at];
            }
            sum += data[off + len - 1];
        }
        touched += sum;
    }

    long touched() {
        return touched;
    }
}
