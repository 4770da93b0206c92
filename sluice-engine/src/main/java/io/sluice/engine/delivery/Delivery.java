package io.sluice.engine.delivery;

import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;

/** How records reach Kafka and how their checkpoint is made durable with them. */
public interface Delivery extends AutoCloseable {

    void send(int partition, byte[] value);

    /** A record for another topic than target.topic (the DDL topic), committed with the same checkpoints. */
    void send(String topic, int partition, byte[] value);

    /**
     * A record for {@code topic} (null: target.topic); {@code origin} names it in the error that
     * stops the job if Kafka refuses it for its size.
     */
    default void send(String topic, int partition, byte[] value, RecordOrigin origin) {
        if (topic == null) send(partition, value);
        else send(topic, partition, value);
    }

    /**
     * {@link #send(String, int, byte[], RecordOrigin)} with a Kafka record key (null: none, as DTS
     * Avro and Canal JSON records have; Debezium JSON records are keyed by the primary key).
     */
    default void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        if (key != null) throw new UnsupportedOperationException(getClass().getSimpleName() + " sends no record keys");
        send(topic, partition, value, origin);
    }

    /** Makes every record sent so far durable, together with the checkpoint that covers them. */
    void commit(Checkpoint checkpoint);

    /** Drops what was sent since the last commit, where the mode can (transactions); else a no-op. */
    void abort();

    /** The last committed checkpoint, or null for a job that never committed. */
    Checkpoint lastCommitted();

    /** True when consumers see each change exactly once (read_committed). */
    boolean exactlyOnce();

    /** How often to commit: short for transactions (latency), longer where a commit is a flush and a file write. */
    int commitIntervalMs();

    @Override void close();
}
