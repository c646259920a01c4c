package io.mysqlprobe.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A cursor over one packet payload, fenced to its length. Readers are named for the MySQL
 * encodings (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html).
 * A read past the fence never throws: it returns 0 / an empty string and sets {@link #overrun()},
 * which the caller checks before acting on what it read (bad input is a value).
 */
final class PacketReader {

    private byte[] buf;
    private int pos;
    private int limit;
    private boolean overrun;

    PacketReader reset(byte[] buf, int off, int len) {
        this.buf = buf;
        this.pos = off;
        this.limit = off + len;
        this.overrun = false;
        return this;
    }

    boolean overrun() {
        return overrun;
    }

    int remaining() {
        return limit - pos;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    private boolean need(int n) {
        if (n < 0 || limit - pos < n) {
            overrun = true;
            pos = limit;
            return false;
        }
        return true;
    }

    void skip(long n) {
        if (need((int) Math.min(n, Integer.MAX_VALUE))) {
            pos += (int) n;
        }
    }

    int peekInt1() {
        return pos < limit ? buf[pos] & 0xFF : -1;
    }

    int readInt1() {
        return need(1) ? buf[pos++] & 0xFF : 0;
    }

    int readInt2() {
        if (!need(2)) {
            return 0;
        }
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    int readInt3() {
        if (!need(3)) {
            return 0;
        }
        int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16;
        pos += 3;
        return v;
    }

    long readInt4() {
        if (!need(4)) {
            return 0;
        }
        long v = (buf[pos] & 0xFFL)
                | (buf[pos + 1] & 0xFFL) << 8
                | (buf[pos + 2] & 0xFFL) << 16
                | (buf[pos + 3] & 0xFFL) << 24;
        pos += 4;
        return v;
    }

    long readInt8() {
        long lo = readInt4();
        long hi = readInt4();
        return lo | hi << 32;
    }

    /** Protocol::LengthEncodedInteger; 0xFB (NULL in a row) and 0xFF are not integers: overrun. */
    long readLengthEncodedInteger() {
        int first = readInt1();
        if (first < 0xFB) {
            return first;
        }
        return switch (first) {
            case 0xFC -> readInt2();
            case 0xFD -> readInt3();
            case 0xFE -> readInt8();
            default -> {
                overrun = true;
                yield 0;
            }
        };
    }

    /** Protocol::FixedLengthString. */
    String readFixedString(int len) {
        if (!need(len)) {
            return "";
        }
        String s = new String(buf, pos, len, StandardCharsets.UTF_8);
        pos += len;
        return s;
    }

    /** Protocol::NullTerminatedString; a missing NUL is an overrun. */
    String readNullTerminatedString() {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == 0) {
                String s = new String(buf, pos, i - pos, StandardCharsets.UTF_8);
                pos = i + 1;
                return s;
            }
        }
        overrun = true;
        pos = limit;
        return "";
    }

    /** A NUL-terminated string whose NUL some servers omit at the end of the packet (auth_plugin_name). */
    String readNullTerminatedOrRestString() {
        for (int i = pos; i < limit; i++) {
            if (buf[i] == 0) {
                return readNullTerminatedString();
            }
        }
        return readRestOfPacketString();
    }

    /** Protocol::LengthEncodedString. */
    String readLengthEncodedString() {
        long len = readLengthEncodedInteger();
        if (overrun || len > Integer.MAX_VALUE) {
            overrun = true;
            return "";
        }
        return readFixedString((int) len);
    }

    void skipLengthEncodedString() {
        long len = readLengthEncodedInteger();
        skip(len);
    }

    /** Protocol::RestOfPacketString. */
    String readRestOfPacketString() {
        String s = new String(buf, pos, limit - pos, StandardCharsets.UTF_8);
        pos = limit;
        return s;
    }
}
