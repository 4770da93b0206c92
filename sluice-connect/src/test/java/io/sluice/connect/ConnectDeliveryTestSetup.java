package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicWatch;

import java.util.Map;

/** A delivery setup whose Kafka is never contacted (the delivery only builds records). */
final class ConnectDeliveryTestSetup {
    private ConnectDeliveryTestSetup() {}

    static DeliveryFactory.Setup setup() {
        JobConfig.Target t = new JobConfig.Target();
        t.bootstrapServers = "unused:9092";
        t.topic = "dts";
        KafkaTarget target = new KafkaTarget(t);
        return new DeliveryFactory.Setup(target, new CheckpointTopic(target, "dts-sluice-checkpoints"),
                new TopicWatch(target, Map.of()), "server-a");
    }
}
