package io.sluice.engine.job;

import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows of one binlog rows event waiting to become one record ({@code target.canal.batch: event}):
 * consecutive rows with the same table definition, operation and event end position (up to the
 * format's most rows per record, which the dispatcher checks). The dispatcher writes them as soon as a row of another event (or a commit, a DDL
 * statement) arrives, so a record never holds rows of two events and never spans a commit.
 */
final class RowsEventBatch {

    private final List<RowChange> rows = new ArrayList<>();

    boolean isEmpty() {
        return rows.isEmpty();
    }

    int size() {
        return rows.size();
    }

    /** Whether {@code change} comes from the rows event of those held (always, when none are). */
    boolean accepts(RowChange change) {
        if (rows.isEmpty()) return true;
        RowChange first = rows.get(0);
        SourcePosition a = first.position();
        SourcePosition b = change.position();
        return change.table() == first.table() && change.operation() == first.operation()
                && a.endPosition() == b.endPosition() && a.file().equals(b.file()) && a.txId().equals(b.txId());
    }

    void add(RowChange change) {
        rows.add(change);
    }

    /** The rows held, in binlog order; the batch is empty after. */
    List<RowChange> take() {
        List<RowChange> taken = List.copyOf(rows);
        rows.clear();
        return taken;
    }
}
