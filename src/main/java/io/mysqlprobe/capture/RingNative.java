package io.mysqlprobe.capture;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import java.nio.ByteOrder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The libc calls of {@link RingReader} (a packet socket and its mmap'd ring) and the libpcap calls that compile its
 * BPF filter without a live handle, bound by JNA direct mapping with primitive arguments (addresses as {@code long}).
 * {@link #UNAVAILABLE} says why they cannot be used here (null when they can): 64-bit little-endian Linux only, as
 * the ring's structures are read with {@link RawMemory} in host order.
 */
final class RingNative {

    private static final Logger LOG = Logger.getLogger(RingNative.class.getName());

    // <sys/socket.h>, <linux/if_ether.h>, <linux/if_packet.h>, <sys/mman.h>, <poll.h>
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int ETH_P_ALL = 0x0003;
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;
    static final int SOL_PACKET = 263;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V3 = 2;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final short POLLIN = 1;
    /** {@code PCAP_NETMASK_UNKNOWN}: the filter has no broadcast tests. */
    static final int NETMASK_UNKNOWN = 0xFFFFFFFF;

    /** Why the ring cannot be used on this host, or null. */
    static final String UNAVAILABLE = register();

    private RingNative() {}

    private static String register() {
        if (Native.POINTER_SIZE != 8 || RawMemory.INSTANCE == null) {
            return "needs a 64-bit JVM with sun.misc.Unsafe";
        }
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            return "needs a little-endian host";
        }
        if (!System.getProperty("os.name", "")
                .toLowerCase(java.util.Locale.ROOT)
                .contains("linux")) {
            return "needs Linux";
        }
        try {
            Native.register(LibC.class, NativeLibrary.getInstance("c"));
            Native.register(Pcap.class, PcapDirect.pcapLibrary());
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(Level.INFO, "ring reader: native calls not bound (" + e + ")", e);
            return "native calls not bound: " + e;
        }
    }

    /** The last error of this thread's last native call, as text. */
    static String lastError() {
        int errno = Native.getLastError();
        return LibC.strerror(errno) + " (errno " + errno + ")";
    }

    static final class LibC {
        private LibC() {}

        static native int socket(int domain, int type, int protocol);

        static native int bind(int fd, long addr, int len);

        static native int setsockopt(int fd, int level, int name, long value, int len);

        static native int getsockopt(int fd, int level, int name, long value, long lenSlot);

        static native long mmap(long addr, long length, int prot, int flags, int fd, long offset);

        static native int munmap(long addr, long length);

        static native int poll(long fds, long nfds, int timeoutMillis);

        static native int close(int fd);

        static native int if_nametoindex(String name);

        static native String strerror(int errno);
    }

    static final class Pcap {
        private Pcap() {}

        static native long pcap_open_dead(int linktype, int snaplen);

        static native int pcap_compile(long pcap, long program, String filter, int optimize, int netmask);

        static native void pcap_freecode(long program);

        static native String pcap_geterr(long pcap);

        static native void pcap_close(long pcap);
    }
}
