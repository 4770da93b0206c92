package io.sluice.engine.init;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * One chunk of a table between its watermarks (the DBLog reconciliation, on the dispatcher's side).
 *
 * <p>The reader opens the chunk with the dispatcher before it reads the low watermark, so every
 * stream row the dispatcher handles after that is noted here: before the rows arrive, the keys are
 * remembered; after, rows with those keys leave the buffer (the stream's own full row image,
 * written in order, supersedes them). Once the stream has passed the high watermark, the remaining
 * rows are written as INIT at a transaction boundary. Keys are compared by value (the stored
 * bytes), so no collation logic is needed here. A chunk without a key (a table read in one pass)
 * is not reconciled and is written at the next boundary.
 *
 * <p>Threads: {@link #arrive} on the reader's; everything else on the dispatcher's.
 */
public final class PendingChunk {

    /**
     * What the reader hands over: the rows as read, or (once encoded by the reader) only their
     * records. {@code high} null: write at the next boundary (no key, no reconciliation).
     */
    public record Rows(TableSchema schema, List<Value[]> rows, List<byte[]> lastKey, BinlogOffset high,
                       long readTimeSec, boolean last, Encoded encoded) {
        public Rows(TableSchema schema, List<Value[]> rows, List<byte[]> lastKey, BinlogOffset high, long readTimeSec, boolean last) {
            this(schema, rows, lastKey, high, readTimeSec, last, null);
        }

        /** How many rows arrived. */
        public int size() {
            return encoded != null ? encoded.records().size() : rows.size();
        }
    }

    /**
     * Rows encoded by the reader as INIT records at {@code high} with a provisional id, for {@code schema}: the
     * records, their partitions, and each row's key values (in key order) for the reconciliation.
     * The rows themselves are not kept: a chunk waiting for the stream holds only this.
     */
    public record Encoded(List<byte[]> records, int[] partitions, List<Value[]> keys, List<byte[]> recordKeys) {
        public Encoded(List<byte[]> records, int[] partitions, List<Value[]> keys) {
            this(records, partitions, keys, null);
        }

        /** Record {@code i}'s Kafka key ({@code recordKeys}: null where the format has none). */
        public byte[] key(int i) {
            return recordKeys == null ? null : recordKeys.get(i);
        }
    }

    private final TableId table;
    private final List<String> keyColumns;
    private final IntConsumer written;
    private final Set<List<Value>> changedBeforeArrival = new HashSet<>();
    /** Key to index in the arrived rows, in key order; built only once the stream touches the table. */
    private Map<List<Value>, Integer> buffer;
    private volatile Rows arrived;
    /** Called once the rows arrived (wakes an idle dispatcher); null until the dispatcher sets it. */
    private volatile Runnable onArrival;
    private int superseded;

    /**
     * @param keyColumns the key's column names (empty: no key)
     * @param written    called on the dispatcher's thread with the number of rows written, once the chunk is out
     */
    public PendingChunk(TableId table, List<String> keyColumns, IntConsumer written) {
        this.table = table;
        this.keyColumns = List.copyOf(keyColumns);
        this.written = written;
    }

    public TableId table() { return table; }

    /** The names of the key columns the chunk was read by (empty: read in one pass). */
    public List<String> keyColumns() { return keyColumns; }

    /** Reader: the chunk's rows, read between the watermarks. */
    public void arrive(Rows rows) {
        this.arrived = rows;
        Runnable wake = onArrival;
        if (wake != null) wake.run();
    }

    /**
     * Dispatcher: {@code wake} runs when the rows arrive (at once if they already did), so a chunk
     * is written as soon as it can be, not at the dispatcher's next poll timeout. May run twice.
     */
    public void onArrival(Runnable wake) {
        this.onArrival = wake;
        if (arrived != null) wake.run();
    }

    public Rows rows() { return arrived; }

    /** Dispatcher: a stream row was handled (in binlog order). */
    public void onStreamRow(RowChange change) {
        if (keyColumns.isEmpty() || !change.table().id().equals(table)) return;
        settle();
        if (change.before() != null) supersede(key(change.table(), change.before()));
        if (change.after() != null) supersede(key(change.table(), change.after()));
    }

    private void supersede(List<Value> key) {
        if (key == null) return;
        if (buffer == null) {
            changedBeforeArrival.add(key);
        } else if (buffer.remove(key) != null) {
            superseded++;
        }
    }

    /** Moves arrived rows into the keyed buffer, dropping keys the stream changed meanwhile. */
    private void settle() {
        Rows r = arrived;
        if (buffer != null || r == null || keyColumns.isEmpty()) return;
        buffer = new LinkedHashMap<>(Math.max(16, r.size() * 4 / 3 + 1));
        for (int i = 0; i < r.size(); i++) {
            buffer.put(r.encoded() != null ? Arrays.asList(r.encoded().keys().get(i)) : key(r.schema(), r.rows().get(i)), i);
        }
        for (List<Value> k : changedBeforeArrival) if (buffer.remove(k) != null) superseded++;
        changedBeforeArrival.clear();
    }

    /** Dispatcher: true once the rows arrived and the stream handled everything before the high watermark. */
    public boolean readyAt(BinlogOffset streamPosition) {
        Rows r = arrived;
        if (r == null) return false;
        return r.high() == null || streamPosition.compareTo(r.high()) >= 0;
    }

    /** Dispatcher: the indexes (in {@link Rows#rows}) of the rows to write as INIT, in key order. */
    public int[] remainingIndexes() {
        // untouched by the stream (the common case): the rows as read, without keying them
        if (keyColumns.isEmpty() || (buffer == null && changedBeforeArrival.isEmpty())) {
            int[] all = new int[arrived.size()];
            for (int i = 0; i < all.length; i++) all[i] = i;
            return all;
        }
        settle();
        return buffer.values().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Dispatcher: the rows to write as INIT, in key order (rows handed over not encoded). */
    public List<Value[]> remaining() {
        List<Value[]> rows = new ArrayList<>();
        for (int i : remainingIndexes()) rows.add(arrived.rows().get(i));
        return rows;
    }

    /** Rows dropped because the stream changed their key between the watermarks. */
    public int superseded() { return superseded; }

    /** Dispatcher: the chunk is out (its rows are in the open Kafka transaction). */
    public void written(int rows) {
        written.accept(rows);
    }

    private List<Value> key(TableSchema schema, Value[] row) {
        Value[] key = new Value[keyColumns.size()];
        for (int k = 0; k < key.length; k++) {
            int i = schema.indexOf(keyColumns.get(k));
            if (i < 0 || i >= row.length) return null;
            key[k] = row[i];
        }
        return Arrays.asList(key);
    }
}
