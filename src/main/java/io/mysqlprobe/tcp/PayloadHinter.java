package io.mysqlprobe.tcp;

/**
 * Summarises a server → client payload on the capture thread, while its bytes are still in that core's cache,
 * into an opaque {@code long} that travels with the {@link Segment} to the stage that reads the stream (the
 * protocol stage, which supplies the function). The reader may use it only when it gets exactly that payload, in
 * order and untrimmed ({@link StreamHandler#onData(Direction, long, byte[], int, int, long)}).
 */
@FunctionalInterface
public interface PayloadHinter {

    /** No summary: every segment carries {@link Segment#NO_HINT}. */
    PayloadHinter NONE = (data, off, len) -> Segment.NO_HINT;

    /** @return the summary of {@code data[off, off + len)}, or {@link Segment#NO_HINT} */
    long hint(byte[] data, int off, int len);
}
