import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Initialization timing helper. {@code create BOOTSTRAP TOPIC}: a one-partition LogAppendTime topic.
 * {@code read BOOTSTRAP TOPIC START_MS}: reads the topic (read_committed) and prints the records, the
 * broker append time of the first and last one relative to START_MS (the process spawn), and rows/s
 * over spawn..last. {@code delete BOOTSTRAP TOPIC}: deletes the topic and its checkpoint topic.
 */
public class InitTiming {
    public static void main(String[] a) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", a[1]);
        if (a[0].equals("delete")) { // the run's topic and its checkpoint topic
            try (Admin admin = Admin.create(p)) {
                admin.deleteTopics(List.of(a[2], a[2] + "-sluice-checkpoints")).all().get();
            }
            return;
        }
        if (a[0].equals("create")) {
            try (Admin admin = Admin.create(p)) {
                admin.createTopics(List.of(new NewTopic(a[2], 1, (short) 1)
                        .configs(Map.of("message.timestamp.type", "LogAppendTime")))).all().get();
            }
            return;
        }
        long start = Long.parseLong(a[3]);
        p.put("isolation.level", "read_committed");
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("max.poll.records", "10000");
        p.put("fetch.max.bytes", "52428800");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(a[2], 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long n = 0, first = -1, last = -1, bytes = 0;
            while (c.position(tp) < end) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    n++;
                    bytes += r.value() == null ? 0 : r.value().length;
                    if (first < 0) first = r.timestamp();
                    last = r.timestamp();
                }
            }
            System.out.printf("records=%d bytes=%d firstRecordMs=%d lastRecordMs=%d rowsPerSec(spawn..last)=%.0f rowsPerSec(first..last)=%.0f%n",
                    n, bytes, first - start, last - start, n * 1000.0 / (last - start), n * 1000.0 / Math.max(1, last - first));
        }
    }
}
