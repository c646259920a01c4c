package io.mysqlprobe.capture;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code pcap_next_ex} bound by JNA direct mapping with every argument a primitive {@code long} (the pcap_t
 * pointer and the addresses of the two out-pointer slots): JNA then passes the arguments as they are, where
 * pcap4j's own binding takes {@code PointerByReference} objects that JNA converts on every call (with this
 * binding and {@link RawMemory} the capture thread went from 1.40 to 1.05–1.28 µs a statement under
 * oltp_point_select). The library is the one pcap4j loaded (same name and options, less pcap4j's
 * function-name mapper). 64-bit only, as
 * {@link RawMemory}; {@link #AVAILABLE} is false when it cannot bind, and {@link NextPacket} keeps pcap4j's.
 */
final class PcapDirect {

    private static final Logger LOG = Logger.getLogger(PcapDirect.class.getName());
    static final boolean AVAILABLE = register();

    private PcapDirect() {}

    static native int pcap_next_ex(long pcap, long headerSlot, long dataSlot);

    /**
     * The libpcap pcap4j loaded, with pcap4j's load options less its function-name mapper (which maps only
     * pcap4j's own method names): for direct mappings of our own.
     */
    static NativeLibrary pcapLibrary() throws ReflectiveOperationException {
        Class<?> mappings = Class.forName("org.pcap4j.core.NativeMappings");
        Field name = mappings.getDeclaredField("PCAP_LIB_NAME");
        Field options = mappings.getDeclaredField("NATIVE_LOAD_LIBRARY_OPTIONS");
        name.setAccessible(true);
        options.setAccessible(true);
        @SuppressWarnings("unchecked")
        // a map: JNA's NativeLibrary.getInstance takes its load options as one
        Map<String, Object> opts = new HashMap<>((Map<String, ?>) options.get(null));
        opts.remove(Library.OPTION_FUNCTION_MAPPER);
        return NativeLibrary.getInstance((String) name.get(null), opts);
    }

    private static boolean register() {
        if (Native.POINTER_SIZE != 8 || RawMemory.INSTANCE == null) {
            return false;
        }
        try {
            Native.register(PcapDirect.class, pcapLibrary());
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(
                    java.util.logging.Level.INFO,
                    "pcap_next_ex not bound directly (" + e + "); using pcap4j's binding",
                    e);
            return false;
        }
    }
}
