package io.mysqlprobe.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads classic libpcap files (both byte orders, micro- and nanosecond timestamps) without JNA: the
 * offline path must be fast (see bench/). pcapng files are read through libpcap by {@link OfflineCapture}.
 * Format: https://www.tcpdump.org/manpages/pcap-savefile.5.html
 */
public final class PcapFileReader implements AutoCloseable {

    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    static final int MAGIC_PCAPNG = 0x0A0D0D0A;
    private static final int MAX_RECORD = 16 * 1024 * 1024;
    private static final int CHUNK = 4 * 1024 * 1024;

    private final InputStream in;
    private final boolean swapped;
    private final boolean nanos;
    private final int linkType;

    private PcapFileReader(InputStream in, boolean swapped, boolean nanos, int linkType) {
        this.in = in;
        this.swapped = swapped;
        this.nanos = nanos;
        this.linkType = linkType;
    }

    /** Thrown when a file is not a capture we can read; the message is one line for the user. */
    public static final class NotACaptureException extends IOException {
        public NotACaptureException(String message) {
            super(message);
        }
    }

    /** Returns 0 for classic pcap, 1 for pcapng, -1 for anything else (or a file shorter than a header). */
    public static int sniff(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            byte[] m = s.readNBytes(4);
            if (m.length < 4) {
                return -1;
            }
            int be = (m[0] & 0xFF) << 24 | (m[1] & 0xFF) << 16 | (m[2] & 0xFF) << 8 | (m[3] & 0xFF);
            int le = Integer.reverseBytes(be);
            if (be == MAGIC_PCAPNG) {
                return 1;
            }
            return be == MAGIC_MICROS || le == MAGIC_MICROS || be == MAGIC_NANOS || le == MAGIC_NANOS ? 0 : -1;
        }
    }

    public static PcapFileReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        byte[] h = in.readNBytes(24);
        if (h.length < 24) {
            in.close();
            throw new NotACaptureException(file + ": not a pcap file (too short for a pcap header)");
        }
        int be = (h[0] & 0xFF) << 24 | (h[1] & 0xFF) << 16 | (h[2] & 0xFF) << 8 | (h[3] & 0xFF);
        boolean swapped;
        boolean nanos;
        if (be == MAGIC_MICROS || be == MAGIC_NANOS) {
            swapped = false;
            nanos = be == MAGIC_NANOS;
        } else if (Integer.reverseBytes(be) == MAGIC_MICROS || Integer.reverseBytes(be) == MAGIC_NANOS) {
            swapped = true;
            nanos = Integer.reverseBytes(be) == MAGIC_NANOS;
        } else {
            in.close();
            throw new NotACaptureException(file + ": not a pcap file (bad magic number)");
        }
        PcapFileReader r = new PcapFileReader(in, swapped, nanos, 0);
        int dlt = r.int32(h, 20) & 0x0FFFFFFF; // upper bits may carry FCS info
        return new PcapFileReader(in, swapped, nanos, dlt);
    }

    public int linkType() {
        return linkType;
    }

    /**
     * Reads every record into {@code sink}. Records are sliced out of large read buffers without copying: a
     * buffer is never reused, so a frame stays valid for as long as its receiver holds it. A record cut short
     * by the end of the file is counted in {@code counters.truncatedRecords}; the frames before it are delivered.
     */
    public void readAll(FrameSink sink, CaptureCounters counters) throws IOException {
        byte[] buf = new byte[CHUNK];
        int pos = 0;
        int limit = 0;
        long nextWindowUs = Long.MIN_VALUE;
        while (true) {
            if (limit - pos < 16) {
                buf = refill(buf, pos, limit, 16);
                limit -= pos;
                pos = 0;
                limit += fill(buf, limit);
                if (limit == 0) {
                    return;
                }
                if (limit < 16) {
                    counters.truncatedRecords.increment();
                    return;
                }
            }
            long sec = int32(buf, pos) & 0xFFFFFFFFL;
            long frac = int32(buf, pos + 4) & 0xFFFFFFFFL;
            int incl = int32(buf, pos + 8);
            int orig = int32(buf, pos + 12);
            if (incl < 0 || incl > MAX_RECORD) {
                throw new NotACaptureException("corrupt pcap record: captured length " + (incl & 0xFFFFFFFFL));
            }
            if (limit - pos < 16 + incl) {
                buf = refill(buf, pos, limit, 16 + incl);
                limit -= pos;
                pos = 0;
                limit += fill(buf, limit);
                if (limit < 16 + incl) {
                    counters.truncatedRecords.increment();
                    return;
                }
            }
            int frame = pos + 16;
            int end = frame + incl;
            pos = end;
            long ts = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
            if (ts >= nextWindowUs) {
                nextWindowUs = sink.onPacketTime(ts);
            }
            counters.packets.increment();
            counters.bytes.add(orig);
            int net = LinkLayer.networkOffset(linkType, buf, frame, end);
            if (net == LinkLayer.NOT_IP) {
                counters.nonIp.increment();
                continue;
            }
            sink.onFrame(new Frame(ts, buf, frame, net, end, orig));
        }
    }

    /** A fresh buffer (frames may still point into the old one) holding the unread tail {@code [pos, limit)}. */
    private static byte[] refill(byte[] old, int pos, int limit, int need) {
        byte[] next = new byte[Math.max(CHUNK, need)];
        System.arraycopy(old, pos, next, 0, limit - pos);
        return next;
    }

    /** Reads until {@code buf} is full or the file ends; returns the bytes read. */
    private int fill(byte[] buf, int from) throws IOException {
        int n = in.readNBytes(buf, from, buf.length - from);
        return Math.max(0, n);
    }

    private int int32(byte[] b, int off) {
        int v = (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
        return swapped ? Integer.reverseBytes(v) : v;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
