package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;

/**
 * Writes records in Kafka transactions (brokers 0.11+). Each {@link #commit(byte[])} adds the
 * checkpoint to the checkpoint topic in the same transaction, so data and position become visible
 * to {@code read_committed} consumers together or not at all. The transactional id is fixed per
 * job: a new instance fences any older one still running, and the older one, once it notices
 * (its next send or commit), throws {@link JobTakenOverException} so that its job stops.
 */
public final class TransactionalKafkaSink implements AutoCloseable {

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Object> producerConfig;
    /** The first record Kafka refused for its size (set from the producer's callbacks). */
    private volatile RecordRefused refused;
    private final String topic;
    private final String checkpointTopic;
    private final byte[] checkpointKey;
    private final String jobName;
    private boolean inTransaction;
    /** The checkpoint of this sink's last commit (null before its first), written again by {@link #addCheckpointPartitionEarly}. */
    private byte[] lastCommitted;
    /** Whether the open transaction already has a record for the checkpoint topic. */
    private boolean checkpointPartitionAdded;

    private TransactionalKafkaSink(KafkaProducer<byte[], byte[]> producer, Map<String, Object> producerConfig, String topic,
                                   String checkpointTopic, String jobName) {
        this.producer = producer;
        this.producerConfig = producerConfig;
        this.topic = topic;
        this.checkpointTopic = checkpointTopic;
        this.checkpointKey = jobName.getBytes(StandardCharsets.UTF_8);
        this.jobName = jobName;
    }

