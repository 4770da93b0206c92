package io.sluice.sink.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.ToLongFunction;

/** Reads the last records of every partition of a topic: how a restarted job finds the highest id written. */
public final class TopicTail {

    private static final int TAIL = 64;

    private TopicTail() {}

    /** The largest value {@code idOf} returns over target.topic's last records, or -1 for an empty topic. */
    public static long maxId(KafkaTarget target, ToLongFunction<byte[]> idOf) {
        return maxId(target, target.config().topic, idOf);
    }

    /** The largest value {@code idOf} returns over the last records of {@code topic}, or -1 for an empty topic. */
    public static long maxId(KafkaTarget target, String topic, ToLongFunction<byte[]> idOf) {
        Properties c = target.consumerProperties();
        // read_uncommitted: ids of aborted records are skipped too, never reused
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        long max = -1;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(PartitionInfo::partition).map(n -> new TopicPartition(topic, n)).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition tp : partitions) {
                if (end.get(tp) > begin.get(tp)) consumer.seek(tp, Math.max(begin.get(tp), end.get(tp) - TAIL));
                else consumer.pause(List.of(tp));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the tail of topic " + topic + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) max = Math.max(max, idOf.applyAsLong(r.value()));
                }
            }
        }
        return max;
    }
}
