package io.mysqlprobe.capture;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The chunks one capture thread copies packets into, reused once every batch holding frames of a chunk was
 * processed or dropped: no array to allocate (and zero) per chunk on the capture thread. Bounded: at most {@code
 * maxPooled} arrays belong to the pool. When they are all still held (decode workers far behind) the capture
 * thread allocates a chunk outside the pool, counts it in {@code unpooled}, and the garbage collector takes it
 * back once released: the pool itself never holds more than {@code maxPooled × chunkBytes}.
 *
 * <p>{@link #take} is called by the capture thread only; {@link Chunk#release} (which gives a chunk back) by any.
 */
public final class ChunkPool {

    private final int chunkBytes;
    private final int maxPooled;
    private final LongAdder unpooled;
    private final ArrayBlockingQueue<Chunk> free;
    /** Arrays the pool made (capture thread only). */
    private int made;

    public ChunkPool(int chunkBytes, int maxPooled, LongAdder unpooled) {
        if (chunkBytes <= 0 || maxPooled <= 0) {
            throw new IllegalArgumentException("chunkBytes and maxPooled must be positive");
        }
        this.chunkBytes = chunkBytes;
        this.maxPooled = maxPooled;
        this.unpooled = unpooled;
        this.free = new ArrayBlockingQueue<>(maxPooled);
    }

    public int chunkBytes() {
        return chunkBytes;
    }

    /** A chunk held once (by the caller): a free pooled one, a new pooled one, or past the bound an unpooled one. */
    Chunk take() {
        Chunk c = free.poll();
        if (c != null) {
            return c.taken();
        }
        if (made < maxPooled) {
            made++;
            return new Chunk(new byte[chunkBytes], this).taken();
        }
        unpooled.increment();
        return new Chunk(new byte[chunkBytes], null).taken();
    }

    void giveBack(Chunk c) {
        free.offer(c); // never full: only the pool's own chunks come back, each once per take
    }

    /** Chunks ready to be taken (tests). */
    int free() {
        return free.size();
    }
}
