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
import java.util.function.Consumer;
import java.util.function.Predicate;
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
        if (target.certainlyEmpty(List.of(topic))) return -1; // a new job's topic: no consumer to start
        long[] max = {-1};
        // read_uncommitted: ids of aborted records are skipped too, never reused
        scan(target, List.of(topic), "read_uncommitted", value -> max[0] = Math.max(max[0], idOf.applyAsLong(value)));
        return max[0];
    }

    /** Over the last records of a topic: the largest id (-1: none), and how many records the predicate accepted. */
    public record Summary(long maxId, long matching) {}

    /**
     * {@link #maxId} and how many of the last records {@code matches} accepts; with {@code committedOnly}
     * among committed records only (a second, read_committed pass: aborted records were never delivered).
     */
    public static Summary summary(KafkaTarget target, String topic, ToLongFunction<byte[]> idOf, Predicate<byte[]> matches,
                                  boolean committedOnly) {
        return summary(target, List.of(topic), idOf, matches, committedOnly);
    }

    /** {@link #summary(KafkaTarget, String, ToLongFunction, Predicate, boolean)} over several topics at once (one consumer). */
    public static Summary summary(KafkaTarget target, java.util.Collection<String> topics, ToLongFunction<byte[]> idOf,
                                  Predicate<byte[]> matches, boolean committedOnly) {
        return summaryByTopic(target, topics, topic -> idOf, topic -> matches, committedOnly);
    }

    /** The same over topics of different record formats: the id and the predicate per topic. */
    public static Summary summaryByTopic(KafkaTarget target, java.util.Collection<String> topics,
                                  java.util.function.Function<String, ToLongFunction<byte[]>> idOf,
                                  java.util.function.Function<String, Predicate<byte[]>> matches, boolean committedOnly) {
        if (target.certainlyEmpty(topics)) return new Summary(-1, 0); // a new job's topics: no consumer to start
        long[] max = {-1};
        long[] matching = {0};
        scan(target, topics, "read_uncommitted", (topic, value) -> {
            max[0] = Math.max(max[0], idOf.apply(topic).applyAsLong(value));
            if (!committedOnly && matches.apply(topic).test(value)) matching[0]++;
        });
        if (committedOnly && max[0] >= 0) scan(target, topics, "read_committed", (topic, value) -> {
            if (matches.apply(topic).test(value)) matching[0]++;
        });
        return new Summary(max[0], matching[0]);
    }

    private static void scan(KafkaTarget target, java.util.Collection<String> topics, String isolation, Consumer<byte[]> each) {
        scan(target, topics, isolation, (topic, value) -> each.accept(value));
    }

    private static void scan(KafkaTarget target, java.util.Collection<String> topics, String isolation,
                             java.util.function.BiConsumer<String, byte[]> each) {
        Properties c = target.consumerProperties();
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                        .map(PartitionInfo::partition).map(n -> new TopicPartition(topic, n)).forEach(partitions::add);
            }
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
                    throw new IllegalStateException("could not read the tail of topic(s) " + String.join(", ", topics) + " within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) each.accept(r.topic(), r.value());
                }
            }
        }
    }
}
