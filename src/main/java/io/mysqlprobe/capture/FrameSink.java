package io.mysqlprobe.capture;

/** Where a capture delivers frames. Called on the capture thread only; must never block. */
public interface FrameSink {

    void onFrame(Frame frame);

    /**
     * The capture loop finished a read: {@code quiet} when it found no packet (a timeout), so partial batches
     * should go now; otherwise the sink may keep batching for a little while.
     */
    default void onIdle(boolean quiet) {}
}
