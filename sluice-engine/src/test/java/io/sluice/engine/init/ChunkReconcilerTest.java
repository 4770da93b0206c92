package io.sluice.engine.init;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkReconcilerTest {

    private static final TableId A = new TableId("db", "a");
    private static final TableId B = new TableId("db", "b");
    private static final TableSchema SA = schema(A);
    private static final BinlogOffset START = new BinlogOffset("mysql-bin.000009", 100, "");
    private static final SourcePosition POS = new SourcePosition("mysql-bin.000009", 120, 100, "", 0);

    private static TableSchema schema(TableId id) {
        return new TableSchema(id, List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    }

    private static Value[] row(int id) {
        return new Value[] {new Value.IntegerValue(10, "" + id)};
    }

    private static PendingChunk chunk(TableId table) {
        return new PendingChunk(table, List.of("id"), n -> { });
    }

    /** Rows of ids 1..3 read between the watermarks, the high one at {@code high} (null: no reconciliation). */
    private static void arrive(PendingChunk chunk, BinlogOffset high) {
        chunk.arrive(new PendingChunk.Rows(schema(chunk.table()), List.of(row(1), row(2), row(3)), null, high, 0, false));
    }

    private static ChunkReconciler reconciler(PendingChunk... chunks) {
        ChunkReconciler r = new ChunkReconciler(START, true);
        for (PendingChunk c : chunks) r.open(c);
        r.takeOpened();
        return r;
    }

    @Test
    void aChunkIsReadyOnceItsRowsArrivedAndTheStreamReachedItsHighWatermark() {
        PendingChunk c = chunk(A);
        ChunkReconciler r = reconciler(c);
        assertTrue(r.hasOpen());
        assertEquals(List.of(), r.takeReady(), "rows not arrived");
        BinlogOffset high = new BinlogOffset("mysql-bin.999999", 500, "");
        arrive(c, high);
        assertEquals(List.of(), r.takeReady(), "stream before the high watermark");
        r.streamReached(new BinlogOffset("mysql-bin.999999", 499, ""));
        assertEquals(List.of(), r.takeReady());
        r.streamReached(new BinlogOffset("mysql-bin.1000000", 4, ""));
        r.streamReached(new BinlogOffset("mysql-bin.999999", 300, "")); // an older heartbeat does not move it back
        assertEquals(new BinlogOffset("mysql-bin.1000000", 4, ""), r.streamPosition());
        assertEquals(List.of(c), r.takeReady());
        assertFalse(r.hasOpen(), "a chunk handed back leaves the reconciliation");
        assertEquals(List.of(), r.takeReady());
    }

    @Test
    void aLaterChunkOfATableWaitsForAnEarlierOneAndOtherTablesDoNot() {
        PendingChunk a1 = chunk(A), a2 = chunk(A), b1 = chunk(B);
        ChunkReconciler r = reconciler(a1, a2, b1);
        BinlogOffset high = new BinlogOffset("mysql-bin.000010", 50, "");
        arrive(a1, high);
        arrive(a2, null); // ready at once by itself
        arrive(b1, new BinlogOffset("mysql-bin.000009", 100, ""));
        assertEquals(List.of(b1), r.takeReady(), "a2 waits for a1; b1 is another table");
        r.streamReached(high);
        assertEquals(List.of(a1, a2), r.takeReady(), "in the order opened: a table's chunks in key order");
    }

    @Test
    void streamRowsSupersedeChunkRowsAlsoJustBeforeTheChunkOpened() {
        ChunkReconciler r = new ChunkReconciler(START, true);
        r.onStreamRow(new RowChange(SA, Operation.DELETE, row(1), null, POS)); // before the chunk opened
        PendingChunk c = chunk(A);
        r.open(c);
        r.takeOpened();
        r.onStreamRow(new RowChange(SA, Operation.INSERT, null, row(3), POS));
        arrive(c, null);
        assertEquals(List.of(c), r.takeReady());
        assertEquals(1, c.remainingIndexes().length);
        assertEquals(2, c.superseded(), "rows 1 (handled just before it opened) and 3 (in its window)");
    }

    @Test
    void onceTheInitializationIsCompleteRecentRowsAreNoLongerKept() {
        ChunkReconciler r = new ChunkReconciler(START, true);
        r.onStreamRow(new RowChange(SA, Operation.DELETE, row(1), null, POS));
        r.initializationComplete();
        r.onStreamRow(new RowChange(SA, Operation.DELETE, row(2), null, POS));
        PendingChunk c = chunk(A);
        r.open(c);
        r.takeOpened();
        arrive(c, null);
        assertEquals(List.of(c), r.takeReady());
        assertEquals(3, c.remainingIndexes().length);
        assertEquals(0, c.superseded());
    }
}
