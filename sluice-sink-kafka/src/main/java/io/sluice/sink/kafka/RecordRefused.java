package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RecordTooLargeException;

import java.util.Map;

/**
 * A record Kafka refused for what it is: its size, or (InvalidRecordException) no key for a compacted
 * topic. Retrying cannot help (the same row comes again; a transactional producer would only report
 * its error state), so it stops the job with the row's table and binlog position, what refused it and
 * the settings to change.
 */
final class RecordRefused {

    private final String topic;
    private final int size;
    private final RecordOrigin origin;
    private final ApiException cause;

    RecordRefused(String topic, int size, RecordOrigin origin, ApiException cause) {
        this.topic = topic;
        this.size = size;
        this.origin = origin;
        this.cause = cause;
    }

    /** The first refusal of the record itself among a send's outcome, or null for any other outcome. */
    static RecordRefused of(Exception e, String topic, int size, RecordOrigin origin) {
        return e instanceof RecordTooLargeException || e instanceof InvalidRecordException
                ? new RecordRefused(topic, size, origin, (ApiException) e) : null;
    }

    SluiceException toException(Map<String, Object> producerConfig) {
        String message = String.valueOf(cause.getMessage());
        String of = origin == null ? "topic " + topic : origin.describe();
        if (cause instanceof InvalidRecordException) {
            if (message.toLowerCase(java.util.Locale.ROOT).contains("without key")) {
                return new SluiceException("Kafka refused a record of " + of + ": topic " + topic + " is compacted (cleanup.policy=compact)"
                        + " and the record has no key: dtsAvro and canalJson records have none, debeziumJson ones only for tables"
                        + " with a primary key (" + message + ")",
                        "use a topic with cleanup.policy=delete (kafka-configs.sh --alter --entity-type topics --entity-name " + topic
                                + " --add-config cleanup.policy=delete), or for a compacted topic format: debeziumJson and tables with"
                                + " primary keys; the job resumes from its last checkpoint", cause);
            }
            return new SluiceException("Kafka refused a record of " + of + " as invalid (" + message + ")",
                    "check topic " + topic + "'s settings (cleanup.policy, message.format.version); the job resumes from its last checkpoint", cause);
        }
        String limit;
        if (message.contains(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)) {
            limit = "the producer's max.request.size (" + setting(producerConfig, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1048576) + ")";
        } else if (message.contains(ProducerConfig.BUFFER_MEMORY_CONFIG)) {
            limit = "the producer's buffer.memory (" + setting(producerConfig, ProducerConfig.BUFFER_MEMORY_CONFIG, 33554432) + ")";
        } else {
            limit = "the broker: topic " + topic + "'s max.message.bytes (default: the brokers' message.max.bytes)";
        }
        return new SluiceException("Kafka refused a record of " + of
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
