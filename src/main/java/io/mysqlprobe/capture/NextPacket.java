package io.mysqlprobe.capture;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.PointerByReference;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.logging.Logger;
import org.pcap4j.core.PcapHandle;

/**
 * {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)} through the
 * direct-mapped JNA binding pcap4j already registers (NativeMappings.pcap_next_ex, package-private, reached
 * by reflection once). pcap4j 1.8.2 has no public per-packet API without a JNA callback; if its internals
 * change, {@link #AVAILABLE} is false and {@link LiveCapture} falls back to pcap4j's dispatch.
 * One instance per capture thread.
 */
final class NextPacket {

    private static final Logger LOG = Logger.getLogger(NextPacket.class.getName());
    private static final MethodHandle NEXT_EX;
    private static final Field HANDLE;
    static final boolean AVAILABLE;

    static {
        MethodHandle next = null;
        Field handle = null;
        try {
            Class<?> mappings = Class.forName("org.pcap4j.core.NativeMappings");
            Method m = mappings.getDeclaredMethod(
                    "pcap_next_ex", Pointer.class, PointerByReference.class, PointerByReference.class);
            m.setAccessible(true);
            next = MethodHandles.lookup().unreflect(m);
            handle = PcapHandle.class.getDeclaredField("handle");
            handle.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("pcap_next_ex not reachable (" + e + "); using pcap4j's dispatch");
            next = null;
        }
        NEXT_EX = next;
        HANDLE = handle;
        AVAILABLE = next != null;
    }

    // struct pcap_pkthdr { struct timeval ts; bpf_u_int32 caplen; bpf_u_int32 len; } with native longs
    private static final int TV_USEC = Native.LONG_SIZE;
    private static final int CAPLEN = 2 * Native.LONG_SIZE;
    private static final int LEN = CAPLEN + 4;

    private final Pointer pcap;
    private final PointerByReference header = new PointerByReference();
    private final PointerByReference data = new PointerByReference();
    private final RawMemory raw;
    /** The addresses of {@link #header} and {@link #data}'s slots, where pcap_next_ex writes its two pointers. */
    private final long headerSlot;

    private final long dataSlot;
    /** The pcap_t address, for {@link PcapDirect}; 0 to call through pcap4j's binding. */
    private final long direct;

    private long hdr;

    NextPacket(PcapHandle handle) throws IllegalAccessException {
        this(handle, RawMemory.INSTANCE);
    }

    /**
     * With {@code raw} null: pcap4j's binding of pcap_next_ex, and the header and data read through JNA (a JNI
     * call per field); otherwise {@link PcapDirect} and plain loads.
     */
    NextPacket(PcapHandle handle, RawMemory raw) throws IllegalAccessException {
        this.pcap = (Pointer) HANDLE.get(handle);
        this.raw = raw;
        this.headerSlot = Pointer.nativeValue(header.getPointer());
        this.dataSlot = Pointer.nativeValue(data.getPointer());
        this.direct = raw != null && PcapDirect.AVAILABLE ? Pointer.nativeValue(pcap) : 0;
    }

    /** The pcap_t address of {@code handle}, for {@link PcapBatch}. */
    static long pcapAddress(PcapHandle handle) throws IllegalAccessException {
        return Pointer.nativeValue((Pointer) HANDLE.get(handle));
    }

    /** 1: a packet; 0: the read timeout passed; -1: error; -2: no more packets. */
    int next() throws Throwable {
        int rc = direct != 0
                ? PcapDirect.pcap_next_ex(direct, headerSlot, dataSlot)
                : (int) NEXT_EX.invokeExact(pcap, header, data);
        if (rc == 1) {
            hdr = raw != null ? raw.address(headerSlot) : Pointer.nativeValue(header.getValue());
        }
        return rc;
    }

    long tsMicros() {
        return nativeLong(0) * 1_000_000L + nativeLong(TV_USEC);
    }

    int caplen() {
        return raw != null ? raw.getInt(hdr + CAPLEN) : new Pointer(hdr).getInt(CAPLEN);
    }

    int wireLength() {
        return raw != null ? raw.getInt(hdr + LEN) : new Pointer(hdr).getInt(LEN);
    }

    void copyData(byte[] into, int at, int len) {
        if (raw != null) {
            raw.copy(raw.address(dataSlot), into, at, len);
        } else {
            data.getValue().read(0, into, at, len);
        }
    }

    private long nativeLong(long off) {
        if (raw != null) {
            return Native.LONG_SIZE == 8 ? raw.getLong(hdr + off) : raw.getInt(hdr + off) & 0xFFFFFFFFL;
        }
        Pointer p = new Pointer(hdr);
        return Native.LONG_SIZE == 8 ? p.getLong(off) : p.getInt(off) & 0xFFFFFFFFL;
    }
}
