package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.it.support.Servers;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TransactionalKafkaSink;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checkpoint partition joins each Kafka transaction with its first record (issue 15: it joined
 * only when the commit sent the checkpoint, one AddPartitionsToTxn round trip more on every commit's
 * way), through a copy of the last committed checkpoint; what readers of the checkpoint topic get
 * stays the last committed checkpoint, after commits and aborts alike.
 */
class CheckpointPartitionIT {

    private static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void checkpointPartitionJoinsWithTheFirstRecordAndReadersStillGetTheLastCommittedCheckpoint() throws Exception {
        String topic = "it-ckpart-" + System.nanoTime();
        String checkpointTopic = topic + "-checkpoints";
        String job = "ckpart-" + System.nanoTime();
        JobConfig.Target config = new JobConfig.Target();
        config.bootstrapServers = Servers.kafkaBootstrap();
        config.topic = topic;
        KafkaTarget target = new KafkaTarget(config);
        target.ensureTopic();
        CheckpointTopic checkpoints = new CheckpointTopic(target, checkpointTopic);
        checkpoints.ensureExists();
        TopicPartition checkpointPartition = new TopicPartition(checkpointTopic, 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()));
             TransactionalKafkaSink sink = TransactionalKafkaSink.open(target, checkpointTopic, job)) {
            sink.send(0, bytes("r1"));
            sink.commit(bytes("c1")); // the sink's first transaction: no checkpoint of its own to copy yet

            sink.send(0, bytes("r2"));
            awaitInTransaction(admin, "sluice-" + job, checkpointPartition);
            sink.commit(bytes("c2"));
            assertEquals("c2", last(checkpoints, job));

            sink.send(0, bytes("r3"));
            awaitInTransaction(admin, "sluice-" + job, checkpointPartition);
            sink.abort();
            assertEquals("c2", last(checkpoints, job), "an aborted transaction's copy is not read");

            sink.send(0, bytes("r4"));
            sink.commit(bytes("c4"));
            assertEquals("c4", last(checkpoints, job));
            assertEquals(List.of("c1", "c1", "c2", "c2", "c4"), committedValues(checkpointTopic, job),
                    "each transaction after the first: a copy of the last committed checkpoint, then its own");
        } finally {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
                admin.deleteTopics(List.of(topic, checkpointTopic)).all().get();
            }
        }
    }

    /** Waits until the broker lists {@code partition} in the open transaction of {@code transactionalId}. */
    private static void awaitInTransaction(Admin admin, String transactionalId, TopicPartition partition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<TopicPartition> in = Set.of();
        while (System.nanoTime() < deadline) {
            TransactionDescription d = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get();
            in = d.topicPartitions();
            if (in.contains(partition)) return;
            Thread.sleep(20);
        }
        assertTrue(in.contains(partition), "before the commit, the open transaction holds only " + in + ", not " + partition);
    }

    private static String last(CheckpointTopic checkpoints, String job) {
        return new String(checkpoints.readLast(job).get(job), StandardCharsets.UTF_8);
    }

    /** The job key's values a read_committed consumer reads, in order. */
    private static List<String> committedValues(String checkpointTopic, String job) {
        Map<String, Object> c = Map.of("bootstrap.servers", Servers.kafkaBootstrap(), "isolation.level", "read_committed",
                "enable.auto.commit", "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(checkpointTopic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (job.equals(new String(r.key(), StandardCharsets.UTF_8))) values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
