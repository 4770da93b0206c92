package io.sluice.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Kafka helpers: topics whose record timestamps are the broker's append time, end offsets, reads. */
final class Topics implements AutoCloseable {

    private final String bootstrap;
    private final Admin admin;
    private final KafkaConsumer<byte[], byte[]> offsets;

    Topics(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        this.admin = Admin.create(p);
        this.offsets = consumer();
    }

    KafkaConsumer<byte[], byte[]> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 << 20));
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 << 20));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Creates a 1-partition topic with {@code message.timestamp.type=LogAppendTime}: every record's
     * timestamp is the time the broker appended it, which is what throughput is measured with.
     */
    void create(String topic) throws Exception {
        create(topic, 1);
    }

    void create(String topic, int partitions) throws Exception {
        NewTopic t = new NewTopic(topic, partitions, (short) 1)
                .configs(Map.of("message.timestamp.type", "LogAppendTime"));
        admin.createTopics(List.of(t)).all().get();
    }

    /** Deletes earlier runs' topics with this prefix (best effort: they only take disk). */
    void deleteWithPrefix(String prefix) {
        try {
            Set<String> names = admin.listTopics().names().get().stream()
                    .filter(n -> n.startsWith(prefix)).collect(Collectors.toSet());
            if (!names.isEmpty()) admin.deleteTopics(names).all().get();
        } catch (Exception e) {
            System.err.println("could not delete old topics: " + e);
        }
    }

    /** The last stable offsets (read_committed ends) of every partition. */
    Map<TopicPartition, Long> ends(String topic) {
        List<TopicPartition> tps = offsets.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        return offsets.endOffsets(tps);
    }

    long endSum(String topic) {
        return ends(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Reads every partition from {@code from} until {@code count} records or {@code timeoutMs} with nothing new. */
    long readAll(String topic, Map<TopicPartition, Long> from, long count, long timeoutMs, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            return drain(c, count, timeoutMs, sink);
        }
    }

    /** Waits until a record containing {@code text} appears in any partition at or after {@code from}. */
    boolean awaitAll(String topic, Map<TopicPartition, Long> from, String text, long timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.assign(from.keySet());
            from.forEach(c::seek);
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (contains(r.value(), text)) return true;
                }
            }
        }
        return false;
    }

    /** The last stable offset (read_committed end) of partition 0. */
    long end(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        return offsets.endOffsets(List.of(tp)).get(tp);
    }

    /**
     * Reads data records of partition 0 from {@code from}, handing each to {@code sink}, until
     * {@code count} records were read or {@code timeoutMs} passed with nothing new; returns how many.
     */
    long read(String topic, long from, long count, long timeoutMs, Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.assign(List.of(tp));
            c.seek(tp, from);
            return drain(c, count, timeoutMs, sink);
        }
    }

    /** True when the bytes contain the UTF-8 text (probe rows carry a nonce in a string column). */
    static boolean contains(byte[] data, String text) {
        if (data == null) return false;
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + t.length <= data.length; i++) {
            for (int j = 0; j < t.length; j++) if (data[i + j] != t[j]) continue outer;
            return true;
        }
        return false;
    }

    /** Waits until a record containing {@code text} appears at or after {@code from}. */
    boolean await(String topic, long from, String text, long timeoutMs) {
        TopicPartition tp = new TopicPartition(topic, 0);
        long deadline = System.currentTimeMillis() + timeoutMs;
        try (KafkaConsumer<byte[], byte[]> c = consumer()) {
            c.assign(List.of(tp));
            c.seek(tp, from);
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (contains(r.value(), text)) return true;
                }
            }
        }
        return false;
    }

    static List<String> list(String... s) { return new ArrayList<>(Arrays.asList(s)); }

    @Override
    public void close() {
        offsets.close();
        admin.close();
    }

    /** Polls {@code c} into {@code sink} until {@code count} records, or nothing new for {@code timeoutMs}; the records taken. */
    private static long drain(KafkaConsumer<byte[], byte[]> c, long count, long timeoutMs,
                              Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        long n = 0, idleSince = System.currentTimeMillis();
        while (n < count && System.currentTimeMillis() - idleSince < timeoutMs) {
            ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(200));
            if (!rs.isEmpty()) idleSince = System.currentTimeMillis();
            for (ConsumerRecord<byte[], byte[]> r : rs) {
                sink.accept(r);
                if (++n == count) break;
            }
        }
        return n;
    }
}
