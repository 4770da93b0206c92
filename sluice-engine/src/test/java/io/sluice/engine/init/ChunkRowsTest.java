package io.sluice.engine.init;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ChunkRowsTest {

    @Test
    void aTablesFirstChunksDoubleFrom256UpToTheChunkSize() {
        assertArrayEquals(new int[] {256, 512, 1024, 2048, 4096, 8192, 8192, 8192},
                IntStream.range(0, 8).map(i -> ChunkPlanner.chunkRows(8192, i)).toArray());
        assertArrayEquals(new int[] {256, 500, 500}, IntStream.range(0, 3).map(i -> ChunkPlanner.chunkRows(500, i)).toArray());
    }

    @Test
    void aChunkSizeBelowTheFirstChunkIsKeptFromTheStart() {
        assertEquals(2, ChunkPlanner.chunkRows(2, 0));
        assertEquals(100, ChunkPlanner.chunkRows(100, 5));
    }

    @Test
    void manyChunksNeverOverflow() {
        assertEquals(1_000_000, ChunkPlanner.chunkRows(1_000_000, 12));
        assertEquals(1_000_000, ChunkPlanner.chunkRows(1_000_000, Integer.MAX_VALUE));
    }
}
