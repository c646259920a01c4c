package io.mysqlprobe.tcp;

/**
 * Receives the reassembled byte streams of one connection, in order, one direction at a time.
 * Implemented by the protocol stage; called by one worker thread only.
 */
public interface StreamHandler {

    /** In-order bytes; {@code data} is only valid during the call. */
    void onData(Direction dir, long tsMicros, byte[] data, int off, int len);

    /**
     * In-order bytes that are exactly one captured segment's payload, untrimmed, with the {@link Segment#hint} the
     * capture thread made of it ({@link Segment#NO_HINT} when there is none).
     */
    default void onData(Direction dir, long tsMicros, byte[] data, int off, int len, long hint) {
        onData(dir, tsMicros, data, off, len);
    }

    /** Bytes of this direction were lost (never captured or evicted): the stream must resync. */
    void onGap(Direction dir, long tsMicros, long missingBytes);

    /** The connection ended (FIN, RST, idle eviction, end of capture, or a new connection on its client port). */
    void onClose(long tsMicros, CloseReason reason);

    enum CloseReason {
        FIN,
        RST,
        IDLE,
        EVICTED,
        END_OF_CAPTURE,
        PORT_REUSED
    }
}
