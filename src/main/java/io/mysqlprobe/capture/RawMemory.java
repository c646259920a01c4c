package io.mysqlprobe.capture;

import java.lang.reflect.Field;
import java.util.logging.Logger;

/**
 * Reads of native memory that libpcap owns (a packet header, a packet) by address, through
 * {@code sun.misc.Unsafe}: the JIT turns these into plain loads and a memcpy, where JNA's {@code Pointer}
 * getters cost a JNI call each (several per packet). Used only between one {@code pcap_next_ex} and the next,
 * while libpcap guarantees the memory, and on the blocks of a {@link RingReader}'s ring while the kernel has
 * handed them to user space. {@link #INSTANCE} is null where Unsafe is unavailable; callers then
 * read through JNA.
 */
final class RawMemory {

    private static final Logger LOG = Logger.getLogger(RawMemory.class.getName());
    static final RawMemory INSTANCE = create();

    private final sun.misc.Unsafe unsafe;
    private final long byteArrayBase;

    private RawMemory(sun.misc.Unsafe unsafe) {
        this.unsafe = unsafe;
        this.byteArrayBase = unsafe.arrayBaseOffset(byte[].class);
    }

    private static RawMemory create() {
        try {
            Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            if (u.addressSize() != 8) {
                return null; // 32-bit JVMs: JNA's reads are right everywhere
            }
            return new RawMemory(u);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("sun.misc.Unsafe not available (" + e + "); packets are read through JNA");
            return null;
        }
    }

    /** The pointer stored at {@code slot}. */
    long address(long slot) {
        return unsafe.getAddress(slot);
    }

    long getLong(long address) {
        return unsafe.getLong(address);
    }

    int getInt(long address) {
        return unsafe.getInt(address);
    }

    int getUnsignedShort(long address) {
        return unsafe.getShort(address) & 0xFFFF;
    }

    int getUnsignedByte(long address) {
        return unsafe.getByte(address) & 0xFF;
    }

    /** A load that no later load moves before: reads a status word that another party hands memory over with. */
    int getIntVolatile(long address) {
        return unsafe.getIntVolatile(null, address);
    }

    /** A store that no earlier access moves after: hands memory back once done reading it. */
    void putIntVolatile(long address, int value) {
        unsafe.putIntVolatile(null, address, value);
    }

    /** {@code len} bytes from {@code address} into {@code into[at..]}. */
    void copy(long address, byte[] into, int at, int len) {
        if (at < 0 || len < 0 || at + len > into.length) {
            throw new IndexOutOfBoundsException("copy of " + len + " bytes at " + at + " into " + into.length);
        }
        unsafe.copyMemory(null, address, into, byteArrayBase + at, len);
    }
}
