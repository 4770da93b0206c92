package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes encoded records with an idempotent producer (acks=all, unbounded retries): a broker that is
 * down makes sends wait and retry, never drop. The first failed send poisons the sink, so that no
 * checkpoint past it is ever written. Brokers older than 0.11 reject idempotent writes: there the
 * producer keeps one request in flight instead, so retries keep the order but can repeat a record.
 */
public final class KafkaSink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);

    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, Object> producerConfig;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    /** The first record Kafka refused for its size. */
    private final AtomicReference<RecordRefused> refused = new AtomicReference<>();

    /** Producer settings both delivery modes share: idempotent, acks=all, unbounded retries. */
    static Properties producerProperties(KafkaTarget target) {
        Properties p = target.clientProperties();
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        p.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Integer.MAX_VALUE));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(Long.MAX_VALUE));
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-" + target.config().topic);
        return p;
    }

    /**
     * Whether a producer of {@code config} is done with a record's value array when {@code send}
     * returns: it copies the bytes into its batch during the send, and only an interceptor
     * ({@code interceptor.classes} in target.producer) is handed the record itself and might keep it.
     */
    static boolean releasesValueOnSend(Map<String, Object> config) {
        Object interceptors = config.get(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG);
        return interceptors == null || interceptors.toString().isBlank();
    }

    /** See {@link #releasesValueOnSend(Map)}: the caller may reuse a value's array once {@link #send} returned. */
    public boolean releasesValueOnSend() { return releasesValueOnSend(producerConfig); }

    /** Asks the brokers whether they take idempotent writes (see {@link KafkaTarget#supportsIdempotentWrites()}). */
    public KafkaSink(KafkaTarget target) {
        Properties p = producerProperties(target);
        if (!target.supportsIdempotentWrites()) {
            log.warn("the Kafka brokers are older than 0.11 and reject idempotent writes: the producer keeps one request"
                    + " in flight, so a retried send can repeat a record (with its id)");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
            p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        }
        this.producerConfig = KafkaTarget.asMap(p);
        this.producer = new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = target.config().topic;
    }

    /** Sends asynchronously; blocks when the producer's buffer is full (backpressure). */
    public void send(int partition, byte[] key, byte[] value) {
        send(topic, partition, key, value);
    }

    /** {@link #send(int, byte[], byte[])} to another topic (the DDL topic). */
    public void send(String topic, int partition, byte[] key, byte[] value) {
        send(topic, partition, key, value, null);
    }

    /** {@link #send(String, int, byte[], byte[])} of a record {@code origin} names if Kafka refuses it for its size. */
    public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
        throwIfFailed();
        String to = topic == null ? this.topic : topic;
        int size = value.length;
        producer.send(new ProducerRecord<>(to, partition, key, value), (metadata, e) -> {
            if (e == null) return;
            refused.compareAndSet(null, RecordRefused.of(e, to, size, origin));
            failure.compareAndSet(null, e);
        });
        throwIfFailed(); // the producer's own size checks answer at once
    }

    /** Waits until every record sent so far is acknowledged; throws if any was not. */
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    public void throwIfFailed() {
        if (refused.get() != null) throw refused.get().toException(producerConfig);
        Exception e = failure.get();
        if (e != null) {
            throw new SluiceException("Kafka rejected a record for topic " + topic + ": " + e.getMessage(),
                    "check the topic's settings (max.message.bytes) and Sluice's permissions; the job resumes from its last checkpoint", e);
        }
    }

    public Map<?, ?> metrics() { return producer.metrics(); }

    @Override
    public void close() {
        producer.close(java.time.Duration.ofSeconds(3)); // bounded: a stop must not wait for a Kafka that is down
    }
}
