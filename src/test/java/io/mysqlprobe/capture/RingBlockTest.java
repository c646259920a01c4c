package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * {@link RingBlock} over a block laid out in native memory as the kernel's {@code include/uapi/linux/if_packet.h}
 * documents a TPACKET_V3 block (tpacket_block_desc, then tpacket3_hdr + sockaddr_ll + frame per packet): a packet
 * received on {@code lo}, the same packet as sent (PACKET_OUTGOING), one cut by the snaplen, and broken blocks; and
 * the raw IP packets of a cooked socket on {@code any}, where only what {@code lo} sent is skipped.
 */
class RingBlockTest {

    private static final int BLOCK = 4096;
    /** Where the kernel puts an Ethernet frame: TPACKET_ALIGN(68 + 16) − 14. */
    private static final int MAC = 82;
    /** Where it puts the IP packet of a cooked (SOCK_DGRAM) socket: TPACKET_ALIGN(68) + 16. */
    private static final int COOKED_MAC = 96;

    private static final int LO = 1;
    private static final int ETH0 = 2;

    private final RawMemory raw = RawMemory.INSTANCE;
    private final Memory block = new Memory(BLOCK);
    private final long base = Pointer.nativeValue(block);

    private record Seen(long tsMicros, byte[] frame, int wireLength) {}

    private final List<Seen> seen = new ArrayList<>();
    private final BatchReader.Records out = (ts, data, offset, caplen, wire) ->
            seen.add(new Seen(ts, Arrays.copyOfRange(data, offset, offset + caplen), wire));

    /** An Ethernet frame of {@code n} bytes: zero MACs, IPv4 ethertype, then a counting pattern from {@code seed}. */
    private static byte[] frame(int n, int seed) {
        byte[] f = new byte[n];
        f[12] = 0x08;
        for (int i = 14; i < n; i++) {
            f[i] = (byte) (seed + i);
        }
        return f;
    }

    /** An Ethernet frame from {@code lo}. */
    private int packet(int off, int sec, int nsec, byte[] frame, int wireLength, int pktType, boolean last) {
        return packet(off, sec, nsec, frame, wireLength, LO, pktType, MAC, last);
    }

    /** Writes a packet's tpacket3_hdr, sockaddr_ll and frame at {@code off}; returns the offset of the next one. */
    private int packet(
            int off, int sec, int nsec, byte[] frame, int wireLength, int ifindex, int pktType, int mac, boolean last) {
        int next = last ? 0 : align(mac + frame.length);
        block.setInt(off + RingBlock.NEXT_OFFSET, next);
        block.setInt(off + RingBlock.SEC, sec);
        block.setInt(off + RingBlock.NSEC, nsec);
        block.setInt(off + RingBlock.SNAPLEN, frame.length);
        block.setInt(off + RingBlock.LEN, wireLength);
        block.setShort(off + RingBlock.MAC, (short) mac);
        block.setShort(off + RingBlock.SOCKADDR_LL, (short) 17); // AF_PACKET
        block.setInt(off + RingBlock.SLL_IFINDEX, ifindex);
        block.setByte(off + RingBlock.SLL_PKTTYPE, (byte) pktType);
        block.write(off + mac, frame, 0, frame.length);
        return off + align(mac + frame.length);
    }

    private static int align(int n) {
        return (n + 15) & ~15;
    }

    private void header(int packets, int firstOffset) {
        block.setInt(RingBlock.BLOCK_STATUS, RingBlock.TP_STATUS_USER);
        block.setInt(RingBlock.NUM_PKTS, packets);
        block.setInt(RingBlock.OFFSET_TO_FIRST_PKT, firstOffset);
    }

    private ChunkWriter writer(int chunkBytes) {
        return new ChunkWriter(new ChunkPool(chunkBytes, 4, new LongAdder()), f -> {});
    }

    private final byte[] received = frame(120, 1);
    private final byte[] cut = frame(200, 7);

    /** Received on lo, the same as sent (outgoing), a third cut at 200 of 1514 bytes. */
    private void threePackets() {
        block.clear();
        header(3, RingBlock.BLOCK_HEADER);
        int off = packet(RingBlock.BLOCK_HEADER, 1_700_000_000, 123_456_789, received, 120, 0, false);
        off = packet(off, 1_700_000_000, 123_400_000, received, 120, RingBlock.PACKET_OUTGOING, false);
        packet(off, 1_700_000_001, 999, cut, 1514, 0, true);
    }

    @Test
    void copiesEachFrameWithItsTimeAndLengthsAndSkipsOutgoingOnLoopback() {
        threePackets();
        assertTrue(RingBlock.ready(raw, base));
        int n = RingBlock.walk(raw, base, BLOCK, LO, writer(1 << 16), out);
        assertEquals(2, n);
        assertEquals(2, seen.size());
        assertEquals(1_700_000_000_123_456L, seen.get(0).tsMicros());
        assertArrayEquals(received, seen.get(0).frame());
        assertEquals(120, seen.get(0).wireLength());
        assertEquals(1_700_000_001_000_000L, seen.get(1).tsMicros());
        assertArrayEquals(cut, seen.get(1).frame(), "caplen = tp_snaplen");
        assertEquals(1514, seen.get(1).wireLength(), "wire length = tp_len");
    }