    /**
     * Opens a transactional producer, or returns null when the brokers do not support transactions
     * (older than 0.11), so the caller can fall back to at-least-once delivery.
     */
    public static TransactionalKafkaSink open(KafkaTarget target, String checkpointTopic, String jobName) {
        Properties p = KafkaSink.producerProperties(target);
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sluice-" + jobName);
        // Within a transaction, a record that cannot be delivered in 2 minutes fails the transaction;
        // the job then aborts and resumes from its last checkpoint. target.producer may set other bounds.
        Map<String, String> user = target.config().producer;
        p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(user.getOrDefault(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "600000")));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(user.getOrDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000")));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(user.getOrDefault(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000")));
        // A transaction's first AddPartitionsToTxn is refused (CONCURRENT_TRANSACTIONS) while the broker
        // still writes the previous commit's markers; kafka-clients 3.x then stops its sender thread for
        // min(retry.backoff.ms, 20 ms) before retrying. 5 ms instead of 20 takes most of that step out of
        // the latency tail (bench/analysis.md, Latency); other retries still back off exponentially from
        // it up to retry.backoff.max.ms (1 s).
        p.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "5");
        Map<String, Object> config = KafkaTarget.asMap(p);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        try {
            producer.initTransactions();
        } catch (UnsupportedVersionException e) {
            producer.close(java.time.Duration.ofSeconds(3));
            return null;
        } catch (RuntimeException e) {
            producer.close(java.time.Duration.ofSeconds(3)); // Kafka unreachable: do not wait for it once more
            throw e;
        }
        return new TransactionalKafkaSink(producer, config, target.config().topic, checkpointTopic, jobName);
    }

    public void send(int partition, byte[] value) {
        send(topic, partition, value, null);
    }

    /** A record for another topic (the DDL topic), in the same transaction. */
    public void send(String topic, int partition, byte[] value) {
        send(topic, partition, value, null);
    }

    /**
     * A record for {@code topic} (null: target.topic) in the current transaction; {@code origin}
     * names it if Kafka refuses it for its size (a {@link SluiceException}, here or at a later call).
     */
    public void send(String topic, int partition, byte[] value, RecordOrigin origin) {
        send(topic, partition, null, value, origin);
    }

    /** {@link #send(String, int, byte[], RecordOrigin)} under a record key (null: none). */
    public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        throwIfRefused();
        String to = topic == null ? this.topic : topic;
        int size = value.length;
        try { // per record: no Runnable for sizeGuarded, which a failure replays below
            begin();
            producer.send(new ProducerRecord<>(to, partition, key, value), (metadata, e) -> {
                if (e != null && refused == null) refused = RecordRefused.of(e, to, size, origin);
            });
            addCheckpointPartitionEarly();
        } catch (KafkaException e) {
            sizeGuarded(() -> { throw e; }); // the same translation as every other call (fence, grant, refused record)
        }
        throwIfRefused(); // the producer's own size checks answer at once
    }

    /** The caller may reuse a value's array once {@link #send} returned: see {@link KafkaSink#releasesValueOnSend(Map)}. */
    public boolean releasesValueOnSend() { return KafkaSink.releasesValueOnSend(producerConfig); }

    private void throwIfRefused() {
        RecordRefused r = refused;
        if (r != null) throw r.toException(producerConfig);
    }

    /** Adds a record under its own key to the checkpoint topic, in the current transaction. */
    public void sendCheckpoint(String key, byte[] value) {
        sizeGuarded(() -> {
            begin();
            producer.send(new ProducerRecord<>(checkpointTopic, 0, key.getBytes(StandardCharsets.UTF_8), value));
            checkpointPartitionAdded = true;
        });
    }

    /**
     * Right after a transaction's first record, the last committed checkpoint again, so that the
     * producer adds the checkpoint partition to the transaction with the record's partition (one
     * AddPartitionsToTxn, while the transaction fills) instead of in a round trip of its own when
     * {@link #commit} sends the new checkpoint: one round trip less on every commit's way
     * (bench/analysis.md, Latency). Readers take a key's last committed value: the new checkpoint
     * follows the copy in the same transaction, or the transaction aborts and the copy is the value
     * in force anyway. No new key, so no other job's key can collide with it; compaction drops the copy.
     */
    private void addCheckpointPartitionEarly() {
        if (checkpointPartitionAdded || lastCommitted == null) return;
        producer.send(new ProducerRecord<>(checkpointTopic, 0, checkpointKey, lastCommitted));
        checkpointPartitionAdded = true;
    }

    /** Writes the checkpoint and commits everything sent since the last commit, atomically. */
    public void commit(byte[] checkpoint) {
        throwIfRefused();
        sizeGuarded(() -> {
            begin();
            producer.send(new ProducerRecord<>(checkpointTopic, 0, checkpointKey, checkpoint));
            producer.commitTransaction();
        });
        inTransaction = false;
        lastCommitted = checkpoint;
    }

    /** Drops everything sent since the last commit. */
    public void abort() {
        if (inTransaction) {
            try {
                guarded(producer::abortTransaction);
            } finally {
                inTransaction = false;
            }
        }
    }

    /**
     * Runs a producer call, turning a fence into {@link JobTakenOverException} (the job stops) and a
     * refused transactional id into the grant to add; other Kafka failures pass as they are (transient).
     */
    private void guarded(Runnable call) {
        try {
            call.run();
        } catch (KafkaException e) {
            if (JobTakenOverException.isFence(e)) throw new JobTakenOverException(jobName, e);
            if (e instanceof TransactionalIdAuthorizationException || e.getCause() instanceof TransactionalIdAuthorizationException) {
                throw new SluiceException("Kafka refused transactional id sluice-" + jobName + ": " + e.getMessage(),
                        "grant Sluice's principal WRITE and DESCRIBE on transactional id sluice-" + jobName, e);
            }
            throw e;
        }
    }

    /** {@link #guarded}, and a transaction failed because of a refused record says which record, not "error state". */
    private void sizeGuarded(Runnable call) {
        try {
            guarded(call);
        } catch (KafkaException e) {
            throwIfRefused();
            throw e;
        }
    }

    private void begin() {
        if (!inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
            checkpointPartitionAdded = false;
        }
    }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(3)); // bounded: a stop must not wait for a Kafka that is down
    }
}
