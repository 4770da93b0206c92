package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The compacted topic holding each job's last checkpoint (key: job name). Checkpoints are written
 * inside the same Kafka transaction as the records they cover, so a {@code read_committed} read of
 * the last value is exactly where the data stops.
 */
public final class CheckpointTopic {

    private final KafkaTarget target;
    private final String topic;

    public CheckpointTopic(KafkaTarget target, String topic) {
        this.target = target;
        this.topic = topic;
    }

    public String name() { return topic; }

    public void ensureExists() {
        Admin admin = target.admin();
        try {
            NewTopic t = new NewTopic(topic, 1, target.config().replicationFactor)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            try {
                admin.createTopics(List.of(t)).all().get(target.config().connectTimeoutSeconds, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new SluiceException("checkpoint topic " + topic + " does not exist and could not be created: "
                            + e.getCause().getMessage(), "create it as a compacted topic with one partition, or allow Sluice to create topics", e);
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new SluiceException("creating checkpoint topic " + topic + " timed out", "create it by hand (compacted, 1 partition)", e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SluiceException("interrupted while creating " + topic, null, e);
        } finally {
            target.release(admin);
        }
    }

    /** How long a transaction of another producer may hide committed checkpoints before the read gives up. */
    private static final Duration OPEN_TRANSACTION_WAIT = Duration.ofSeconds(60);

    /**
     * The offset up to which every checkpoint committed so far is visible. A read_committed consumer
     * sees up to the last stable offset, which stops at the first still-open transaction: another
     * job sharing this topic (N→1 with the default topic name), or one killed mid-commit, would hide
     * checkpoints this job committed after it, and the job would resume from an older one (repeats).
     * So wait until the stable offset reaches the log end seen now; every commit of this job is below it.
     */
    private long stableEnd(KafkaConsumer<byte[], byte[]> committed, TopicPartition tp) {
        Properties c = target.consumerProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        long logEnd;
        try (KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            logEnd = all.endOffsets(List.of(tp)).get(tp);
        }
        long deadline = System.nanoTime() + OPEN_TRANSACTION_WAIT.toNanos();
        while (true) {
            long stable = committed.endOffsets(List.of(tp)).get(tp);
            if (stable >= logEnd) return stable;
            if (System.nanoTime() > deadline) {
                throw new io.sluice.core.error.TransientException("checkpoint topic " + topic + " has a transaction open at offset " + stable + " of " + logEnd
                        + " for more than " + OPEN_TRANSACTION_WAIT.toSeconds() + " s: checkpoints committed after it cannot be read yet"
                        + " (another job writing to this checkpoint topic, killed mid-transaction?)",
                        "start the other jobs that share this checkpoint topic (their restart ends their open transaction) or wait"
                                + " for their transaction.timeout.ms; give each job its own state.checkpointTopic to keep them apart", null);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SluiceException("interrupted while reading checkpoint topic " + topic, null, e);
            }
        }
    }

    /** The last committed value of each key (absent keys are missing from the map). */
    public Map<String, byte[]> readLast(String... keys) {
        Properties c = target.consumerProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, byte[]> last = new java.util.HashMap<>();
        java.util.Set<String> wanted = java.util.Set.of(keys);
        // nothing in it, committed or open (a new job's topic): no consumer to start, nothing to wait for
        if (target.certainlyEmpty(List.of(topic))) return last;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = stableEnd(consumer, tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (consumer.position(tp) < end) {
                if (System.nanoTime() > deadline) {
                    throw new SluiceException("could not read checkpoint topic " + topic + " within 120 s", "check the brokers' health");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (key != null && wanted.contains(key)) last.put(key, r.value());
                }
            }
        }
        return last;
    }
}
