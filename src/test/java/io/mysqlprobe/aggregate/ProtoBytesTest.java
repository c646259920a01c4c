package io.mysqlprobe.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Varints and fixed64 doubles as the protobuf encoding guide spells them out, across the buffer's growth. */
class ProtoBytesTest {

    private static byte[] varint(long v) {
        ProtoBytes b = new ProtoBytes(0);
        b.writeVarint(v);
        return b.toByteArray();
    }

    private static byte[] bytes(int... v) {
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (byte) v[i];
        }
        return out;
    }

    @Test
    void varintsAreSevenBitGroupsLeastSignificantFirst() {
        assertArrayEquals(bytes(0), varint(0));
        assertArrayEquals(bytes(0x7F), varint(127));
        assertArrayEquals(bytes(0x80, 0x01), varint(128));
        assertArrayEquals(bytes(0xAC, 0x02), varint(300)); // the guide's example
        assertArrayEquals(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01), varint(-1));
    }

    @Test
    void doublesAreTheirBitsLittleEndian() {
        ProtoBytes b = new ProtoBytes(0);
        b.writeDouble(1.0); // 0x3FF0000000000000
        assertArrayEquals(bytes(0, 0, 0, 0, 0, 0, 0xF0, 0x3F), b.toByteArray());
    }

    @Test
    void theBufferGrowsAndKeepsEveryByteInOrder() {
        ProtoBytes b = new ProtoBytes(16);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < 1000; i++) {
            b.writeVarint(i * 131L);
            b.writeDouble(i / 7.0);
            b.writeBytes(new byte[] {(byte) i, 42});
            long v = i * 131L;
            while ((v & ~0x7FL) != 0) {
                expected.write((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            expected.write((int) v);
            long d = Double.doubleToRawLongBits(i / 7.0);
            for (int k = 0; k < 8; k++) {
                expected.write((int) (d >>> (8 * k)));
            }
            expected.write(i);
            expected.write(42);
        }
        assertEquals(expected.size(), b.size());
        assertArrayEquals(expected.toByteArray(), b.toByteArray());
    }
}
