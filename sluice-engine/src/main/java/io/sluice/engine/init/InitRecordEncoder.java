package io.sluice.engine.init;

import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import io.sluice.core.route.Router;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.model.Column;
import io.sluice.source.mysql.snapshot.SnapshotConnection;
import io.sluice.source.mysql.value.JdbcValues;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a chunk's rows as INIT records on the reader's thread, with a provisional id: the
 * dispatcher only sets each record's id ({@link RecordEncoder#withIdInPlace}) as it writes them, so
 * encoding, the costly part, runs on as many threads as there are readers, and a chunk waiting
 * for the stream keeps only its records and keys, not its rows. One per reader (the encoder
 * reuses its buffers).
 */
public final class InitRecordEncoder {

    private final Router router;
    private final RecordEncoder encoder;
    private final java.util.function.ToIntFunction<String> partitions;
    /** The provisional id: near the ids the records will get, so that setting them needs no copy of the record. */
    private final java.util.function.LongSupplier idHint;

    /** @param partitions the topic's partition count (each record's partition is chosen here too) */
    public InitRecordEncoder(Router router, RecordEncoder encoder, int partitions) {
        this(router, encoder, topic -> partitions, () -> 0);
    }

    /**
     * @param partitions each record topic's partition count (a table's records go to its route's topic)
     * @param idHint     about the id the dispatcher will give the next records ({@code Dispatcher.idHint}); any
     *                   value is correct, one as long as the real ids only saves a copy per record
     */
    public InitRecordEncoder(Router router, RecordEncoder encoder, java.util.function.ToIntFunction<String> partitions,
                             java.util.function.LongSupplier idHint) {
        this.router = router;
        this.encoder = encoder;
        this.partitions = partitions;
        this.idHint = idHint;
    }

    /**
     * {@link #encode} of rows read as text-protocol cells ({@link SnapshotConnection#chunk}): each
     * row is converted to values only here, one at a time, so its values die young.
     */
    public PendingChunk.Encoded encodeCells(TableSchema schema, List<byte[][]> cells, SourcePosition at, List<Integer> keyColumns) {
        List<Column> columns = schema.columns();
        Value[] row = new Value[columns.size()];
        return encode(schema, cells.size(), i -> {
            byte[][] raw = cells.get(i);
            cells.set(i, null); // converted: its cells are garbage now unless a value holds them
            for (int c = 0; c < row.length; c++) row[c] = JdbcValues.convert(columns.get(c), raw[c]);
            return row;
        }, at, keyColumns);
    }

    /** @param keyColumns the chunk key's column indexes: their values are kept for the reconciliation */
    public PendingChunk.Encoded encode(TableSchema schema, List<Value[]> rows, SourcePosition at, List<Integer> keyColumns) {
        return encode(schema, rows.size(), rows::get, at, keyColumns);
    }

    /** {@code rows.apply(i)} for i = 0..n-1, in order (it may reuse one array: nothing here keeps it). */
    private PendingChunk.Encoded encode(TableSchema schema, int n, java.util.function.IntFunction<Value[]> rows, SourcePosition at,
                                        List<Integer> keyColumns) {
        Route route = router.route(schema);
        int topicPartitions = partitions.applyAsInt(route.topic());
        List<byte[]> records = new ArrayList<>(n);
        int[] partition = new int[n];
        int[] key = new int[keyColumns.size()];
        for (int k = 0; k < key.length; k++) key[k] = keyColumns.get(k);
        List<Value[]> keys = new ArrayList<>(n);
        List<byte[]> recordKeys = null;
        long provisionalId = Math.max(0, idHint.getAsLong());
        for (int i = 0; i < n; i++) {
            Value[] row = rows.apply(i);
            RowChange change = new RowChange(schema, Operation.INIT, null, row, at);
            records.add(encoder.encode(provisionalId, change, route));
            byte[] recordKey = encoder.key(change, route);
            if (recordKey != null) {
                if (recordKeys == null) recordKeys = new ArrayList<>(java.util.Collections.nCopies(i, null));
                recordKeys.add(recordKey);
            } else if (recordKeys != null) {
                recordKeys.add(null);
            }
            partition[i] = router.partition(change, topicPartitions);
            Value[] keyValues = new Value[key.length];
            for (int k = 0; k < key.length; k++) keyValues[k] = row[key[k]];
            keys.add(keyValues);
        }
        return new PendingChunk.Encoded(records, partition, keys, recordKeys);
    }
}
