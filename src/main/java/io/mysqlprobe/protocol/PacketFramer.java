package io.mysqlprobe.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Cuts one direction's byte stream into MySQL packets (3-byte length, 1-byte sequence id), joining
 * 0xFFFFFF continuation packets (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html).
 * Bounded: at most {@code maxCapture} payload bytes of a packet are kept, the rest is only counted,
 * so a 1 GB result set streams through with constant memory. A packet that lies whole in the bytes being fed
 * is delivered where it lies, without a copy. Never reads past the packet it is completing, so the sink may
 * {@link #pause()} it to switch the byte stream to another mode.
 */
final class PacketFramer {

    /** Receives complete packets. */
    interface PacketSink {
        void onPacket(Packet p);

        /**
         * Sees the header of a packet's first physical packet before its payload is read, so a
         * length or sequence id that cannot be right is refused early instead of awaited.
         *
         * @return false to refuse: the framer forgets the packet and pauses
         */
        default boolean acceptHeader(int length, int sequenceId) {
            return true;
        }

        /** Whether the packets about to come are result-set rows, which {@link #onRows} may take in bulk. */
        default boolean rowsFollow() {
            return false;
        }

        /**
         * {@code count} whole row packets (one physical packet each, neither EOF/OK 0xFE nor ERR 0xFF) that the
         * framer skipped without copying, {@code wireBytes} with their headers, the last ending at {@code ts}.
         */
        default void onRows(int count, long wireBytes, long ts) {}
    }

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int INITIAL_BUFFER = 256;
    private static final int RETAINED_BUFFER = 16 * 1024;

    private final int maxCapture;
    private final PacketSink sink;
    private final Packet packet = new Packet();
    /** Where packets cut by the end of the fed bytes (or continued) are put together. */
    private byte[] buffer;

    private final byte[] header = new byte[4];
    private int headerFill;
    private long fragmentRemaining;
    private boolean lastFragment;
    private boolean inPacket;
    private boolean paused;
    private long streamOffset;
    /** The capture's {@link RowHints} of the payload {@code hintData[hintBase, hintEnd)}; null data: none. */
    private long hint;

    private byte[] hintData;
    private int hintBase;
    private int hintEnd;
    /** Physical packets started since {@code hintBase} (headers read plus rows skipped). */
    private int hintOrdinal;
    /** Rows this framer counted from hints, without reading them (tests check the hint was taken). */
    long hintedRows;

    PacketFramer(int maxCapture, PacketSink sink) {
        this.maxCapture = maxCapture;
        this.sink = sink;
        buffer = new byte[Math.min(INITIAL_BUFFER, maxCapture)];
        packet.payload = buffer;
    }

    /** Stops the current {@link #feed} right after the packet being delivered. */
    void pause() {
        paused = true;
    }

    /**
     * The capture thread's {@link RowHints} of the payload {@code data[off, off + len)} about to be fed. Taken only
     * when no packet is open now, so the payload's offset 0 is where this framer starts its next packet: then its
     * packet starts in the payload follow the hint's chain. Kept until {@link #dropHint} or {@link #reset}.
     */
    void hint(long h, byte[] data, int off, int len) {
        if (h == RowHints.NONE || inPacket) {
            hintData = null;
            return;
        }
        hint = h;
        hintData = data;
        hintBase = off;
        hintEnd = off + len;
        hintOrdinal = 0;
    }

    void dropHint() {
        hintData = null;
    }

    /** Forgets any partial packet (after a gap or a desync). */
    void reset() {
        hintData = null; // where the stream goes on is no longer where the hint's chain goes
        headerFill = 0;
        fragmentRemaining = 0;
        inPacket = false;
        if (buffer.length > RETAINED_BUFFER) {
            buffer = new byte[INITIAL_BUFFER];
        }
        packet.payload = buffer;
    }

    /** Bytes held by this framer's buffer (memory bound checks). */
    int bufferCapacity() {
        return buffer.length;
    }

    /** True when no partial packet is buffered (the stream is at a packet boundary). */
    boolean atBoundary() {
        return !inPacket;
    }

    /**
     * Consumes bytes and delivers every packet they complete.
     *
     * @return bytes consumed; less than {@code len} only when the sink paused the framer
     */
    int feed(byte[] data, int off, int len, long ts) {
        paused = false;
        int pos = off;
        int end = off + len;
        while (pos < end && !paused) {
            if (headerFill < 4) {
                if (!inPacket && headerFill == 0) {
                    if (sink.rowsFollow()) {
                        int skipped = skipRows(data, pos, end, ts);
                        if (skipped > 0) {
                            pos += skipped;
                            continue;
                        }
                    }
                    startPacket(ts, streamOffset + (pos - off));
                }
                if (headerFill == 0 && end - pos >= 4) { // the whole header at once (the usual case)
                    header[0] = data[pos];
                    header[1] = data[pos + 1];
                    header[2] = data[pos + 2];
                    header[3] = data[pos + 3];
                    pos += 4;
                    headerFill = 4;
                } else {
                    header[headerFill++] = data[pos++];
                }
                if (headerFill == 4) {
                    hintOrdinal++;
                    if (packet.wireBytes == 0 && !sink.acceptHeader(fragmentLength(), header[3] & 0xFF)) {
                        reset();
                        paused = true;
                        break;
                    }
                    startFragment();
                    if (fragmentRemaining == 0) {
                        endFragment(ts);
                    }
                }
                continue;
            }
            if (wholeIn(end - pos)) { // delivered where it lies
                int n = (int) fragmentRemaining;
                packet.payload = data;
                packet.offset = pos;
                packet.length = n;
                packet.wireBytes += n;
                packet.captured = Math.min(n, maxCapture);
                pos += n;
                fragmentRemaining = 0;
                endFragment(ts);
                continue;
            }
            int n = (int) Math.min(fragmentRemaining, end - pos);
            capture(data, pos, n);
            pos += n;
            fragmentRemaining -= n;
            if (fragmentRemaining == 0) {
                endFragment(ts);
            }
        }
        streamOffset += pos - off;
        return pos - off;
    }

    /**
     * The fast path of a large result set: whole row packets lying in {@code data} are counted from their
     * headers and first byte, with no copy and no per-packet call. Anything else (a packet cut by the buffer's
     * end, an empty or 16 MiB packet, a 0xFE or 0xFF first byte) is left to the packet-by-packet path, which
     * treats a row exactly the same way. With the capture's {@link RowHints} of this payload, the same run comes
     * from the hint without touching the rows.
     *
     * @return bytes consumed
     */
    private int skipRows(byte[] data, int pos, int end, long ts) {
        if (hintData == data && hintEnd == end) {
            long run = RowHints.run(hint, pos - hintBase, hintOrdinal);
            if (run != RowHints.UNKNOWN) {
                int rows = (int) (run >>> 32);
                if (rows > 0) {
                    hintOrdinal += rows;
                    hintedRows += rows;
                    sink.onRows(rows, (int) run, ts);
                }
                return (int) run;
            }
        }
        int start = pos;
        int rows = 0;
        while (pos + 4 < end) {
            int len = (int) INT_LE.get(data, pos) & 0xFF_FFFF; // one load: the next row's offset waits on it
            int first = data[pos + 4] & 0xFF;
            if (len == 0
                    || len >= PacketTypes.MAX_PACKET_LENGTH
                    || first == PacketTypes.EOF_PACKET
                    || first == PacketTypes.ERR_PACKET
                    || len > end - pos - 4) {
                break;
            }
            pos += 4 + len;
            rows++;
        }
        if (rows > 0) {
            hintOrdinal += rows;
            sink.onRows(rows, pos - start, ts);
        }
        return pos - start;
    }

    /** The packet is one physical packet whose payload, none of it read yet, lies whole in the next {@code left} bytes. */
    private boolean wholeIn(int left) {
        return lastFragment && packet.wireBytes == 4 && fragmentRemaining <= left;
    }

    private void startPacket(long ts, long offset) {
        inPacket = true;
        packet.payload = buffer;
        packet.offset = 0;
        packet.tsFirst = ts;
        packet.length = 0;
        packet.captured = 0;
        packet.wireBytes = 0;
        packet.streamOffset = offset;
    }

    private int fragmentLength() {
        return int3(header, 0);
    }

    /** The 3-byte little-endian payload length of the packet header at {@code b[at]}. */
    private static int int3(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    private void startFragment() {
        int len = fragmentLength();
        int seq = header[3] & 0xFF;
        if (packet.wireBytes == 0) {
            packet.sequenceId = seq;
        }
        packet.lastSequenceId = seq;
        packet.wireBytes += 4;
        fragmentRemaining = len;
        lastFragment = len < PacketTypes.MAX_PACKET_LENGTH;
    }

    private void capture(byte[] data, int pos, int n) {
        packet.length += n;
        packet.wireBytes += n;
        int room = maxCapture - packet.captured;
        int keep = Math.min(room, n);
        if (keep > 0) {
            ensureCapacity(packet.captured + keep);
            System.arraycopy(data, pos, packet.payload, packet.captured, keep);
            packet.captured += keep;
        }
    }

    private void ensureCapacity(int needed) {
        if (needed > buffer.length) {
            int size = Math.min(maxCapture, Math.max(needed, buffer.length * 2));
            byte[] bigger = new byte[size];
            System.arraycopy(buffer, 0, bigger, 0, packet.captured);
            buffer = bigger;
            packet.payload = bigger;
        }
    }

    private void endFragment(long ts) {
        headerFill = 0;
        if (!lastFragment) {
            return;
        }
        inPacket = false;
        packet.tsLast = ts;
        sink.onPacket(packet);
        packet.payload = buffer; // the fed bytes are the caller's again
        packet.offset = 0;
        if (buffer.length > RETAINED_BUFFER) {
            buffer = new byte[INITIAL_BUFFER];
            packet.payload = buffer;
        }
    }
}
