package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.it.support.Servers;
import io.sluice.sink.kafka.KafkaTarget;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link KafkaTarget#certainlyEmpty}, which lets the start-up skip the consumers that read a checkpoint topic and
 * the record topics' tails: only a topic with nothing in it, committed or not, may be called empty; a record, a
 * transaction still open, a missing topic or a broker that cannot tell all say "not empty", and the caller reads.
 */
class TopicEmptinessIT {

    private static KafkaTarget target(String bootstrap, int partitions) {
        JobConfig.Target config = new JobConfig.Target();
        config.bootstrapServers = bootstrap;
        config.topic = "unused";
        config.connectTimeoutSeconds = 10;
        config.setPartitions(partitions);
        return KafkaTarget.sharingAdmin(config);
    }

    @ParameterizedTest
    @ValueSource(strings = {"current", "0.10"})
    void onlyATopicWithNothingInItIsEmpty(String broker) throws Exception {
        String bootstrap = broker.equals("current") ? Servers.kafkaBootstrap() : Servers.kafka010Bootstrap();
        String empty = "it-empty-" + System.nanoTime();
        String written = empty + "-written";
        try (KafkaTarget target = target(bootstrap, 1)) {
            target.ensureTopics(List.of(empty, written), true);
            // a 0.10 broker cannot answer the Admin client's offset lookups: it may only ever say "not empty"
            if (broker.equals("current")) assertTrue(target.certainlyEmpty(List.of(empty)), "a new topic");
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "enable.idempotence", "false"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(written, new byte[] {1})).get();
            }
            assertFalse(target.certainlyEmpty(List.of(written)), "a topic with a record");
            assertFalse(target.certainlyEmpty(List.of(empty, written)), "one of two topics has a record");
            assertFalse(target.certainlyEmpty(List.of(empty + "-missing")), "a missing topic");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void aTransactionStillOpenIsNotEmpty(int partitions) throws Exception {
        String bootstrap = Servers.kafkaBootstrap();
        String topic = "it-empty-open-" + partitions + "-" + System.nanoTime();
        try (KafkaTarget target = target(bootstrap, partitions);
             var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "transactional.id", topic),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            target.ensureTopics(List.of(topic), true);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, partitions - 1, null, new byte[] {1})).get(); // the last partition only
            assertFalse(target.certainlyEmpty(List.of(topic)), "an open transaction's record hides nothing from this check");
            producer.abortTransaction();
            assertFalse(target.certainlyEmpty(List.of(topic)), "an aborted transaction leaves its record and marker in the log");
        }
    }
}
