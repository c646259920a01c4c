package io.mysqlprobe.capture;

/**
 * Walks one block of a {@code TPACKET_V3} receive ring that the kernel handed to user space, as laid out in the
 * kernel's {@code include/uapi/linux/if_packet.h}: a {@code struct tpacket_block_desc} (its {@code tpacket_hdr_v1}
 * holds {@code block_status}, {@code num_pkts}, {@code offset_to_first_pkt}), then packets, each a {@code struct
 * tpacket3_hdr} followed by a {@code struct sockaddr_ll} and, at {@code tp_mac}, the captured frame. Each frame is
 * copied once, into {@code into}'s chunk, and handed to {@code out}. A pure function of the block's bytes (read
 * with {@link RawMemory} at an address: the ring, or in tests any native memory laid out the same way).
 *
 * <p>Every offset and length is checked against the block before it is used: a record reaching past the block's
 * end (a cut record, a corrupt ring) ends the walk with {@link Cut}, which says how many packets were delivered
 * before and how many of the block's are lost.
 */
final class RingBlock {

    // struct tpacket_block_desc { __u32 version; __u32 offset_to_priv; struct tpacket_hdr_v1 hdr; }
    static final int BLOCK_STATUS = 8;
    static final int NUM_PKTS = 12;
    static final int OFFSET_TO_FIRST_PKT = 16;
    /** sizeof(struct tpacket_block_desc): no packet starts before this. */
    static final int BLOCK_HEADER = 48;
    // struct tpacket3_hdr
    static final int NEXT_OFFSET = 0;
    static final int SEC = 4;
    static final int NSEC = 8;
    static final int SNAPLEN = 12;
    static final int LEN = 16;
    static final int MAC = 24;
    /** TPACKET_ALIGN(sizeof(struct tpacket3_hdr)): the packet's {@code struct sockaddr_ll} starts here. */
    static final int SOCKADDR_LL = 48;
    /** {@code sockaddr_ll.sll_ifindex}: the device the packet passed. */
    static final int SLL_IFINDEX = SOCKADDR_LL + 4;
    /** {@code sockaddr_ll.sll_pkttype}: PACKET_HOST, ..., PACKET_OUTGOING. */
    static final int SLL_PKTTYPE = SOCKADDR_LL + 10;
    /** TPACKET3_HDRLEN: no frame starts before this. */
    static final int HEADERS = SOCKADDR_LL + 20;

    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int PACKET_OUTGOING = 4;

    private RingBlock() {}

    /** The walk of a block stopped at a record that does not fit it. */
    static final class Cut extends RuntimeException {
        final int delivered;
        final int lost;

        Cut(String what, int delivered, int lost) {
            super(what, null, false, false);
            this.delivered = delivered;
            this.lost = lost;
        }
    }

    /** True when the kernel handed the block at {@code block} over (the read that orders every later one). */
    static boolean ready(RawMemory raw, long block) {
        return (raw.getIntVolatile(block + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    /** Hands the block back to the kernel, after every read of it. */
    static void release(RawMemory raw, long block) {
        raw.putIntVolatile(block + BLOCK_STATUS, TP_STATUS_KERNEL);
    }

    /**
     * Copies the packets of the {@code blockSize}-byte block at {@code block} into {@code into}, handing each to
     * {@code out}. Packets the host sent on the device with index {@code loopbackIfindex} ({@code lo}, where each
     * packet passes twice: as sent and as received; 0 for none) are skipped, as libpcap does; they are no loss. The
     * kernel was asked to leave them out already; this catches those it still delivers.
     *
     * @return the packets delivered
     * @throws Cut when a record does not fit the block; the packets before it were delivered
     */
    static int walk(
            RawMemory raw, long block, int blockSize, int loopbackIfindex, ChunkWriter into, BatchReader.Records out) {
        int packets = raw.getInt(block + NUM_PKTS);
        long off = raw.getInt(block + OFFSET_TO_FIRST_PKT) & 0xFFFFFFFFL;
        int delivered = 0;
        for (int i = 0; i < packets; i++) {
            if (off < BLOCK_HEADER || off + HEADERS > blockSize) {
                throw new Cut(
                        "packet " + i + " of " + packets + " at offset " + off + " is outside the " + blockSize
                                + "-byte block",
                        delivered,
                        packets - i);
            }
            long hdr = block + off;
            int mac = raw.getUnsignedShort(hdr + MAC);
            long caplen = raw.getInt(hdr + SNAPLEN) & 0xFFFFFFFFL;
            if (mac < HEADERS || off + mac + caplen > blockSize || caplen > into.capacity()) {
                throw new Cut(
                        "packet " + i + " of " + packets + " at offset " + off + " (frame at +" + mac + ", " + caplen
                                + " bytes) is cut by the end of the " + blockSize + "-byte block",
                        delivered,
                        packets - i);
            }
            if (raw.getUnsignedByte(hdr + SLL_PKTTYPE) != PACKET_OUTGOING
                    || raw.getInt(hdr + SLL_IFINDEX) != loopbackIfindex) {
                int len = (int) caplen;
                into.reserve(len);
                byte[] bytes = into.bytes();
                int at = into.position();
                raw.copy(hdr + mac, bytes, at, len);
                into.advance(len);
                long sec = raw.getInt(hdr + SEC) & 0xFFFFFFFFL;
                long nsec = raw.getInt(hdr + NSEC) & 0xFFFFFFFFL;
                out.record(sec * 1_000_000L + nsec / 1000, bytes, at, len, raw.getInt(hdr + LEN));
                delivered++;
            }
            long next = raw.getInt(hdr + NEXT_OFFSET) & 0xFFFFFFFFL;
            if (next == 0 && i + 1 < packets) {
                throw new Cut("packet " + i + " of " + packets + " has no next offset", delivered, packets - i - 1);
            }
            off += next;
        }
        return delivered;
    }
}
