package io.sluice.engine.init;

import io.sluice.engine.state.InitProgress;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.SchemaCache;
import io.sluice.source.mysql.snapshot.ChunkKey;
import io.sluice.source.mysql.snapshot.SnapshotConnection;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cuts the tables to initialize into key-range chunks and hands them to any number of readers, one
 * table after the other. A chunk's upper bound is the key {@code chunkSize} rows past the previous
 * bound (an index-only query), so chunks of one table can be read at the same time while the
 * dispatcher still gets them in key order: a chunk is opened with it here, under this object's
 * lock, before any later chunk of its table.
 *
 * <p>A table's first chunks in a run are smaller ({@link #FIRST_CHUNK_ROWS}, then twice as many each
 * time, up to {@code chunkSize}): a chunk is written only once it is read whole, and the first ones
 * are read by code the JIT has not compiled yet, so a full first chunk held the job's first records
 * back by most of a second. The extra chunks cost a few index-only boundary queries.
 *
 * <p>Nothing changes here until a query has succeeded, so a reader that loses its connection can
 * simply ask again. A boundary query that names a key column the table no longer has (the stream is
 * behind the statement) is run again once the stream has met it ({@link StaleColumnsRetry}; other
 * readers wait for the lock meanwhile): then the key is gone from the definition too, and
 * {@link #keyIn} restarts the session, which plans the table again.
 */
final class ChunkPlanner {

    private static final Logger log = LoggerFactory.getLogger(ChunkPlanner.class);

    /** Rows of a table's first chunk in a run; each next chunk doubles it, up to chunkSize. */
    static final int FIRST_CHUNK_ROWS = 256;

    /** What a reader does next. */
    sealed interface Task permits RangeTask, OnePassTask, GoneTask {
        TableId table();

        /** The table's first task in this run (when its size estimate is taken). */
        boolean first();
    }

    /** Read {@code lower < key <= upper} (null: open on that side) into {@code chunk}. */
    record RangeTask(TableId table, ChunkKey key, List<String> keyNames, List<byte[]> lower, List<byte[]> upper, PendingChunk chunk, boolean first)
            implements Task {
        boolean last() { return upper == null; }
    }

    /** A table without a usable key: read it in one pass. */
    record OnePassTask(TableId table, TableSchema schema, boolean first) implements Task {}

    /** The table was dropped: nothing to read, mark it done. */
    record GoneTask(TableId table, boolean first) implements Task {}

    private final SchemaCache schemas;
    private final Queue<String> todo;
    private final Map<String, InitProgress.TableInit> resumeFrom;
    private final int chunkSize;
    /** Where the stream has handled every event before (the dispatcher's). */
    private final Supplier<BinlogOffset> streamPosition;
    /** Opens a chunk with the dispatcher; the table name gives the chunk's written-rows callback. */
    private final Function<RangeCursor, PendingChunk> opener;
    private RangeCursor cursor;

    /** The upper bound of the next chunk (null: the rest of the table). */
    private record Boundary(List<byte[]> upper) {}

    /** The table being cut: its key and the upper bound of the last chunk handed out. */
    static final class RangeCursor {
        final TableId table;
        final ChunkKey key;
        final List<String> keyNames;
        List<byte[]> after;
        /** Chunks handed out in this run (0: the next is the table's first; their sizes ramp up, see {@link #chunkRows}). */
        int chunks;

        RangeCursor(TableId table, ChunkKey key, List<String> keyNames, List<byte[]> after) {
            this.table = table;
            this.key = key;
            this.keyNames = keyNames;
            this.after = after;
        }
    }

    ChunkPlanner(SchemaCache schemas, Queue<String> todo, Map<String, InitProgress.TableInit> resumeFrom, int chunkSize,
                 Supplier<BinlogOffset> streamPosition, Function<RangeCursor, PendingChunk> opener) {
        this.schemas = schemas;
        this.todo = todo;
        this.resumeFrom = resumeFrom;
        this.chunkSize = chunkSize;
        this.streamPosition = streamPosition;
        this.opener = opener;
    }

    /** The next task, or null when every table has been handed out. {@code c} runs the planning queries. */
    synchronized Task next(SnapshotConnection c) throws InterruptedException {
        while (true) {
            if (cursor == null) {
                String name = todo.peek();
                if (name == null) return null;
                TableId id = TableId.parse(name);
                TableSchema schema = schemas.get(id);
                if (schema == null) {
                    todo.poll();
                    return new GoneTask(id, true);
                }
                ChunkKey key = c.chooseKey(schema);
                todo.poll();
                if (key.isNone()) return new OnePassTask(id, schema, true);
                List<String> keyNames = key.columns().stream().map(i -> schema.columns().get(i).name()).toList();
                cursor = new RangeCursor(id, key, keyNames, resumePoint(id, resumeFrom.get(name), keyNames));
                log.info("initialization: reading {} by key {} {}{}", id, key.name(), cursor.keyNames,
                        cursor.after == null ? "" : " from after the last written chunk");
            }
            RangeCursor at = cursor;
            Boundary boundary = new StaleColumnsRetry(streamPosition, c::watermark, Thread::sleep).run(at.table, "the chunk boundary", () -> {
                TableSchema schema = schemas.get(at.table);
                return schema == null ? null : new Boundary(c.boundary(schema, keyIn(schema, at.table, at.key, at.keyNames), at.after,
                        chunkRows(chunkSize, at.chunks)));
            });
            if (boundary == null) { // dropped while being read
                boolean first = cursor.chunks == 0;
                cursor = null;
                return new GoneTask(at.table, first);
            }
            List<byte[]> upper = boundary.upper();
            PendingChunk chunk = opener.apply(cursor); // before the reader's low watermark, and before the next chunk
            RangeTask task = new RangeTask(cursor.table, cursor.key, cursor.keyNames, cursor.after, upper, chunk, cursor.chunks == 0);
            cursor.chunks++;
            cursor.after = upper;
            if (upper == null) cursor = null;
            return task;
        }
    }

    /** Rows of a table's chunk {@code index} (0: its first in this run): 256, 512, 1024, ... up to {@code chunkSize}. */
    static int chunkRows(int chunkSize, int index) {
        long rows = (long) FIRST_CHUNK_ROWS << Math.min(index, 20); // 2^28 rows: past any chunkSize
        return (int) Math.min(chunkSize, rows);
    }

    /**
     * The table's chunk key in its definition now (columns are addressed by index, and a DDL the stream applied
     * since the key was chosen may have moved them); a key column dropped or retyped restarts the session,
     * which plans the table again from its checkpoint.
     */
    /**
     * Where to resume reading {@code table} by key {@code keyNames}: after the saved key, unless it was saved for
     * another key (dropped or retyped since): its bytes would bound the new key wrongly and skip rows, so the table
     * is read from its beginning (rows already written arrive again as INIT, allowed for an unfinished initialization).
     */
    static List<byte[]> resumePoint(TableId table, InitProgress.TableInit saved, List<String> keyNames) {
        if (saved == null) return null;
        if (saved.savedForOtherKey(keyNames)) {
            log.info("initialization: {} was being read by key {}, now by key {}: reading it again from its beginning",
                    table, saved.key(), keyNames);
            return null;
        }
        return saved.afterBytes();
    }

    static ChunkKey keyIn(TableSchema schema, TableId table, ChunkKey key, List<String> keyNames) {
        ChunkKey now = key.in(schema, keyNames);
        if (now != null) return now;
        throw new TransientException("initialization of " + table + ": its chunk key " + keyNames
                + " was dropped or changed type while the table was being read", "none needed: the job resumes from its last checkpoint", null);
    }
}