    @Test
    void onOtherDevicesOutgoingPacketsAreKept() {
        threePackets();
        assertEquals(3, RingBlock.walk(raw, base, BLOCK, 0, writer(1 << 16), out));
        assertEquals(1_700_000_000_123_400L, seen.get(1).tsMicros());
    }

    @Test
    void onAnyOnlyWhatLoSentIsSkippedAndEveryOtherDevicesSentPacketsAreKept() {
        byte[] ip = Arrays.copyOfRange(received, 14, received.length); // a cooked socket's raw IP packet
        ip[0] = 0x45;
        block.clear();
        header(4, RingBlock.BLOCK_HEADER);
        int off = packet(RingBlock.BLOCK_HEADER, 1, 1_000, ip, ip.length, LO, 0, COOKED_MAC, false);
        off = packet(off, 1, 2_000, ip, ip.length, LO, RingBlock.PACKET_OUTGOING, COOKED_MAC, false);
        off = packet(off, 1, 3_000, ip, ip.length, ETH0, RingBlock.PACKET_OUTGOING, COOKED_MAC, false);
        packet(off, 1, 4_000, ip, ip.length, ETH0, 0, COOKED_MAC, true);
        assertEquals(3, RingBlock.walk(raw, base, BLOCK, LO, writer(1 << 16), out));
        assertEquals(
                List.of(1_000_001L, 1_000_003L, 1_000_004L),
                seen.stream().map(Seen::tsMicros).toList(),
                "lo's received copy, eth0's sent and received packets");
        for (Seen s : seen) {
            assertArrayEquals(ip, s.frame(), "the frame at tp_mac is the IP packet");
        }
    }

    @Test
    void framesLandInAsManyChunksAsTheyNeed() {
        threePackets();
        List<byte[]> chunks = new ArrayList<>();
        ChunkWriter small = new ChunkWriter(new ChunkPool(256, 4, new LongAdder()), new FrameSink() {
            @Override
            public void onFrame(Frame frame) {}

            @Override
            public void onChunk(Chunk chunk) {
                chunk.retain();
                chunks.add(chunk.bytes());
            }
        });
        assertEquals(3, RingBlock.walk(raw, base, BLOCK, 0, small, out));
        assertEquals(2, chunks.size(), "120 + 120 bytes fit a 256-byte chunk, the 200-byte frame takes the next");
        assertArrayEquals(cut, seen.get(2).frame());
    }

    @Test
    void aRecordCutByTheBlockEndStopsTheWalkAndSaysWhatWasLost() {
        threePackets();
        int third = RingBlock.BLOCK_HEADER + 2 * align(MAC + received.length);
        block.setInt(third + RingBlock.SNAPLEN, BLOCK); // reaches past the block
        RingBlock.Cut e =
                assertThrows(RingBlock.Cut.class, () -> RingBlock.walk(raw, base, BLOCK, LO, writer(1 << 16), out));
        assertEquals(1, e.delivered, "the packet before it was delivered (the outgoing one skipped)");
        assertEquals(1, e.lost);
        assertEquals(1, seen.size());
        assertTrue(e.getMessage().contains("cut by the end"), e.getMessage());
    }

    @Test
    void aMissingNextOffsetOrAFirstPacketOutsideTheBlockIsACut() {
        threePackets();
        block.setInt(RingBlock.BLOCK_HEADER + RingBlock.NEXT_OFFSET, 0);
        RingBlock.Cut e =
                assertThrows(RingBlock.Cut.class, () -> RingBlock.walk(raw, base, BLOCK, LO, writer(1 << 16), out));
        assertEquals(1, e.delivered);
        assertEquals(2, e.lost);

        threePackets();
        header(3, BLOCK - 8);
        e = assertThrows(RingBlock.Cut.class, () -> RingBlock.walk(raw, base, BLOCK, LO, writer(1 << 16), out));
        assertEquals(0, e.delivered);
        assertEquals(3, e.lost);
    }

    @Test
    void aBlockIsReadyWhileTheUserOwnsItAndReleasedToTheKernel() {
        threePackets();
        assertTrue(RingBlock.ready(raw, base));
        RingBlock.release(raw, base);
        assertFalse(RingBlock.ready(raw, base));
        assertEquals(RingBlock.TP_STATUS_KERNEL, block.getInt(RingBlock.BLOCK_STATUS));
    }

    @Test
    void blocksHoldAWholeRecordOfTheSnaplen() {
        assertEquals(512 << 10, RingReader.blockSize(262_144));
        assertEquals(128 << 10, RingReader.blockSize(65_535));
        assertEquals(4096, RingReader.blockSize(1500));
        assertTrue(RingReader.blockSize(65_535) >= RingBlock.BLOCK_HEADER + MAC + 65_535);
    }

    @Test
    void blocksGrowToTwoMebibytesWhileTheRingKeepsEightOfThem() {
        assertEquals(2 << 20, RingReader.blockSize(262_144, 32 << 20)); // the defaults: 16 blocks
        assertEquals(2 << 20, RingReader.blockSize(1500, 16 << 20));
        assertEquals(1 << 20, RingReader.blockSize(262_144, 8 << 20));
        assertEquals(512 << 10, RingReader.blockSize(262_144, 4 << 20)); // never below a whole record
        assertEquals(512 << 10, RingReader.blockSize(262_144, 1 << 20));
        assertEquals(4 << 20, RingReader.blockSize(3 << 20, 32 << 20)); // a record larger than 2 MiB still fits
    }
}
