package io.sluice.sink.kafka;

import io.sluice.core.config.JobConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Every Kafka client of a job leaves client telemetry push off unless target.producer turns it on. */
class ClientTelemetryTest {

    private static final String PUSH = CommonClientConfigs.ENABLE_METRICS_PUSH_CONFIG;

    private static KafkaTarget target(String push) {
        JobConfig.Target t = new JobConfig.Target();
        t.bootstrapServers = "127.0.0.1:9";
        t.topic = "orders";
        if (push != null) t.producer.put(PUSH, push);
        return new KafkaTarget(t);
    }

    @Test
    void offForTheProducerTheAdminClientAndTheConsumers() {
        KafkaTarget target = target(null);
        for (Properties p : new Properties[] {KafkaSink.producerProperties(target), target.adminProperties(), target.consumerProperties()}) {
            assertEquals("false", p.getProperty(PUSH), p.toString());
        }
    }

    @Test
    void theUsersSettingWins() {
        KafkaTarget target = target("true");
        for (Properties p : new Properties[] {KafkaSink.producerProperties(target), target.adminProperties(), target.consumerProperties()}) {
            assertEquals("true", p.getProperty(PUSH), p.toString());
        }
    }
}
