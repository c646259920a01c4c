package io.mysqlprobe.protocol;

/**
 * Decides, on a connection that lost its place (or was never seen starting), whether a client chunk
 * starts a command: sequence id 0, a known command byte, and a length that command can have
 * ({@link CommandParsers#plausibleLength}). Holds back up to 5 bytes so a header split across calls
 * is still seen. Also recognises a TLS record header (a TLS session whose start was not captured).
 */
final class ResyncProbe {

    /** What the bytes seen so far are. */
    enum Verdict { NEED_MORE, COMMAND_START, TLS, NOT_A_COMMAND }

    static final int PROBE_LENGTH = 5;

    private final byte[] probe = new byte[PROBE_LENGTH];
    private int fill;
    private int taken;

    /** Forgets held-back bytes. */
    void reset() {
        fill = 0;
    }

    /** Bytes of the last {@link #offer} chunk that went into the probe. */
    int taken() {
        return taken;
    }

    /** The 5 probed bytes (valid after COMMAND_START: the start of the command, to replay). */
    byte[] bytes() {
        return probe;
    }

    Verdict offer(byte[] data, int off, int len) {
        taken = Math.min(len, PROBE_LENGTH - fill);
        System.arraycopy(data, off, probe, fill, taken);
        fill += taken;
        if (fill < PROBE_LENGTH) {
            return Verdict.NEED_MORE;
        }
        fill = 0;
        int length = (probe[0] & 0xFF) | (probe[1] & 0xFF) << 8 | (probe[2] & 0xFF) << 16;
        int seq = probe[3] & 0xFF;
        Command cmd = Command.of(probe[4] & 0xFF);
        if (seq == 0 && cmd != null && CommandParsers.plausibleLength(cmd, length)) {
            return Verdict.COMMAND_START;
        }
        return looksLikeTlsRecord() ? Verdict.TLS : Verdict.NOT_A_COMMAND;
    }

    /** TLS record header: content type (change_cipher_spec .. application_data), version 3.1-3.4. */
    private boolean looksLikeTlsRecord() {
        int type = probe[0] & 0xFF;
        return type >= 0x14 && type <= 0x17 && probe[1] == 3 && probe[2] >= 1 && probe[2] <= 4;
    }
}
