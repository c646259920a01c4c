package io.mysqlprobe.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Chunks come back to the pool when their last holder releases them; past the bound they are counted. */
class ChunkPoolTest {

    /** A sink that takes a reference on every chunk, as the dispatcher's batches do, and lets the test release it. */
    private static final class Holder implements FrameSink {
        final List<Chunk> chunks = new ArrayList<>();

        @Override
        public void onFrame(Frame frame) {}

        @Override
        public void onChunk(Chunk chunk) {
            chunk.retain();
            chunks.add(chunk);
        }
    }

    @Test
    void aChunkIsReusedOnlyAfterTheWriterAndEveryHolderReleasedIt() {
        LongAdder unpooled = new LongAdder();
        ChunkPool pool = new ChunkPool(100, 2, unpooled);
        Holder sink = new Holder();
        try (ChunkWriter w = new ChunkWriter(pool, sink)) {
            w.reserve(60);
            w.advance(60);
            w.reserve(60); // does not fit: a second chunk, the writer lets go of the first
            w.advance(60);
            Chunk first = sink.chunks.get(0);
            Chunk second = sink.chunks.get(1);
            assertNotSame(first.bytes(), second.bytes());
            assertEquals(1, first.references(), "the holder's");
            assertEquals(2, second.references(), "the holder's and the writer's");
            assertEquals(0, pool.free());

            w.reserve(60); // both pooled chunks held: one outside the pool, counted
            w.advance(60);
            assertEquals(1, unpooled.sum());

            first.release();
            assertEquals(1, pool.free(), "the first came back");
            w.reserve(60);
            assertSame(first.bytes(), sink.chunks.get(3).bytes(), "and is written again");
            assertEquals(1, unpooled.sum());

            sink.chunks.get(2).release(); // the unpooled one: to the garbage collector, not to the pool
            assertEquals(0, pool.free());
        }
        Chunk last = sink.chunks.get(3);
        assertEquals(1, last.references(), "the writer let go when closed");
        last.release();
        assertEquals(1, pool.free());
        assertThrows(IllegalStateException.class, last::release, "released more often than held");
    }

    @Test
    void aWriteLargerThanAChunkIsRefused() {
        ChunkPool pool = new ChunkPool(100, 1, new LongAdder());
        try (ChunkWriter w = new ChunkWriter(pool, new Holder())) {
            assertThrows(IllegalArgumentException.class, () -> w.reserve(101));
        }
    }
}
