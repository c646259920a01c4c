package io.mysqlprobe.pipeline;

import io.mysqlprobe.capture.Chunk;
import io.mysqlprobe.tcp.Segment;
import java.util.Arrays;

/**
 * Segments on their way from a capture thread to one decode worker, with the capture chunks their bytes lie in:
 * the batch holds a reference on each ({@link Chunk#retain}) until it was processed or dropped ({@link #release}),
 * so the capture thread reuses a chunk only when no batch needs its bytes. Reused by its dispatcher, so the
 * capture thread allocates no batch per flush.
 */
final class SegmentBatch {

    private final Segment[] segments;
    private int size;
    private Chunk[] chunks = new Chunk[2];
    private int chunkCount;

    SegmentBatch(int capacity) {
        this.segments = new Segment[capacity];
    }

    /**
     * Adds {@code s}, whose bytes lie in {@code chunk} (null when they are not pooled); chunks come in the order
     * the capture thread writes them, so comparing with the last one is enough to take each reference once.
     */
    void add(Segment s, Chunk chunk) {
        if (chunk != null && (chunkCount == 0 || chunks[chunkCount - 1] != chunk)) {
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, chunkCount * 2);
            }
            chunk.retain();
            chunks[chunkCount++] = chunk;
        }
        segments[size++] = s;
    }

    boolean full() {
        return size == segments.length;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Segment get(int i) {
        return segments[i];
    }

    /** Processed or dropped: the chunks go back (once every other holder is done too) and the batch is empty. */
    void release() {
        for (int i = 0; i < chunkCount; i++) {
            chunks[i].release();
            chunks[i] = null;
        }
        chunkCount = 0;
        Arrays.fill(segments, 0, size, null);
        size = 0;
    }
}
