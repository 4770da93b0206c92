package io.sluice.connect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kafka Connect topics a connector must never write records to: the connector's own offsets
 * topic ({@code offsets.storage.topic}, KIP-618) when it sets one, and the worker's config, offsets
 * and status topics under their default names. A worker's own names for them are in the worker's
 * config, which Connect does not hand to a connector or task, so those cannot be checked here; an
 * existing compacted topic is no sign either (a record topic may be compacted on purpose).
 */
final class ConnectInternalTopics {

    static final String CONNECTOR_OFFSETS_TOPIC = "offsets.storage.topic";

    private ConnectInternalTopics() {}

    /** Each refused topic with what it is, for the message. */
    static Map<String, String> of(Map<String, String> props) {
        Map<String, String> topics = new LinkedHashMap<>();
        topics.put("connect-configs", "Kafka Connect's config topic (config.storage.topic's default name)");
        topics.put("connect-offsets", "Kafka Connect's offsets topic (offset.storage.topic's default name)");
        topics.put("connect-status", "Kafka Connect's status topic (status.storage.topic's default name)");
        String own = props.get(CONNECTOR_OFFSETS_TOPIC);
        if (own != null && !own.isBlank()) topics.put(own.trim(), "this connector's offsets topic (" + CONNECTOR_OFFSETS_TOPIC + ")");
        return topics;
    }
}
