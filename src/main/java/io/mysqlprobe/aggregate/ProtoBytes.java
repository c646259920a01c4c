package io.mysqlprobe.aggregate;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A growable byte array for writing protobuf fields ({@link SketchProto}): varints and little-endian fixed64
 * doubles (https://protobuf.dev/programming-guides/encoding/). Unlike {@code ByteArrayOutputStream}, whose every
 * {@code write} takes a lock, it is for one thread: a window's sketches are encoded on the worker that owns them,
 * a byte or eight per call, once a window for every template.
 */
final class ProtoBytes {

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] b;
    private int size;

    ProtoBytes(int capacity) {
        b = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(b, size);
    }

    void writeBytes(byte[] bytes) {
        room(bytes.length);
        System.arraycopy(bytes, 0, b, size, bytes.length);
        size += bytes.length;
    }

    /** Base 128, least significant group first, the high bit set on every byte but the last. */
    void writeVarint(long v) {
        room(10);
        while ((v & ~0x7FL) != 0) {
            b[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[size++] = (byte) v;
    }

    /** fixed64: the double's IEEE 754 bits, little-endian. */
    void writeDouble(double d) {
        room(8);
        LONG_LE.set(b, size, Double.doubleToRawLongBits(d));
        size += 8;
    }

    private void room(int n) {
        if (size + n > b.length) {
            b = Arrays.copyOf(b, Math.max(size + n, 2 * b.length));
        }
    }
}
