package io.sluice.connect;

import io.sluice.engine.state.Checkpoint;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The hand-off between the engine and the worker, for the task's whole life (across the engine's
 * sessions): groups of records released by {@link ConnectDelivery#commit}, each closed by its
 * checkpoint marker, taken by {@link SluiceSourceTask#poll()}; and the last released checkpoint,
 * which is where the engine resumes after a session failure.
 */
final class ReleasedGroups {

    /** Released groups the worker has not polled yet, before a release waits (memory: groups of up to transactionMaxRecords). */
    static final int MAX_RELEASED = 3;

    private final Object lock = new Object();
    private final Deque<List<SourceRecord>> released = new ArrayDeque<>();
    private boolean stopping;
    /** The last released checkpoint (else the one read from Connect at start), its raw offset, and the schema history that goes with it. */
    private Checkpoint lastCheckpoint;
    private Map<String, Object> lastCheckpointOffset;
    private String history;

    /**
     * @param start the checkpoint read from Connect's offsets at task start (null: none), with its schema history
     * @param startOffset its raw offset, carried by data records until the first release
     */
    ReleasedGroups(Checkpoint start, Map<String, Object> startOffset) {
        this.lastCheckpoint = start == null ? null : start.withSchemaHistory(null);
        this.history = start == null ? null : start.schemaHistory();
        this.lastCheckpointOffset = startOffset;
    }

    /**
     * Hands a group to the worker; waits while {@link #MAX_RELEASED} groups are not polled yet.
     *
     * @param checkpoint the group's checkpoint (without history), @param offset its Connect offset,
     * @param history the schema history when the group changed it, else null
     * @throws TaskStoppingException when the task stops (or the engine's thread is interrupted) first: the group is not released
     */
    void release(List<SourceRecord> group, Checkpoint checkpoint, Map<String, Object> offset, String history) {
        synchronized (lock) {
            try {
                while (released.size() >= MAX_RELEASED && !stopping) lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskStoppingException("interrupted while the worker had not taken the last records");
            }
            if (stopping) throw new TaskStoppingException("the task is stopping: its last records are not written");
            released.add(group);
            lastCheckpoint = checkpoint;
            lastCheckpointOffset = offset;
            if (history != null) this.history = history;
            lock.notifyAll();
        }
    }

    /** The released groups, oldest first, waiting up to {@code timeoutMs} for one; empty when none. */
    List<List<SourceRecord>> take(long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (lock) {
            while (released.isEmpty() && !stopping) {
                long left = deadline - System.nanoTime();
                if (left <= 0) break;
                TimeUnit.NANOSECONDS.timedWait(lock, left);
            }
            List<List<SourceRecord>> groups = new ArrayList<>(released);
            released.clear();
            lock.notifyAll();
            return groups;
        }
    }

    /** The task stops: nothing more is polled, so a release waiting for room gives up (its group is not written). */
    void stop() {
        synchronized (lock) {
            stopping = true;
            released.clear();
            lock.notifyAll();
        }
    }

    /** The offset of the last released checkpoint (data records carry it), or null before any. */
    Map<String, Object> lastOffset() {
        synchronized (lock) {
            return lastCheckpointOffset;
        }
    }

    /** The last released checkpoint with the schema history in force there, or null. */
    Checkpoint lastCommitted() {
        synchronized (lock) {
            return lastCheckpoint == null ? null : lastCheckpoint.withSchemaHistory(history);
        }
    }
}
