package io.mysqlprobe.protocol;

import io.mysqlprobe.protocol.MysqlConnectionDecoder.State;
import io.mysqlprobe.tcp.Direction;

/**
 * One direction's byte path: optional compressed-frame reader (zlib) → packet framer → the decoder's dispatch.
 * Bytes arriving while the direction discards (TLS, unsynced, undecodable, closed) are counted and dropped.
 */
final class PacketInput implements PacketFramer.PacketSink, CompressedFrameReader.Downstream {
    final Direction dir;
    final PacketFramer framer;
    private final MysqlConnectionDecoder decoder;
    private final ConnectionStates states;
    private final SyncControl sync;
    private final InFlightCommands inFlight;
    private final ProtocolStats stats;
    private CompressedFrameReader inflater;

    PacketInput(
            Direction dir,
            int maxCapture,
            MysqlConnectionDecoder decoder,
            ConnectionStates states,
            SyncControl sync,
            InFlightCommands inFlight,
            ProtocolStats stats) {
        this.dir = dir;
        this.framer = new PacketFramer(maxCapture, this);
        this.decoder = decoder;
        this.states = states;
        this.sync = sync;
        this.inFlight = inFlight;
        this.stats = stats;
    }

    private State state() {
        return dir == Direction.CLIENT_TO_SERVER ? states.client : states.server;
    }

    void feed(byte[] data, int off, int len, long ts) {
        feed(data, off, len, ts, RowHints.NONE);
    }

    /** @param hint the capture's {@link RowHints} of exactly {@code data[off, off + len)}, or none */
    void feed(byte[] data, int off, int len, long ts, long hint) {
        if (inflater == null) {
            framer.hint(hint, data, off, len); // compressed: the hint walked frames, not packets
        }
        try {
            feedFramed(data, off, len, ts);
        } finally {
            framer.dropHint(); // the array is a capture chunk, reused for other bytes
        }
    }

    private void feedFramed(byte[] data, int off, int len, long ts) {
        while (len > 0) {
            State s = state();
            if (MysqlConnectionDecoder.DISCARDING.contains(s)) {
                if (s != State.TLS) {
                    stats.discardedBytes.add(len);
                }
                PendingCommand cut = sync.cutResponse();
                if (cut != null && dir == Direction.SERVER_TO_CLIENT) {
                    cut.lastResponseTs = ts; // the rest of the cut response: its end is the statement's end
                    cut.bytesOut += len;
                }
                return;
            }
            if (inflater != null) {
                try {
                    inflater.feed(data, off, len, ts);
                } catch (CompressedFrameReader.BadFrameException e) {
                    sync.lostSync(dir, -1, DecodeError.Kind.BAD_COMPRESSED_FRAME, e.getMessage());
                }
                return;
            }
            int n = framer.feed(data, off, len, ts);
            off += n;
            len -= n;
        }
    }

    @Override
    public void accept(byte[] data, int off, int len, long ts) {
        while (len > 0 && !MysqlConnectionDecoder.DISCARDING.contains(state())) {
            int n = framer.feed(data, off, len, ts);
            off += n;
            len -= n;
        }
    }

    void startCompression() {
        framer.pause();
        stopCompression();
        inflater = new CompressedFrameReader(this);
    }

    /** Drops the frame reader (after a desync: the next frame starts fresh); it may be inflating right now. */
    void stopCompression() {
        inflater = null; // not ended here: its Inflater is freed by its cleaner
    }

    void close() {
        if (inflater != null) {
            inflater.close();
        }
    }

    @Override
    public void onPacket(Packet p) {
        if (dir == Direction.CLIENT_TO_SERVER) {
            decoder.onClientPacket(p);
        } else {
            decoder.onServerPacket(p);
        }
    }

    @Override
    public boolean rowsFollow() {
        return dir == Direction.SERVER_TO_CLIENT && states.server == State.READ_ROWS && inflater == null;
    }

    @Override
    public void onRows(int count, long wireBytes, long ts) {
        inFlight.rows(count, wireBytes, ts);
    }

    @Override
    public boolean acceptHeader(int length, int sequenceId) {
        return sync.acceptHeader(dir, length, sequenceId);
    }
}
