package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/** libpcap's pcap_dispatch + pcap_dump into memory, read back, against our own file reader on a real capture. */
class PcapBatchTest {

    private static final Path CAPTURE = Path.of("src/test/resources/captures/basic.pcap");

    private record Packet(long tsMicros, int wireLength, byte[] bytes) {}

    @Test
    void availableWithThePinnedPcap4jAndThisLibc() {
        assertTrue(PcapBatch.AVAILABLE, "pcap_dispatch/pcap_dump/fmemopen could not be bound");
    }

    /**
     * Buffers from one record's worth (batches of one) to roomy; small chunks force new chunks, and batches larger
     * than a chunk (256 packets) are copied record by record.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 256})
    void batchesGiveExactlyWhatTheFileReaderGives(int packetsPerBatch) throws Exception {
        List<Packet> file = new ArrayList<>();
        try (PcapFileReader r = PcapFileReader.open(CAPTURE)) {
            r.readAll(
                    f -> file.add(new Packet(
                            f.tsMicros(), f.wireLength(), Arrays.copyOfRange(f.data(), f.offset(), f.end()))),
                    new CaptureCounters());
        }
        List<Packet> batched = new ArrayList<>();
        List<Chunk> chunks = new ArrayList<>();
        LongAdder unpooled = new LongAdder();
        int snaplen = 2048;
        int calls = 0;
        try (PcapHandle h = Pcaps.openOffline(CAPTURE.toString());
                PcapBatch batch =
                        new PcapBatch(NextPacket.pcapAddress(h), snaplen, 24 + packetsPerBatch * (16 + snaplen) + 1)) {
            assertEquals(packetsPerBatch, batch.batchPackets());
            ChunkPool pool = new ChunkPool(4096, 2, unpooled);
            int n;
            FrameSink keepsEveryChunk = new FrameSink() {
                @Override
                public void onFrame(Frame frame) {}

                @Override
                public void onChunk(Chunk chunk) {
                    FrameSink.super.onChunk(chunk); // the default: retained, never released
                    chunks.add(chunk);
                }
            };
            try (ChunkWriter into = new ChunkWriter(pool, keepsEveryChunk)) {
                while ((n = batch.read(
                                into,
                                (ts, data, off, caplen, wire) ->
                                        batched.add(new Packet(ts, wire, Arrays.copyOfRange(data, off, off + caplen)))))
                        > 0) {
                    assertTrue(n <= packetsPerBatch);
                    calls++;
                }
            }
            assertEquals(0, n, "end of file");
        }
        assertTrue(chunks.size() > 2, "the capture went over several chunks: " + chunks.size());
        assertEquals(chunks.size() - 2, unpooled.sum(), "a sink that never releases: the pool stops recycling");
        for (Chunk c : chunks) {
            assertEquals(1, c.references(), "the sink's reference is left, the writer's released");
        }
        assertTrue(file.size() > 10);
        assertTrue(calls >= (file.size() + packetsPerBatch - 1) / packetsPerBatch, "calls " + calls);
        assertEquals(file.size(), batched.size());
        for (int i = 0; i < file.size(); i++) {
            assertEquals(file.get(i).tsMicros(), batched.get(i).tsMicros(), "packet " + i);
            assertEquals(file.get(i).wireLength(), batched.get(i).wireLength(), "packet " + i);
            assertArrayEquals(file.get(i).bytes(), batched.get(i).bytes(), "packet " + i);
        }
    }
}
