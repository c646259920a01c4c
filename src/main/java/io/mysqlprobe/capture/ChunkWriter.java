package io.mysqlprobe.capture;

/**
 * Where a capture thread copies packets: the free end of its current {@link Chunk}. When a write does not fit, a
 * chunk is taken from the pool, announced to the sink ({@link FrameSink#onChunk}) before any frame lies in it, and
 * the capture thread's reference on the previous one is released.
 */
final class ChunkWriter implements AutoCloseable {

    private final ChunkPool pool;
    private final FrameSink sink;
    private Chunk chunk;
    private byte[] bytes = new byte[0];
    private int used;

    ChunkWriter(ChunkPool pool, FrameSink sink) {
        this.pool = pool;
        this.sink = sink;
    }

    /** The largest write that {@link #reserve} can make room for. */
    int capacity() {
        return pool.chunkBytes();
    }

    /** Makes room for {@code n} bytes (at most {@link #capacity()}) at {@link #position()} of {@link #bytes()}. */
    void reserve(int n) {
        if (used + n <= bytes.length) {
            return;
        }
        if (n > pool.chunkBytes()) {
            throw new IllegalArgumentException(n + " bytes do not fit a " + pool.chunkBytes() + "-byte chunk");
        }
        Chunk next = pool.take();
        sink.onChunk(next);
        Chunk previous = chunk;
        chunk = next;
        bytes = next.bytes();
        used = 0;
        if (previous != null) {
            previous.release();
        }
    }

    byte[] bytes() {
        return bytes;
    }

    int position() {
        return used;
    }

    /** {@code n} bytes were written at {@link #position()}. */
    void advance(int n) {
        used += n;
    }

    /** The capture thread is done writing: its reference on the current chunk goes. */
    @Override
    public void close() {
        if (chunk != null) {
            chunk.release();
            chunk = null;
            bytes = new byte[0];
            used = 0;
        }
    }
}
