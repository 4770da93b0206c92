package io.sluice.sink.kafka;

import io.sluice.core.model.TableId;
import io.sluice.core.route.Murmur2;
import io.sluice.core.route.Router;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sluice's partitions are the ones Kafka's default partitioner would pick for the same key bytes. */
class Murmur2CompatibilityTest {

    @Test
    void sameHashAsKafkaForEveryLengthAndByteValue() {
        Random random = new Random(42);
        for (int i = 0; i < 5_000; i++) {
            byte[] data = new byte[random.nextInt(70)];
            random.nextBytes(data);
            assertEquals(Utils.murmur2(data), Murmur2.hash(data), "length " + data.length);
        }
    }

    @Test
    void tablePartitionIsKafkasPartitionForTheTableName() {
        for (int n : new int[] {2, 3, 12, 100}) {
            byte[] name = "shop.orders".getBytes(StandardCharsets.UTF_8);
            assertEquals(Utils.toPositive(Utils.murmur2(name)) % n, Router.tablePartition(new TableId("shop", "orders"), n));
        }
    }
}
