package io.sluice.engine.init;

import io.sluice.core.model.RowChange;

import java.util.ArrayDeque;

/**
 * The dispatcher's last stream rows, noted in each chunk as it opens, as if its window had opened
 * that much earlier. This closes a race of the watermarks: MySQL writes a transaction to the binlog
 * before the storage engine makes it visible, so a chunk's SELECT can miss a change the stream has
 * already handled before the chunk opened; its stale row would then be written after that change.
 * Widening a window is always safe: a row the stream touched is left to the stream's records.
 */
public final class RecentStreamRows {

    private final int capacity;
    private final ArrayDeque<RowChange> rows;

    /** @param capacity rows kept: far more than can be handled between a binlog write and its engine commit */
    public RecentStreamRows(int capacity) {
        this.capacity = capacity;
        this.rows = new ArrayDeque<>(capacity);
    }

    public void add(RowChange change) {
        if (rows.size() == capacity) rows.removeFirst();
        rows.addLast(change);
    }

    /** Notes the recent rows in a chunk that is opening (oldest first, as the stream handled them). */
    public void noteIn(PendingChunk chunk) {
        for (RowChange change : rows) chunk.onStreamRow(change);
    }

    public void clear() {
        rows.clear();
    }
}
