package io.sluice.connect;

import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Delivery through the Connect worker: the engine's Kafka transaction becomes a group of source
 * records that {@link SluiceSourceTask#poll()} hands out whole, closed by the checkpoint marker(s).
 *
 * <p>{@link #send} buffers the records of the open transaction; {@link #commit} appends the marker
 * records the CLI writes to its checkpoint topic (the schema history when it changed, then the
 * checkpoint; same topic, key and value) and releases the group. The markers carry the Connect
 * source offsets, so the worker commits the checkpoint in the Kafka transaction of the records it
 * covers ({@code transaction.boundary=connector}: the task asks for a commit at each group's last
 * record). Connect thus never holds part of a source transaction: {@link #abort} drops the group
 * not released yet.
 *
 * <p>Data records carry the checkpoint partition with the <em>previous</em> checkpoint's offset:
 * an at-least-once worker commits, per source partition, the offset of the last record of a fully
 * acknowledged prefix, which is then always a checkpoint whose records are all written (a null
 * offset there would delete the stored checkpoint).
 *
 * <p>Released groups are taken to be committed ({@link #lastCommitted}): the worker either commits
 * them in order or fails the task, whose restart reads the offsets again.
 */
final class ConnectDelivery implements Delivery {

    /** Released groups the worker has not polled yet, before {@link #commit} waits (memory: groups of up to transactionMaxRecords). */
    static final int MAX_RELEASED = 3;

    private final String job;
    private final boolean exactlyOnce;
    private final int commitIntervalMs;
    private final Map<String, Object> checkpointPartition;
    private final Map<String, Object> historyPartition;

    /** The engine's thread only. */
    private final List<SourceRecord> open = new ArrayList<>();
    private volatile DeliveryFactory.Setup setup;

    private final Object lock = new Object();
    private final Deque<List<SourceRecord>> released = new ArrayDeque<>();
    private boolean stopping;
    /** The last released checkpoint (else the one read from Connect at start) and the schema history that goes with it. */
    private Checkpoint lastCheckpoint;
    private Map<String, Object> lastCheckpointOffset;
    private String history;

    /**
     * @param start the checkpoint read from Connect's offsets at task start (null: none), with its schema history
     * @param startOffset its raw offset, carried by data records until the first release
     */
    ConnectDelivery(String job, boolean exactlyOnce, int commitIntervalMs, Checkpoint start, Map<String, Object> startOffset) {
        this.job = job;
        this.exactlyOnce = exactlyOnce;
        this.commitIntervalMs = commitIntervalMs;
        this.checkpointPartition = ConnectOffsets.checkpointPartition(job);
        this.historyPartition = ConnectOffsets.historyPartition(job);
        this.lastCheckpoint = start == null ? null : start.withSchemaHistory(null);
        this.history = start == null ? null : start.schemaHistory();
        this.lastCheckpointOffset = startOffset;
    }

    /** A session starts: the record topics and source server it stamps checkpoints with. */
    ConnectDelivery open(DeliveryFactory.Setup setup) {
        this.setup = setup;
        open.clear();
        return this;
    }

    @Override public void send(int partition, byte[] value) { send(null, partition, value); }

    @Override public void send(String topic, int partition, byte[] value) {
        open.add(record(topic != null ? topic : setup.target().config().topic, partition, null, value, checkpointPartition, offsetBefore()));
    }

    @Override public void send(String topic, int partition, byte[] value, RecordOrigin origin) { send(topic, partition, value); }

    private Map<String, Object> offsetBefore() {
        synchronized (lock) {
            return lastCheckpointOffset;
        }
    }

    /** Appends the marker records and releases the group; waits while {@link #MAX_RELEASED} groups are not polled yet. */
    @Override
    public void commit(Checkpoint checkpoint) {
        DeliveryFactory.Setup s = setup;
        s.topics().verify();
        String checkpointTopic = s.checkpointTopic().name();
        if (checkpoint.schemaHistory() != null) {
            open.add(record(checkpointTopic, 0, bytes(job + "/schema-history"), bytes(checkpoint.schemaHistory()),
                    historyPartition, ConnectOffsets.historyOffset(checkpoint.schemaHistory())));
        }
        Checkpoint marker = checkpoint.withSchemaHistory(null).withTopicIds(s.topics().ids()).withSourceServer(s.sourceServer());
        byte[] json = marker.toJson();
        Map<String, Object> offset = ConnectOffsets.checkpointOffset(json);
        open.add(record(checkpointTopic, 0, bytes(job), json, checkpointPartition, offset));
        List<SourceRecord> group = new ArrayList<>(open);
        open.clear();
        synchronized (lock) {
            try {
                while (released.size() >= MAX_RELEASED && !stopping) lock.wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TaskStoppingException("interrupted while the worker had not taken the last records");
            }
            if (stopping) throw new TaskStoppingException("the task is stopping: its last records are not written");
            released.add(group);
            lastCheckpoint = marker;
            lastCheckpointOffset = offset;
            if (checkpoint.schemaHistory() != null) history = checkpoint.schemaHistory();
            lock.notifyAll();
        }
    }

    /**
     * The released groups, oldest first, waiting up to {@code timeoutMs} for one; empty when none.
     * Each group ends with its checkpoint marker.
     */
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

    /** The task stops: nothing more is polled, so a commit waiting for room gives up (its group is not written). */
    void stop() {
        synchronized (lock) {
            stopping = true;
            released.clear();
            lock.notifyAll();
        }
    }

    @Override public void abort() { open.clear(); }

    @Override
    public Checkpoint lastCommitted() {
        synchronized (lock) {
            return lastCheckpoint == null ? null : lastCheckpoint.withSchemaHistory(history);
        }
    }

    @Override public boolean exactlyOnce() { return exactlyOnce; }

    @Override public int commitIntervalMs() { return commitIntervalMs; }

    /** The session ends: what it had not committed is dropped (the worker's producer is not this delivery's to close). */
    @Override public void close() { open.clear(); }

    /** Records buffered in the open transaction (tests). */
    int openRecords() { return open.size(); }

    private static SourceRecord record(String topic, int partition, byte[] key, byte[] value, Map<String, Object> sourcePartition,
                                       Map<String, Object> sourceOffset) {
        return new SourceRecord(sourcePartition, sourceOffset, topic, partition,
                Schema.OPTIONAL_BYTES_SCHEMA, key, Schema.BYTES_SCHEMA, value);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
