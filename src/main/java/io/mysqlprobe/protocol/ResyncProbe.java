package io.mysqlprobe.protocol;

import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decides, on a connection that lost its place (or was never seen starting), whether a client chunk
 * starts a command. Plain: sequence id 0, a known command byte, and a length that command can have
 * ({@link CommandParsers#plausibleLength}). Compressed (CLIENT_COMPRESS negotiated before the capture): a
 * 7-byte frame header (compressed length, compressed sequence id 0, uncompressed length, 0 = stored) whose
 * payload, stored or a zlib stream (CMF 0x78-style header with its FCHECK), holds a plain command start as
 * above: the payload is inflated to check it, so a stream that only looks compressed is not taken for one
 * (pt-query-digest's mysql-protocol parser recognises compressed traffic the same way). Also recognises a
 * TLS record header (a TLS session whose start was not captured). Bytes are held back across calls until
 * the verdict, so a header split anywhere is still seen; the held bytes are replayed on a command start.
 */
final class ResyncProbe {

    /** What the bytes seen so far are. */
    enum Verdict {
        NEED_MORE,
        COMMAND_START,
        COMPRESSED_START,
        TLS,
        NOT_A_COMMAND
    }

    /** Bytes of a plain packet header and command byte. */
    static final int PLAIN_PROBE = 5;

    private static final int FRAME_HEADER = 7;
    /**
     * The shortest zlib payload (2-byte header, a deflate block, 4-byte Adler-32). Also keeps a short plain packet
     * (COM_SET_OPTION, 7 bytes) from waiting for bytes after it: a plain packet of this length has 12 bytes, enough
     * for the zlib header check.
     */
    private static final int MIN_ZLIB_FRAME = 8;
    /** Compressed bytes held at most while inflating the first 5 bytes of a zlib frame. */
    static final int MAX_ZLIB_PROBE = 1024;

    private enum Stage {
        PLAIN,
        SHORT_PLAIN,
        FRAME_HEADER,
        STORED,
        ZLIB
    }

    /** Grown to hold a zlib frame's start only when one is probed (most connections never need it). */
    private byte[] held = new byte[FRAME_HEADER + PLAIN_PROBE];

    private final byte[] inflated = new byte[PLAIN_PROBE];
    private Inflater inflater;
    private Stage stage = Stage.PLAIN;
    private int want = PLAIN_PROBE;
    private int fill;
    private int inflatedFill;
    private int heldAtVerdict;
    private int taken;
    private boolean plainOk;
    private boolean compressedOnly;

    /** Forgets held-back bytes. */
    void reset() {
        fill = 0;
        stage = Stage.PLAIN;
        want = PLAIN_PROBE;
        endInflater();
    }

    /** A connection known to be compressed resyncs only on a compressed frame. */
    void compressedOnly(boolean only) {
        compressedOnly = only;
    }

    /** Bytes of the last {@link #offer} chunk that went into the probe. */
    int taken() {
        return taken;
    }

    /** Bytes held when the last verdict other than NEED_MORE was given (this chunk's taken bytes included). */
    int held() {
        return heldAtVerdict;
    }

    /** The held bytes (valid after a start verdict: the start of the command or frame, to replay). */
    byte[] bytes() {
        return held;
    }

    Verdict offer(byte[] data, int off, int len) {
        taken = 0;
        if (len == 0) {
            return Verdict.NEED_MORE;
        }
        while (true) {
            int n = Math.min(len - taken, want - fill);
            System.arraycopy(data, off + taken, held, fill, n);
            fill += n;
            taken += n;
            if (fill < want && stage != Stage.ZLIB) {
                return Verdict.NEED_MORE;
            }
            Verdict v = decide(n);
            if (v != Verdict.NEED_MORE) {
                heldAtVerdict = fill;
                reset();
                return v;
            }
            if (taken == len) {
                return Verdict.NEED_MORE;
            }
        }
    }

    private Verdict decide(int added) {
        switch (stage) {
            case PLAIN -> {
                int length = int3(0);
                Command cmd = Command.of(held[4] & 0xFF);
                if (held[3] != 0) {
                    return looksLikeTlsRecord() ? Verdict.TLS : Verdict.NOT_A_COMMAND;
                }
                plainOk = !compressedOnly && cmd != null && CommandParsers.plausibleLength(cmd, length);
                if (plainOk && length <= 2) { // too short to be a compressed frame holding a command
                    stage = Stage.SHORT_PLAIN;
                    want = 4 + length;
                    return fill == want ? Verdict.COMMAND_START : Verdict.NEED_MORE;
                }
                stage = Stage.FRAME_HEADER;
                want = FRAME_HEADER;
                return Verdict.NEED_MORE;
            }
            case SHORT_PLAIN -> {
                return Verdict.COMMAND_START;
            }
            case FRAME_HEADER -> {
                int compressedLength = int3(0);
                int uncompressedLength = int3(4);
                if (uncompressedLength == 0 && compressedLength >= PLAIN_PROBE) {
                    stage = Stage.STORED;
                    want = FRAME_HEADER + PLAIN_PROBE;
                    return Verdict.NEED_MORE;
                }
                if (uncompressedLength >= PLAIN_PROBE && compressedLength >= MIN_ZLIB_FRAME) {
                    stage = Stage.ZLIB;
                    want = FRAME_HEADER + Math.min(compressedLength, MAX_ZLIB_PROBE);
                    if (held.length < want) {
                        held = Arrays.copyOf(held, FRAME_HEADER + MAX_ZLIB_PROBE);
                    }
                    inflatedFill = 0;
                    return Verdict.NEED_MORE;
                }
                return fallBack();
            }
            case STORED -> {
                return innerCommand(held, FRAME_HEADER, int3(0)) ? Verdict.COMPRESSED_START : fallBack();
            }
            default -> {
                return zlib(added);
            }
        }
    }

    /** A zlib frame: header check, then inflate what is held until 5 bytes come out. */
    private Verdict zlib(int added) {
        if (fill < FRAME_HEADER + 2) {
            return Verdict.NEED_MORE;
        }
        int cmf = held[FRAME_HEADER] & 0xFF;
        int flg = held[FRAME_HEADER + 1] & 0xFF;
        // RFC 1950: CM 8 (deflate), window ≤ 32K, no preset dictionary, FCHECK
        if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || (flg & 0x20) != 0 || (cmf * 256 + flg) % 31 != 0) {
            return fallBack();
        }
        if (inflater == null) {
            inflater = new Inflater();
            inflater.setInput(held, FRAME_HEADER, fill - FRAME_HEADER);
        } else {
            inflater.setInput(held, fill - added, added);
        }
        try {
            while (inflatedFill < PLAIN_PROBE) {
                int n = inflater.inflate(inflated, inflatedFill, PLAIN_PROBE - inflatedFill);
                if (n == 0) {
                    break;
                }
                inflatedFill += n;
            }
        } catch (DataFormatException e) {
            return fallBack();
        }
        if (inflatedFill == PLAIN_PROBE) {
            return innerCommand(inflated, 0, int3(4)) ? Verdict.COMPRESSED_START : fallBack();
        }
        if (inflater.finished() || inflater.needsDictionary() || fill == want) {
            return fallBack(); // the frame (or what may be held of it) ends before a packet header
        }
        return Verdict.NEED_MORE;
    }

    /** The MySQL packet at the start of a frame's payload starts a command and fits in the payload. */
    private static boolean innerCommand(byte[] b, int off, int payloadLength) {
        int length = (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16;
        Command cmd = Command.of(b[off + 4] & 0xFF);
        return b[off + 3] == 0
                && cmd != null
                && CommandParsers.plausibleLength(cmd, length)
                && 4L + length <= payloadLength;
    }

    /** Not a compressed frame: a plain command start if the first 5 bytes said so. */
    private Verdict fallBack() {
        if (plainOk) {
            return Verdict.COMMAND_START;
        }
        return looksLikeTlsRecord() ? Verdict.TLS : Verdict.NOT_A_COMMAND;
    }

    private int int3(int off) {
        return (held[off] & 0xFF) | (held[off + 1] & 0xFF) << 8 | (held[off + 2] & 0xFF) << 16;
    }

    private void endInflater() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** TLS record header: content type (change_cipher_spec .. application_data), version 3.1-3.4. */
    private boolean looksLikeTlsRecord() {
        int type = held[0] & 0xFF;
        return type >= 0x14 && type <= 0x17 && held[1] == 3 && held[2] >= 1 && held[2] <= 4;
    }
}
