package io.mysqlprobe.capture;

/** Where a capture delivers frames. Called on the capture thread only; must never block. */
public interface FrameSink {

    void onFrame(Frame frame);

    /** The capture loop found nothing for a while (or finished a read burst): flush partial batches. */
    default void onIdle() {}
}
