package io.sluice.it.support;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads a topic back and decodes each value with a generic Avro reader built from the published
 * {@code shared/dts-avro/Record.avsc}, never with Sluice's encoder. Each value must be exactly one
 * Record: trailing bytes fail the decode.
 */
public final class DtsTopic implements AutoCloseable {

    private static final Schema RECORD = loadRecordSchema();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<GenericRecord> records = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();

    public DtsTopic(String bootstrap, String topic, String isolation) {
        this(new Properties(), bootstrap, topic, isolation);
    }

    /** With the client settings a secured listener needs ({@code security.protocol}, {@code ssl.*}). */
    public DtsTopic(Properties client, String bootstrap, String topic, String isolation) {
        Properties p = new Properties();
        p.putAll(client);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(new TopicPartition(topic, 0)));
        consumer.seekToBeginning(consumer.assignment());
    }

    public DtsTopic(String bootstrap, String topic) {
        this(bootstrap, topic, "read_committed");
    }

    /** Polls until at least {@code count} records arrived (or the timeout passed); returns all read so far. */
    public List<GenericRecord> await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) add(r);
        }
        return List.copyOf(records);
    }

    /** Polls once (up to {@code timeout}) and returns the records of this poll (also kept with the others). */
    public List<GenericRecord> pollOnce(Duration timeout) {
        List<GenericRecord> polled = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) polled.add(add(r));
        return polled;
    }

    /**
     * Once the writer has stopped (a job stopped cleanly, or one whose last run failed): reads to the
     * end of the partition as this consumer's isolation sees it (read_committed: the last stable
     * offset) and returns everything read so far. Exact where {@link #drain} is a guess: nothing the
     * stopped writer committed is left out, however late, and no quiet period is waited for.
     */
    public List<GenericRecord> readToEnd() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        java.util.Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the end offsets " + end + " were not reached");
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                records.add(decode(r.value()));
            }
        }
        return List.copyOf(records);
    }

    /** Reads for a quiet period and returns everything read so far (the writer may still be running). */
    public List<GenericRecord> drain(Duration quiet) {
        long end = System.nanoTime() + quiet.toNanos();
        while (System.nanoTime() < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                add(r);
                end = System.nanoTime() + quiet.toNanos();
            }
        }
        return List.copyOf(records);
    }

    private GenericRecord add(ConsumerRecord<byte[], byte[]> r) {
        GenericRecord decoded = decode(r.value());
        records.add(decoded);
        offsets.add(r.offset());
        return decoded;
    }

    /**
     * The partition offsets of the records read so far (same order). In a transactional topic every
     * commit or abort marker takes an offset, so records of one Kafka transaction have consecutive
     * offsets and a gap means a transaction boundary (when one producer writes the partition).
     */
    public List<Long> offsets() { return List.copyOf(offsets); }

    public static GenericRecord decode(byte[] value) {
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, null);
            GenericRecord r = new GenericDatumReader<GenericRecord>(RECORD).read(null, in);
            if (!in.isEnd()) throw new IllegalStateException("trailing bytes after the Record");
            return r;
        } catch (IOException e) {
            throw new IllegalStateException("value does not decode as a DTS Record", e);
        }
    }

    /** The published schema as the repository keeps it (docs/format/Record.avsc), not the product's bundled copy. */
    public static Path contractSchemaFile() {
        Path p = Servers.root().resolve("docs/format/Record.avsc");
        if (!Files.exists(p)) throw new IllegalStateException("the published schema is missing: " + p);
        return p;
    }

    private static Schema loadRecordSchema() {
        try {
            Schema union = new Schema.Parser().parse(contractSchemaFile().toFile());
            return union.getTypes().stream().filter(s -> s.getFullName().equals("com.alibaba.dts.formats.avro.Record"))
                    .findFirst().orElseThrow();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
