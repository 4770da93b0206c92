package io.sluice.engine.delivery;

import io.sluice.engine.state.Checkpoint;
import io.sluice.core.error.SluiceException;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.sink.kafka.TopicWatch;
import io.sluice.sink.kafka.TransactionalKafkaSink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Kafka transactions: each commit writes the records and their checkpoint atomically. */
public final class ExactlyOnceDelivery implements Delivery {

    private final TransactionalKafkaSink sink;
    private final CheckpointTopic checkpoints;
    private final String jobName;
    private final int commitIntervalMs;
    private final TopicWatch topics;
    private final String sourceServer;

    /**
     * @param topics checked before each commit (at most once a second); their ids go into each checkpoint
     * @param sourceServer the source server's identity, stamped on each checkpoint
     */
    public ExactlyOnceDelivery(TransactionalKafkaSink sink, CheckpointTopic checkpoints, String jobName, int commitIntervalMs,
                               TopicWatch topics, String sourceServer) {
        this.sourceServer = sourceServer;
        this.sink = sink;
        this.topics = topics;
        this.checkpoints = checkpoints;
        this.jobName = jobName;
        this.commitIntervalMs = commitIntervalMs;
    }

    @Override
    public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        sink.send(topic, partition, key, value, origin);
    }

    @Override
    public boolean releasesValueOnSend() { return sink.releasesValueOnSend(); }

    /** The schema history goes under its own key, written only when it changed (it can be large). */
    @Override
    public void commit(Checkpoint checkpoint) {
        topics.verify();
        if (checkpoint.schemaHistory() != null) {
            sink.sendCheckpoint(historyKey(), checkpoint.schemaHistory().getBytes(StandardCharsets.UTF_8));
        }
        sink.commit(checkpoint.withSchemaHistory(null).withTopicIds(topics.ids()).withSourceServerIfNone(sourceServer).toJson());
    }

    private String historyKey() { return jobName + "/schema-history"; }

    @Override public void abort() { sink.abort(); }

    @Override
    public Checkpoint lastCommitted() {
        java.util.Map<String, byte[]> last = checkpoints.readLast(jobName, historyKey());
        if (last.get(jobName) == null) return null;
        try {
            byte[] history = last.get(historyKey());
            return Checkpoint.fromJson(last.get(jobName))
                    .withSchemaHistory(history == null ? null : new String(history, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SluiceException("the last checkpoint of job " + jobName + " in topic " + checkpoints.name()
                    + " is corrupt: " + e.getMessage(),
                    "write a valid checkpoint for the job, or start over with `sluice run --reinitialize`", e);
        }
    }

    @Override public boolean exactlyOnce() { return true; }

    @Override public int commitIntervalMs() { return commitIntervalMs; }

    /** A transaction commit is a few round trips: worth it for latency when the source is caught up. */
    @Override public boolean commitsWhenCaughtUp() { return true; }

    @Override public void close() { sink.close(); }
}
