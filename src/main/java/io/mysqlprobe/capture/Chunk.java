package io.mysqlprobe.capture;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A byte array that captured packets are copied into, shared by the frames sliced from it and handed back to its
 * {@link ChunkPool} when the last holder releases it. The capture thread holds one reference while it writes; each
 * holder of frame bytes past {@link FrameSink#onFrame} (a batch queued for a decode worker) holds another.
 */
public final class Chunk {

    private final byte[] bytes;
    private final ChunkPool pool;
    private final AtomicInteger refs = new AtomicInteger();

    Chunk(byte[] bytes, ChunkPool pool) {
        this.bytes = bytes;
        this.pool = pool;
    }

    public byte[] bytes() {
        return bytes;
    }

    /** One more holder: the bytes stay as they are until it {@link #release}s. */
    public void retain() {
        refs.incrementAndGet();
    }

    /** A holder is done with the bytes; the last one hands the chunk back to its pool (if it came from one). */
    public void release() {
        int left = refs.decrementAndGet();
        if (left == 0) {
            if (pool != null) {
                pool.giveBack(this);
            }
        } else if (left < 0) {
            throw new IllegalStateException("chunk released more often than retained");
        }
    }

    /** Holders now (tests). */
    int references() {
        return refs.get();
    }

    /** Taken from the pool: the capture thread's reference only. */
    Chunk taken() {
        refs.set(1);
        return this;
    }
}
