package io.sluice.engine.init;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.TableId;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The initialization's side of the dispatcher (the DBLog reconciliation): the chunks readers opened,
 * the stream rows each window saw ({@link PendingChunk}, {@link RecentStreamRows}), how far the
 * stream has got, and which chunks are ready to be written. The dispatcher feeds it the stream in
 * binlog order and, at a transaction boundary, writes the batch {@link #takeReady} hands back.
 *
 * <p>Threads: {@link #open} on the {@link Initializer}'s chunk readers', and {@link #streamPosition} read there too;
 * everything else on the dispatcher's.
 */
public final class ChunkReconciler {

    /** Stream rows kept for chunks yet to open: far more than can be handled between a binlog write and its engine commit. */
    static final int RECENT_ROWS = 4_096;

    /** Chunks opened by readers, not yet seen by the dispatcher thread. */
    private final ConcurrentLinkedQueue<PendingChunk> opened = new ConcurrentLinkedQueue<>();
    /** Stream rows handled just before a chunk opened count as in its window (see {@link RecentStreamRows}). */
    private final RecentStreamRows recentRows = new RecentStreamRows(RECENT_ROWS);
    /** Chunks in their window or waiting to be written, in the order they were opened. */
    private final List<PendingChunk> open = new ArrayList<>();
    /** Whether stream rows are still kept for chunks yet to open (until the initialization is complete). */
    private boolean initializing;
    /**
     * The stream has handled every event before this offset (the last commit, or a heartbeat at the binlog end).
     * Volatile: chunk readers read it to tell a stream behind a DDL from a table changed outside the binlog.
     */
    private volatile BinlogOffset streamPosition;

    /**
     * @param streamPosition where the stream starts (the start checkpoint's offset)
     * @param initializing   whether an initialization is still to do (its chunks will open)
     */
    public ChunkReconciler(BinlogOffset streamPosition, boolean initializing) {
        this.streamPosition = streamPosition;
        this.initializing = initializing;
    }

    /** An {@link Initializer} thread (a chunk reader): starts a chunk's reconciliation window; call before reading its low watermark. */
    public void open(PendingChunk chunk) {
        opened.add(chunk);
    }

    /** Dispatcher: before handling the next stream item, takes in the chunks opened since (that item is in their window). */
    public void takeOpened() {
        while (!opened.isEmpty()) {
            PendingChunk chunk = opened.poll();
            recentRows.noteIn(chunk);
            open.add(chunk);
        }
    }

    /** Dispatcher: a stream row was handled (in binlog order). */
    public void onStreamRow(RowChange change) {
        for (PendingChunk chunk : open) chunk.onStreamRow(change);
        if (initializing) recentRows.add(change);
    }

    /** Dispatcher: the stream has handled everything before {@code at} (a commit, or a heartbeat at the binlog end). */
    public void streamReached(BinlogOffset at) {
        if (at.compareTo(streamPosition) > 0) streamPosition = at;
    }

    /** Any thread: where the stream has got (set by the dispatcher only, so never moving back). */
    public BinlogOffset streamPosition() { return streamPosition; }

    public boolean hasOpen() { return !open.isEmpty(); }

    /**
     * Dispatcher, at a transaction boundary: the chunks whose rows arrived and whose high watermark
     * the stream has passed, to be written in this order; they leave the reconciliation. Chunks go
     * in the order opened, and a chunk waits while an earlier one of its table does (a table's
     * chunks are written in key order).
     */
    public List<PendingChunk> takeReady() {
        List<PendingChunk> ready = new ArrayList<>();
        Set<TableId> waiting = new HashSet<>();
        for (Iterator<PendingChunk> it = open.iterator(); it.hasNext(); ) {
            PendingChunk chunk = it.next();
            if (waiting.contains(chunk.table())) continue;
            if (!chunk.readyAt(streamPosition)) {
                waiting.add(chunk.table());
                continue;
            }
            ready.add(chunk);
            it.remove();
        }
        return ready;
    }

    /** Dispatcher: every selected table's rows are written; stream rows need no longer be kept for chunks. */
    public void initializationComplete() {
        initializing = false;
        recentRows.clear();
    }
}
