package io.sluice.engine.init;

import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.InitProgress;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PendingChunkTest {

    private static final TableId ID = new TableId("db", "t");
    private static final TableSchema T = new TableSchema(ID, List.of(Column.of("id", ColumnType.INT), Column.of("v", ColumnType.INT)),
            Map.of("PRIMARY", List.of("id")));
    private static final SourcePosition POS = new SourcePosition("mysql-bin.000001", 100, 50, "", 0);

    private static Value[] row(int id, int v) {
        return new Value[] {new Value.IntegerValue(10, "" + id), new Value.IntegerValue(10, "" + v)};
    }

    private static List<Integer> ids(List<Value[]> rows) {
        List<Integer> ids = new ArrayList<>();
        for (Value[] r : rows) ids.add(Integer.parseInt(((Value.IntegerValue) r[0]).value()));
        return ids;
    }

    @Test
    void streamRowsInTheWindowSupersedeTheChunksRowsBeforeAndAfterArrival() {
        int[] written = {0};
        PendingChunk chunk = new PendingChunk(ID, List.of("id"), n -> written[0] = n);
        // before the rows arrive: an update of 2, a delete of 3, a key update 4 -> 40
        chunk.onStreamRow(new RowChange(T, Operation.UPDATE, row(2, 1), row(2, 2), POS));
        chunk.onStreamRow(new RowChange(T, Operation.DELETE, row(3, 1), null, POS));
        chunk.onStreamRow(new RowChange(T, Operation.UPDATE, row(4, 1), row(40, 1), POS));
        BinlogOffset high = new BinlogOffset("mysql-bin.000001", 500, "");
        chunk.arrive(new PendingChunk.Rows(T, List.of(row(1, 1), row(2, 1), row(3, 1), row(4, 1), row(5, 1), row(6, 1)),
                null, high, 0, false));
        // after: an insert into the range (not in the buffer), an update of 5
        chunk.onStreamRow(new RowChange(T, Operation.INSERT, null, row(7, 1), POS));
        chunk.onStreamRow(new RowChange(T, Operation.UPDATE, row(5, 1), row(5, 9), POS));
        // another table's rows do not count
        TableSchema other = new TableSchema(new TableId("db", "u"), T.columns(), T.keys());
        chunk.onStreamRow(new RowChange(other, Operation.DELETE, row(6, 1), null, POS));

        assertFalse(chunk.readyAt(new BinlogOffset("mysql-bin.000001", 499, "")));
        assertTrue(chunk.readyAt(new BinlogOffset("mysql-bin.000001", 500, "")));
        assertTrue(chunk.readyAt(new BinlogOffset("mysql-bin.000002", 4, "")), "a later file is later");
        assertEquals(List.of(1, 6), ids(chunk.remaining()));
        assertEquals(4, chunk.superseded());
        chunk.written(2);
        assertEquals(2, written[0]);
    }

    @Test
    void notReadyBeforeArrivalAndKeylessChunksAreNotReconciled() {
        PendingChunk chunk = new PendingChunk(ID, List.of(), n -> { });
        assertFalse(chunk.readyAt(new BinlogOffset("f.000009", 9, "")));
        chunk.onStreamRow(new RowChange(T, Operation.DELETE, row(1, 1), null, POS));
        chunk.arrive(new PendingChunk.Rows(T, List.<Value[]>of(row(1, 1)), null, null, 0, true));
        assertTrue(chunk.readyAt(new BinlogOffset("f.000001", 4, "")));
        assertEquals(List.of(1), ids(chunk.remaining()));
    }

    @Test
    void recentStreamRowsCountAsInTheWindowOfAChunkOpenedAfterThem() {
        RecentStreamRows recent = new RecentStreamRows(2);
        recent.add(new RowChange(T, Operation.UPDATE, row(1, 1), row(1, 2), POS)); // pushed out by the two below
        recent.add(new RowChange(T, Operation.UPDATE, row(2, 1), row(2, 2), POS));
        recent.add(new RowChange(T, Operation.DELETE, row(3, 1), null, POS));
        PendingChunk chunk = new PendingChunk(ID, List.of("id"), n -> { });
        recent.noteIn(chunk);
        // the SELECT did not see the stream's changes of 2 and 3 yet (binlog written, engine commit pending)
        chunk.arrive(new PendingChunk.Rows(T, List.of(row(1, 1), row(2, 1), row(3, 1), row(4, 1)), null, null, 0, false));
        assertEquals(List.of(1, 4), ids(chunk.remaining()));
    }

    @Test
    void encodedChunksAreReconciledByTheirKeysAlone() {
        PendingChunk chunk = new PendingChunk(ID, List.of("id"), n -> { });
        chunk.onStreamRow(new RowChange(T, Operation.DELETE, row(2, 1), null, POS));
        List<Value[]> keys = List.of(new Value[] {row(1, 0)[0]}, new Value[] {row(2, 0)[0]}, new Value[] {row(3, 0)[0]});
        chunk.arrive(new PendingChunk.Rows(T, null, null, new BinlogOffset("f.000001", 9, ""), 0, false,
                new PendingChunk.Encoded(List.of(new byte[1], new byte[2], new byte[3]), new int[] {0, 0, 0}, keys)));
        chunk.onStreamRow(new RowChange(T, Operation.UPDATE, row(3, 1), row(3, 2), POS));
        assertEquals(List.of(0), java.util.Arrays.stream(chunk.remainingIndexes()).boxed().toList());
        assertEquals(2, chunk.superseded());
    }

    @Test
    void progressRoundTripsInTheCheckpoint() throws Exception {
        InitProgress p = InitProgress.pending(List.of("db.a", "db.b"))
                .afterChunk("db.a", List.of("id"), List.of(new byte[] {'4', '2'}, new byte[] {0, (byte) 0xff}), 10, false)
                .afterChunk("db.b", List.of("id"), null, 0, true);
        assertFalse(p.complete());
        Checkpoint c = Checkpoint.at(new BinlogOffset("mysql-bin.000003", 154, ""), 0, 7).withInitialization(p);
        Checkpoint back = Checkpoint.fromJson(c.toJson());
        assertEquals(p, back.initialization());
        assertEquals(List.of("3432", "00ff"), back.initialization().tables().get("db.a").after());
        assertEquals(10, back.initialization().tables().get("db.a").rows());
        assertTrue(back.initialization().tables().get("db.b").done());
        // an older checkpoint (no initialization key) reads as: nothing to initialize
        assertNull(Checkpoint.fromJson("{\"binlogFile\":\"f.000001\",\"binlogPosition\":4,\"nextId\":1}".getBytes()).initialization());
        assertFalse(new String(Checkpoint.at(new BinlogOffset("f.000001", 4, ""), 0, 1).toJson()).contains("initialization"));
        assertTrue(p.afterChunk("db.a", List.of("id"), null, 5, true).complete());
    }
}
