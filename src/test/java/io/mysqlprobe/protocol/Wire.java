package io.mysqlprobe.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes MySQL wire encodings for tests: build a payload field by field (named as in the protocol
 * docs), then {@link #packet(int)} frames it with the 3-byte length and the sequence id.
 */
final class Wire {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Wire payload() {
        return new Wire();
    }

    Wire int1(int v) {
        out.write(v & 0xFF);
        return this;
    }

    Wire int2(int v) {
        return int1(v).int1(v >>> 8);
    }

    Wire int3(int v) {
        return int2(v).int1(v >>> 16);
    }

    Wire int4(long v) {
        return int2((int) v).int2((int) (v >>> 16));
    }

    Wire int8(long v) {
        return int4(v).int4(v >>> 32);
    }

    /** Protocol::LengthEncodedInteger. */
    Wire lenenc(long v) {
        if (v < 0xFB) {
            return int1((int) v);
        } else if (v < 0x10000) {
            return int1(0xFC).int2((int) v);
        } else if (v < 0x1000000) {
            return int1(0xFD).int3((int) v);
        }
        return int1(0xFE).int8(v);
    }

    /** Protocol::FixedLengthString / raw bytes. */
    Wire str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        return this;
    }

    Wire bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    Wire zeros(int n) {
        return bytes(new byte[n]);
    }

    /** Protocol::NullTerminatedString. */
    Wire nul(String s) {
        return str(s).int1(0);
    }

    /** Protocol::LengthEncodedString. */
    Wire lenencStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return lenenc(b.length).bytes(b);
    }

    byte[] raw() {
        return out.toByteArray();
    }

    /** Frames the payload as one MySQL packet (split into 0xFFFFFF continuation packets when needed). */
    byte[] packet(int seq) {
        return frame(raw(), seq);
    }

    static byte[] frame(byte[] payload, int seq) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int n = Math.min(0xFFFFFF, payload.length - pos);
            o.write(n & 0xFF);
            o.write(n >>> 8 & 0xFF);
            o.write(n >>> 16 & 0xFF);
            o.write(seq++ & 0xFF);
            o.write(payload, pos, n);
            pos += n;
            if (n < 0xFFFFFF) {
                return o.toByteArray();
            }
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.write(p, 0, p.length);
        }
        return o.toByteArray();
    }
}
