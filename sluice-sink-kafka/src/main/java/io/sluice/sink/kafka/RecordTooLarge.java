package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.Map;

/**
 * A record Kafka refused for its size. Retrying cannot help (the same row comes again), so it stops
 * the job with the row's table and binlog position, its size, the limit that refused it and the
 * settings to raise.
 */
final class RecordTooLarge {

    private final String topic;
    private final int size;
    private final RecordOrigin origin;
    private final RecordTooLargeException cause;

    RecordTooLarge(String topic, int size, RecordOrigin origin, RecordTooLargeException cause) {
        this.topic = topic;
        this.size = size;
        this.origin = origin;
        this.cause = cause;
    }

    /** The first size refusal among a send's outcome, or null for any other outcome. */
    static RecordTooLarge of(Exception e, String topic, int size, RecordOrigin origin) {
        return e instanceof RecordTooLargeException r ? new RecordTooLarge(topic, size, origin, r) : null;
    }

    SluiceException toException(Map<String, Object> producerConfig) {
        String message = String.valueOf(cause.getMessage());
        String limit;
        if (message.contains(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) {
            limit = "the producer's max.request.size (" + setting(producerConfig, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1048576) + ")";
        } else if (message.contains(ProducerConfig.BUFFER_MEMORY_CONFIG)) {
            limit = "the producer's buffer.memory (" + setting(producerConfig, ProducerConfig.BUFFER_MEMORY_CONFIG, 33554432) + ")";
        } else {
            limit = "the broker: topic " + topic + "'s max.message.bytes (default: the brokers' message.max.bytes)";
        }
        return new SluiceException("Kafka refused a record of " + (origin == null ? "topic " + topic : origin.describe())
                + ": " + size + " bytes, more than " + limit + " accepts (" + message + ")",
                "raise the limits above the largest row (at most the source's max_allowed_packet): the topic's max.message.bytes"
                        + " (kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                        + " --add-config max.message.bytes=N), and target.producer max.request.size and buffer.memory", cause);
    }

    private static Object setting(Map<String, Object> config, String key, long defaultValue) {
        Object v = config.get(key);
        return v == null ? defaultValue + " bytes, the default" : v + " bytes";
    }
}
