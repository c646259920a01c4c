package io.mysqlprobe.protocol;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Unwraps the compressed protocol (CLIENT_COMPRESS): 7-byte frame header (3-byte compressed length,
 * 1-byte compressed sequence id, 3-byte uncompressed length, 0 = stored as is), zlib payload
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_compression.html).
 * Inflates as bytes arrive, so a frame is never buffered whole; MySQL packets may span frames
 * because the inflated bytes go to the same {@link PacketFramer}.
 */
final class CompressedFrameReader {

    /** Receives inflated bytes. */
    interface Downstream {
        void accept(byte[] data, int off, int len, long ts);
    }

    /** Why the compressed stream could not be read. */
    static final class BadFrameException extends Exception {
        BadFrameException(String message) {
            super(message, null, false, false);
        }
    }

    private static final int OUT_BUFFER = 8 * 1024;

    private final Downstream downstream;
    private final byte[] header = new byte[7];
    private final byte[] out = new byte[OUT_BUFFER];
    private final Inflater inflater = new Inflater();
    private int headerFill;
    private int remaining;
    private boolean stored;
    private long frames;

    CompressedFrameReader(Downstream downstream) {
        this.downstream = downstream;
    }

    long frames() {
        return frames;
    }

    void feed(byte[] data, int off, int len, long ts) throws BadFrameException {
        int pos = off;
        int end = off + len;
        while (pos < end) {
            if (headerFill < 7) {
                header[headerFill++] = data[pos++];
                if (headerFill == 7) {
                    startFrame();
                    if (remaining == 0) {
                        endFrame();
                    }
                }
                continue;
            }
            int n = Math.min(remaining, end - pos);
            if (stored) {
                downstream.accept(data, pos, n, ts);
            } else {
                inflate(data, pos, n, ts);
            }
            pos += n;
            remaining -= n;
            if (remaining == 0) {
                endFrame();
            }
        }
    }

    private void startFrame() {
        remaining = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        int uncompressed = (header[4] & 0xFF) | (header[5] & 0xFF) << 8 | (header[6] & 0xFF) << 16;
        stored = uncompressed == 0;
        inflater.reset();
        frames++;
    }

    private void inflate(byte[] data, int off, int len, long ts) throws BadFrameException {
        inflater.setInput(data, off, len);
        try {
            while (true) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    downstream.accept(out, 0, n, ts);
                } else if (inflater.finished() || inflater.needsInput()) {
                    break;
                } else if (inflater.needsDictionary()) {
                    throw new BadFrameException("zlib stream needs a dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new BadFrameException("bad zlib data: " + e.getMessage());
        }
        if (inflater.finished() && inflater.getRemaining() > 0) {
            throw new BadFrameException("bytes after the end of the zlib stream");
        }
    }

    private void endFrame() throws BadFrameException {
        headerFill = 0;
        if (!stored && !inflater.finished()) {
            throw new BadFrameException("compressed frame ended inside its zlib stream");
        }
    }

    void close() {
        inflater.end();
    }
}
