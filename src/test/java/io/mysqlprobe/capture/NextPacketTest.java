package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

class NextPacketTest {

    private static final Path CAPTURE = Path.of("src/test/resources/captures/basic.pcap");

    private record Packet(long tsMicros, int wireLength, byte[] bytes) {}

    @Test
    void theFastPathIsReachableWithThePinnedPcap4j() {
        // if a pcap4j upgrade moves these internals, live capture silently falls back to the 3x costlier
        // callback path: fail here instead, so the upgrade is a decision
        assertTrue(NextPacket.AVAILABLE, "pcap_next_ex via pcap4j's NativeMappings is not reachable");
        assertNotNull(RawMemory.INSTANCE, "Unsafe reads of libpcap's buffers are not available on this JVM");
        assertTrue(PcapDirect.AVAILABLE, "pcap_next_ex could not be bound with long arguments");
    }

    /** libpcap reading a real capture through pcap_next_ex, the headers and bytes read both ways. */
    private static List<Packet> read(RawMemory raw) throws Throwable {
        List<Packet> out = new ArrayList<>();
        try (PcapHandle h = Pcaps.openOffline(CAPTURE.toString())) {
            NextPacket next = new NextPacket(h, raw);
            byte[] chunk = new byte[1 << 16];
            while (next.next() == 1) {
                int len = next.caplen();
                next.copyData(chunk, 7, len);
                out.add(new Packet(next.tsMicros(), next.wireLength(), Arrays.copyOfRange(chunk, 7, 7 + len)));
            }
        }
        return out;
    }

    @Test
    void theDirectPathGivesWhatPcap4jsBindingAndTheFileReaderGive() throws Throwable {
        List<Packet> fast = read(RawMemory.INSTANCE);
        List<Packet> jna = read(null);
        List<Packet> file = new ArrayList<>();
        try (PcapFileReader r = PcapFileReader.open(CAPTURE)) {
            r.readAll(
                    f -> file.add(new Packet(
                            f.tsMicros(), f.wireLength(), Arrays.copyOfRange(f.data(), f.offset(), f.end()))),
                    new CaptureCounters());
        }
        assertTrue(fast.size() > 10, "packets: " + fast.size());
        assertEquals(file.size(), fast.size());
        assertEquals(jna.size(), fast.size());
        for (int i = 0; i < fast.size(); i++) {
            for (Packet other : List.of(jna.get(i), file.get(i))) {
                assertEquals(other.tsMicros(), fast.get(i).tsMicros(), "packet " + i);
                assertEquals(other.wireLength(), fast.get(i).wireLength(), "packet " + i);
                assertArrayEquals(other.bytes(), fast.get(i).bytes(), "packet " + i);
            }
        }
    }

    @Test
    void aCopyPastTheArrayIsRefusedNotWrittenOverTheHeap() {
        byte[] small = new byte[8];
        assertThrows(IndexOutOfBoundsException.class, () -> RawMemory.INSTANCE.copy(0, small, 4, 8));
        assertThrows(IndexOutOfBoundsException.class, () -> RawMemory.INSTANCE.copy(0, small, -1, 2));
    }
}
