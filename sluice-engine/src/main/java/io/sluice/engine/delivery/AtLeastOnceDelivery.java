package io.sluice.engine.delivery;

import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.LocalStateStore;
import io.sluice.sink.kafka.KafkaSink;
import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.sink.kafka.TopicWatch;

/**
 * Idempotent producer and a local checkpoint file (brokers without transactions, or by choice):
 * a commit waits for every record to be acknowledged, then saves the checkpoint. After a crash the
 * changes since the last commit are written again, with new, higher ids consumers can drop repeats by.
 */
public final class AtLeastOnceDelivery implements Delivery {

    private final KafkaSink sink;
    private final LocalStateStore store;
    private final TopicWatch topics;
    private final String sourceServer;

    /**
     * @param topics checked before each commit (at most once a second); their ids go into each checkpoint
     * @param sourceServer the source server's identity, stamped on each checkpoint
     */
    public AtLeastOnceDelivery(KafkaSink sink, LocalStateStore store, TopicWatch topics, String sourceServer) {
        this.sourceServer = sourceServer;
        this.sink = sink;
        this.topics = topics;
        this.store = store;
    }

    @Override
    public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        sink.send(topic, partition, key, value, origin);
    }

    @Override
    public boolean releasesValueOnSend() { return sink.releasesValueOnSend(); }

    /** The file always holds the full schema history: it is replaced whole at every commit. */
    @Override
    public void commit(Checkpoint checkpoint) {
        sink.flush();
        topics.verify();
        if (checkpoint.schemaHistory() != null) history = checkpoint.schemaHistory();
        store.save(checkpoint.withSchemaHistory(history).withTopicIds(topics.ids()).withSourceServerIfNone(sourceServer));
    }

    private String history;

    @Override public void abort() { }

    @Override public Checkpoint lastCommitted() { return store.load(); }

    @Override public boolean exactlyOnce() { return false; }

    @Override public int commitIntervalMs() { return 1000; }

    @Override public void close() { sink.close(); }
}
