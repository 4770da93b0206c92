package io.sluice.connect;

import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Delivery through the Connect worker, for one engine session: the engine's Kafka transaction
 * becomes a group of source records that {@link SluiceSourceTask#poll()} hands out whole, closed by
 * the checkpoint marker(s).
 *
 * <p>{@link #send} buffers the records of the open transaction; {@link #commit} appends the marker
 * records the CLI writes to its checkpoint topic (the schema history when it changed, then the
 * checkpoint; same topic, key and value) and releases the group ({@link ReleasedGroups}). The
 * markers carry the Connect source offsets, so the worker commits the checkpoint in the Kafka
 * transaction of the records it covers ({@code transaction.boundary=connector}: the task asks for a
 * commit at each group's last record). Connect thus never holds part of a source transaction:
 * {@link #abort} drops the group not released yet.
 *
 * <p>On an at-least-once worker each checkpoint offset also carries the schema history in force
 * there (the worker commits each source partition's acknowledged prefix apart, so a history kept in
 * a partition of its own could be committed ahead of its checkpoint); the worker writes offsets
 * once per {@code offset.flush.interval.ms}, so that costs one history per flush.
 *
 * <p>Data records carry the checkpoint partition with the <em>previous</em> checkpoint's offset:
 * an at-least-once worker commits, per source partition, the offset of the last record of a fully
 * acknowledged prefix, which is then always a checkpoint whose records are all written (data
 * records without a partition would be tracked apart from the markers, and a null offset there
 * would delete the stored checkpoint).
 *
 * <p>Released groups are taken to be committed ({@link #lastCommitted}): the worker either commits
 * them in order or fails the task, whose restart reads the offsets again. A closed session's
 * delivery takes nothing more (a dispatcher thread that outlived its session cannot add to the next one's groups).
 */
final class ConnectDelivery implements Delivery {

    private final String job;
    private final boolean exactlyOnce;
    private final int commitIntervalMs;
    private final ReleasedGroups groups;
    private final DeliveryFactory.Setup setup;
    private final Map<String, Object> checkpointPartition;
    private final Map<String, Object> historyPartition;
    /** The open transaction's records: the engine's dispatcher thread only. */
    private final List<SourceRecord> open = new ArrayList<>();
    private volatile boolean closed;
    private final OffsetSize offsetSize;
    /** initialization.reinitializeToken recorded in every checkpoint offset, or null. */
    private String reinitializeToken;

    ConnectDelivery(String job, boolean exactlyOnce, int commitIntervalMs, ReleasedGroups groups, DeliveryFactory.Setup setup) {
        this(job, exactlyOnce, commitIntervalMs, groups, setup, new OffsetSize(job, OffsetSize.DEFAULT_LIMIT, setup.checkpointTopic().name()));
    }

    ConnectDelivery(String job, boolean exactlyOnce, int commitIntervalMs, ReleasedGroups groups, DeliveryFactory.Setup setup,
                    OffsetSize offsetSize) {
        this.offsetSize = offsetSize;
        this.job = job;
        this.exactlyOnce = exactlyOnce;
        this.commitIntervalMs = commitIntervalMs;
        this.groups = groups;
        this.setup = setup;
        this.checkpointPartition = ConnectOffsets.checkpointPartition(job);
        this.historyPartition = ConnectOffsets.historyPartition(job);
    }

    /** The key is the format's ({@code debeziumJson}: the primary key), as the CLI writes it. */
    @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        requireOpen();
        open.add(record(topic != null ? topic : setup.target().config().topic, partition, key, value, checkpointPartition, groups.lastOffset()));
    }

    /** Appends the marker records and releases the group; waits while the worker lags (see {@link ReleasedGroups#release}). */
    @Override
    public void commit(Checkpoint checkpoint) {
        requireOpen();
        setup.topics().verify();
        String checkpointTopic = setup.checkpointTopic().name();
        String history = checkpoint.schemaHistory();
        Checkpoint marker = checkpoint.withSchemaHistory(null).withTopicIds(setup.topics().ids()).withSourceServerIfNone(setup.sourceServer());
        byte[] json = marker.toJson();
        Map<String, Object> offset;
        if (exactlyOnce) {
            // the worker commits both offsets in the group's transaction: the history goes apart, only when it changed
            if (history != null) {
                offsetSize.require(ConnectOffsets.historyOffset(history));
                open.add(record(checkpointTopic, 0, bytes(job + "/schema-history"), bytes(history), historyPartition,
                        ConnectOffsets.historyOffset(history)));
            }
            offset = ConnectOffsets.checkpointOffset(json, null, reinitializeToken);
        } else {
            // an at-least-once worker commits each source partition's acknowledged prefix on its own: a history in a
            // partition of its own could be committed ahead of its checkpoint, so each checkpoint carries the history in
            // force, and the history record is one of the group's records (it carries the previous checkpoint)
            if (history != null) {
                open.add(record(checkpointTopic, 0, bytes(job + "/schema-history"), bytes(history), checkpointPartition, groups.lastOffset()));
            }
            String inForce = history != null ? history : groups.lastCommitted() == null ? null : groups.lastCommitted().schemaHistory();
            offset = ConnectOffsets.checkpointOffset(json, inForce, reinitializeToken);
        }
        offsetSize.require(offset);
        open.add(record(checkpointTopic, 0, bytes(job), json, checkpointPartition, offset));
        List<SourceRecord> group = new ArrayList<>(open);
        open.clear();
        groups.release(group, marker, offset, history);
    }

    /** Records {@code token} (initialization.reinitializeToken) in the checkpoint offsets from the next commit on. */
    ConnectDelivery recordingToken(String token) {
        this.reinitializeToken = token;
        return this;
    }

    private void requireOpen() {
        if (closed) throw new TaskStoppingException("this engine session has ended");
    }

    @Override public void abort() { open.clear(); }

    @Override public Checkpoint lastCommitted() { return groups.lastCommitted(); }

    @Override public boolean exactlyOnce() { return exactlyOnce; }

    @Override public int commitIntervalMs() { return commitIntervalMs; }

    /**
     * On an exactly-once worker, as the CLI's transactions: a group is released as soon as the source
     * is caught up. A group is always whole source transactions closed by the checkpoint that covers
     * them, and the worker commits each one in its own transaction with its offsets, so a smaller group
     * changes neither what is written once nor where a restart resumes. A worker that lags makes
     * {@link ReleasedGroups#release} wait, and the dispatcher's group-commit pause (as long as that
     * commit took) then lets groups grow again. At least once it keeps to the interval, as the CLI's
     * at-least-once delivery does (each group adds a checkpoint record, and an offset carrying the schema history).
     */
    @Override public boolean commitsWhenCaughtUp() { return exactlyOnce; }

    /** The session ends: what it had not committed is dropped (the worker's producer is not this delivery's to close). */
    @Override
    public void close() {
        closed = true;
    }

    /** Records buffered in the open transaction (tests). */
    int openRecords() { return open.size(); }

    private static SourceRecord record(String topic, int partition, byte[] key, byte[] value, Map<String, Object> sourcePartition,
                                       Map<String, Object> sourceOffset) {
        return new SourceRecord(sourcePartition, sourceOffset, topic, partition,
                Schema.OPTIONAL_BYTES_SCHEMA, key, Schema.BYTES_SCHEMA, value);
    }

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }
}
