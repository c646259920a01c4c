package io.mysqlprobe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.mysqlprobe.tcp.Direction;
import io.mysqlprobe.tcp.FlowKey;
import io.mysqlprobe.tcp.Segment;
import org.junit.jupiter.api.Test;

/** The warm-up reads inside every payload, whatever its length and wherever it ends, and changes nothing. */
class BatchWarmerTest {

    private static final FlowKey KEY = new FlowKey(0, 0xFFFF7F000001L, 40000, 0, 0xFFFF7F000001L, 3306);

    private static Segment segment(byte[] data, int off, int len) {
        return new Segment(1, KEY, Direction.SERVER_TO_CLIENT, 0, Segment.ACK, data, off, len, Segment.NO_HINT);
    }

    @Test
    void readsTheHeadLinesAndTheLastByteOfEachPayloadAndNothingElse() {
        byte[] data = new byte[1000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i % 100);
        }
        SegmentBatch batch = new SegmentBatch(8);
        batch.add(segment(data, 0, 0), null); // a bare ACK: its key only
        batch.add(segment(data, 10, 1), null); // one byte: head and last are the same byte
        batch.add(segment(data, 100, 200), null); // head 100, 164, 228, 292 and the last, 299
        batch.add(segment(data, 300, 700), null); // four head lines (300..492) and the array's last byte
        BatchWarmer w = new BatchWarmer();
        w.warm(batch);
        long ports = 4L * 40000;
        long expected = ports + (10 + 10) + (0 + 64 + 28 + 92 + 99) + (0 + 64 + 28 + 92 + 99);
        assertEquals(expected, w.touched());
        assertEquals(4, batch.size());
    }
}
