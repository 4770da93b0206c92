package io.sluice.engine.init;

import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import io.sluice.core.route.Router;
import io.sluice.core.format.RecordEncoder;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes a chunk's rows as INIT records on the reader's thread, with id 0: the dispatcher only
 * sets each record's id ({@link RecordEncoder#withId}) as it writes them, so
 * encoding, the costly part, runs on as many threads as there are readers, and a chunk waiting
 * for the stream keeps only its records and keys, not its rows. One per reader (the encoder
 * reuses its buffers).
 */
public final class InitRecordEncoder {

    private final Router router;
    private final RecordEncoder encoder;
    private final java.util.function.ToIntFunction<String> partitions;

    /** @param partitions the topic's partition count (each record's partition is chosen here too) */
    public InitRecordEncoder(Router router, RecordEncoder encoder, int partitions) {
        this(router, encoder, topic -> partitions);
    }

    /** @param partitions each record topic's partition count (a table's records go to its route's topic) */
    public InitRecordEncoder(Router router, RecordEncoder encoder, java.util.function.ToIntFunction<String> partitions) {
        this.router = router;
        this.encoder = encoder;
        this.partitions = partitions;
    }

    /** @param keyColumns the chunk key's column indexes: their values are kept for the reconciliation */
    public PendingChunk.Encoded encode(TableSchema schema, List<Value[]> rows, SourcePosition at, List<Integer> keyColumns) {
        Route route = router.route(schema);
        int topicPartitions = partitions.applyAsInt(route.topic());
        List<byte[]> records = new ArrayList<>(rows.size());
        int[] partition = new int[rows.size()];
        List<Value[]> keys = new ArrayList<>(rows.size());
        List<byte[]> recordKeys = null;
        for (int i = 0; i < rows.size(); i++) {
            Value[] row = rows.get(i);
            RowChange change = new RowChange(schema, Operation.INIT, null, row, at);
            records.add(encoder.encode(0, change, route));
            byte[] recordKey = encoder.key(change, route);
            if (recordKey != null) {
                if (recordKeys == null) recordKeys = new ArrayList<>(java.util.Collections.nCopies(i, null));
                recordKeys.add(recordKey);
            } else if (recordKeys != null) {
                recordKeys.add(null);
            }
            partition[i] = router.partition(change, topicPartitions);
            Value[] key = new Value[keyColumns.size()];
            for (int k = 0; k < key.length; k++) key[k] = row[keyColumns.get(k)];
            keys.add(key);
        }
        return new PendingChunk.Encoded(records, partition, keys, recordKeys);
    }
}
