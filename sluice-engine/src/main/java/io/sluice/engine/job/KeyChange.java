package io.sluice.engine.job;

import io.sluice.core.format.RecordEncoder;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.route.Route;

import java.util.Arrays;

/**
 * An UPDATE that changes its row's primary key, as Debezium writes it: a delete of the old key
 * (before image) and an insert of the new key (after image), so a compacted topic or an upsert
 * sink drops the old row instead of keeping it for ever.
 */
record KeyChange(RowChange delete, byte[] oldKey, RowChange insert, byte[] newKey) {

    /**
     * The pair for {@code change}, or null: not an UPDATE, a table without a key, or the same key
     * before and after (the keys compared as the encoder writes them).
     *
     * @param key {@code change}'s record key as the encoder gives it (an UPDATE's: its after image's)
     */
    static KeyChange of(RowChange change, byte[] key, RecordEncoder encoder, Route route) {
        if (key == null || change.operation() != Operation.UPDATE || change.before() == null || change.after() == null) return null;
        RowChange delete = new RowChange(change.table(), Operation.DELETE, change.before(), null, change.position());
        byte[] oldKey = encoder.key(delete, route);
        if (oldKey == null || Arrays.equals(oldKey, key)) return null;
        return new KeyChange(delete, oldKey, new RowChange(change.table(), Operation.INSERT, null, change.after(), change.position()), key);
    }
}
