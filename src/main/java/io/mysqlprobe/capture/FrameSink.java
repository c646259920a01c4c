package io.mysqlprobe.capture;

/** Where a capture delivers frames. Called on the capture thread only; must never block. */
public interface FrameSink {

    void onFrame(Frame frame);

    /**
     * Live capture: the frames delivered from now on lie in {@code chunk} (the capture thread's pooled copy of the
     * packets). Frame bytes are valid during {@link #onFrame}; a sink that keeps them longer retains the chunk
     * ({@link Chunk#retain}) and releases it when done, after which the capture thread reuses the array. By default
     * the chunk is retained and never released: the sink may keep every frame, and the pool stops recycling
     * (each further chunk is a new array, counted as unpooled). Offline reading never calls this.
     */
    default void onChunk(Chunk chunk) {
        chunk.retain();
    }

    /**
     * The capture loop finished a read: {@code quiet} when it found no packet (a timeout), so partial batches
     * should go now; otherwise the sink may keep batching for a little while.
     */
    default void onIdle(boolean quiet) {}

    /**
     * The capture thread is about to count a packet of time {@code tsMicros}, at or past the time this returned
     * last (initially {@link Long#MIN_VALUE}); every earlier packet is already in the counters. Returns when to
     * call again (the end of that packet's report window), so counts are cut by packet time with one comparison
     * per packet. By default never again.
     */
    default long onPacketTime(long tsMicros) {
        return Long.MAX_VALUE;
    }
}
