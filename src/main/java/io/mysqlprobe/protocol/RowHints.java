package io.mysqlprobe.protocol;

import io.mysqlprobe.tcp.PayloadHinter;
import io.mysqlprobe.tcp.Segment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A speculative walk of MySQL packet headers over a server → client payload, made by the capture thread right
 * after it copied the bytes ({@link PayloadHinter}), so that the decode worker — on another core, milliseconds
 * later — skips a run of result-set rows without loading each row's header again (a cache miss per row).
 *
 * <p>The walk starts at payload offset 0 and follows the header arithmetic of {@link PacketFramer}'s row skip
 * (3-byte length, next header after the payload). It records the first {@link #ENTRIES} <em>breaks</em>: packets
 * the row skip stops at (length 0, a 0xFFFFFF continuation, first byte 0xFE EOF/OK or 0xFF ERR, a packet cut by
 * the payload's end, fewer than 5 bytes left), each with its offset and its ordinal (packets before it from offset
 * 0). It means something only when offset 0 is where the framer starts a packet: the framer checks that ({@link
 * PacketFramer#hint}); then every packet start it reaches in the payload lies on this chain, and a row skip from
 * the {@code k}-th packet ends at the first break with an ordinal of at least {@code k}: same rows, same bytes.
 *
 * <p>Encoding: two 32-bit entries (the first in the low half), each {@code last << 31 | ordinal << 17 | offset};
 * an all-ones entry is absent. {@code last} marks the break where the chain leaves the payload: nothing follows.
 * A walk that runs out of entries, or of offset or ordinal bits, ends without a last entry: beyond its last entry
 * the framer walks as it always did.
 */
public final class RowHints {

    /** No entries ({@link Segment#NO_HINT}). */
    public static final long NONE = Segment.NO_HINT;
    /** Not a run: the hint does not reach the asked packet, or disagrees with it. */
    static final long UNKNOWN = -1L;

    static final int ENTRIES = 2;
    private static final int OFFSET_BITS = 17;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;
    /** Payloads longer than this get no hint (an all-ones entry must stay impossible). */
    static final int MAX_PAYLOAD = OFFSET_MASK - 1;

    private static final int ORDINAL_MASK = (1 << 14) - 1;
    private static final int LAST = 1 << 31;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private RowHints() {}

    /** The capture thread's walk over {@code data[off, off + len)} (a {@link PayloadHinter}). */
    public static long walk(byte[] data, int off, int len) {
        if (len > MAX_PAYLOAD) {
            return NONE;
        }
        long hint = NONE;
        int entries = 0;
        int pos = off;
        int end = off + len;
        int ordinal = 0;
        while (ordinal <= ORDINAL_MASK) {
            boolean last = pos + 4 >= end;
            int length = 0;
            if (!last) {
                length = (int) INT_LE.get(data, pos) & 0xFF_FFFF;
                int first = data[pos + 4] & 0xFF;
                last = length >= PacketTypes.MAX_PACKET_LENGTH || length > end - pos - 4;
                if (!last && length != 0 && first != PacketTypes.EOF_PACKET && first != PacketTypes.ERR_PACKET) {
                    pos += 4 + length; // a row, as far as the framer's row skip can tell
                    ordinal++;
                    continue;
                }
            }
            int entry = (last ? LAST : 0) | ordinal << OFFSET_BITS | (pos - off);
            hint &= ~(0xFFFF_FFFFL << (32 * entries)); // NONE has all ones: clear the slot, then set it
            hint |= (entry & 0xFFFF_FFFFL) << (32 * entries);
            entries++;
            if (last || entries == ENTRIES) {
                break;
            }
            pos += 4 + length; // a break wholly inside the payload: the chain goes on after it
            ordinal++;
        }
        return hint;
    }

    /**
     * The run of row packets that starts with packet {@code ordinal} (counted from the payload's offset 0) at payload
     * offset {@code at}, up to the next break.
     *
     * @return {@code rows << 32 | bytes} (0 when that packet is itself a break), or {@link #UNKNOWN} when the hint
     *     does not reach that packet or disagrees with where it lies
     */
    static long run(long hint, int at, int ordinal) {
        for (int i = 0; i < ENTRIES; i++) {
            int entry = (int) (hint >>> (32 * i));
            if (entry == -1) {
                return UNKNOWN;
            }
            int breakOrdinal = (entry >>> OFFSET_BITS) & ORDINAL_MASK;
            int breakAt = entry & OFFSET_MASK;
            if (breakOrdinal < ordinal) {
                if (entry < 0) {
                    return UNKNOWN; // the chain ended before: not a packet start this hint knows
                }
                continue;
            }
            if (breakOrdinal == ordinal) {
                return breakAt == at ? 0 : UNKNOWN;
            }
            long rows = breakOrdinal - ordinal;
            long bytes = breakAt - at;
            // each row is at least 5 bytes (header and a first byte)
            return bytes >= 5 * rows ? rows << 32 | bytes : UNKNOWN;
        }
        return UNKNOWN;
    }
}
