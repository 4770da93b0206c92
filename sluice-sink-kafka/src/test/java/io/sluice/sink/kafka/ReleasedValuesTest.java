package io.sluice.sink.kafka;

import io.sluice.core.config.JobConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A value's array is the caller's again after the send, unless target.producer names interceptors (they get the record itself). */
class ReleasedValuesTest {

    private static boolean releases(String interceptors) {
        JobConfig.Target t = new JobConfig.Target();
        t.bootstrapServers = "127.0.0.1:9";
        t.topic = "orders";
        if (interceptors != null) t.producer.put(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, interceptors);
        return KafkaSink.releasesValueOnSend(KafkaTarget.asMap(KafkaSink.producerProperties(new KafkaTarget(t))));
    }

    @Test
    void releasedWithoutInterceptors() {
        assertTrue(releases(null));
        assertTrue(releases(" "));
    }

    @Test
    void keptWhereAnInterceptorMightHoldTheRecord() {
        assertFalse(releases("com.example.AuditInterceptor"));
    }
}
