package io.sluice.it.support;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.ToIntFunction;

/** Reads partition 0 of a topic as it is (key and value bytes), read_committed: for the JSON formats. */
public final class RawTopic implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    public RawTopic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, "20000000");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        consumer.seekToBeginning(consumer.assignment());
    }

    /** Polls until at least {@code count} records arrived (or the timeout passed); returns all read so far. */
    public List<ConsumerRecord<byte[], byte[]>> await(int count, Duration timeout) {
        return awaitRows(r -> 1, count, timeout);
    }

    /**
     * Polls until the records read so far hold at least {@code rows} rows, {@code rowsOf} counting each
     * record's (a batched Canal message holds several), or the timeout passed; returns all read so far.
     */
    public List<ConsumerRecord<byte[], byte[]>> awaitRows(ToIntFunction<ConsumerRecord<byte[], byte[]>> rowsOf, int rows,
                                                         Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) seen += rowsOf.applyAsInt(r);
        while (seen < rows && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(r);
                seen += rowsOf.applyAsInt(r);
            }
        }
        return List.copyOf(records);
    }

    /** Polls until nothing new arrives for {@code quiet}; returns all read so far. */
    public List<ConsumerRecord<byte[], byte[]>> drain(Duration quiet) {
        while (true) {
            int before = records.size();
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(quiet)) records.add(r);
            if (records.size() == before) return List.copyOf(records);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
