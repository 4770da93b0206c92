package io.sluice.engine.delivery;

import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;

/** How records reach Kafka and how their checkpoint is made durable with them. */
public interface Delivery extends AutoCloseable {

    /**
     * One record for {@code topic} (null: target.topic) into what the next {@link #commit} makes
     * durable. {@code key}: the format's Kafka key (null: none, as DTS Avro and Canal JSON records
     * have; Debezium JSON records are keyed by the primary key). {@code origin} names the record in
     * the error that stops the job if Kafka refuses it for its size (null: unnamed).
     */
    void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin);

    /** A record without key for target.topic. */
    default void send(int partition, byte[] value) { send(null, partition, null, value, null); }

    /** A record without key for {@code topic}. */
    default void send(String topic, int partition, byte[] value) { send(topic, partition, null, value, null); }

    /**
     * Whether {@link #send} is done with {@code value} when it returns, so that the caller may write the
     * next record into the same array: the Kafka producer copies a record into its batch during the send,
     * unless an interceptor of the producer ({@code interceptor.classes}) might keep it. Default: no
     * (a delivery that holds records, as the Kafka Connect task's does until the worker polls them).
     */
    default boolean releasesValueOnSend() { return false; }

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

    /**
     * Whether a Kafka transaction is committed as soon as the source is caught up (a source
     * transaction ended and nothing more is queued), not only at {@link #commitIntervalMs}: where a
     * commit is cheap enough to trade for latency. Default: no.
     */
    default boolean commitsWhenCaughtUp() { return false; }

    @Override void close();
}
