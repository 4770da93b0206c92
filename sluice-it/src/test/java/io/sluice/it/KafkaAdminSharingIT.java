package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicWatch;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A job's Kafka checks share one Admin client (issue 15: a new client per check, four at a job's
 * start, each with its own connection and metadata round trips): counted by the app-info MBean
 * each Kafka Admin client registers when it is created and removes when it is closed.
 */
class KafkaAdminSharingIT {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    /** Admin clients created while {@code work} runs (and, from the second element, how many are still open after it). */
    private static int[] adminClients(Supplier<Object> work) throws Exception {
        ObjectName adminInfo = new ObjectName("kafka.admin.client:type=app-info,id=*"); // one per client (not the metrics' client-id ones)
        int openBefore = JMX.queryNames(adminInfo, null).size();
        AtomicInteger created = new AtomicInteger();
        NotificationListener listener = (n, handback) -> {
            if (n instanceof MBeanServerNotification m && MBeanServerNotification.REGISTRATION_NOTIFICATION.equals(m.getType())
                    && adminInfo.apply(m.getMBeanName())) created.incrementAndGet();
        };
        ObjectName delegate = new ObjectName(MBeanServerDelegate.DELEGATE_NAME.getCanonicalName());
        JMX.addNotificationListener(delegate, listener, null, null);
        try {
            work.get();
        } finally {
            JMX.removeNotificationListener(delegate, listener);
        }
        return new int[] {created.get(), JMX.queryNames(adminInfo, null).size() - openBefore};
    }

    @Test
    void aSharingTargetUsesOneAdminClientForAllItsChecksAndClosesIt() throws Exception {
        String topic = "it-adminshare-" + System.nanoTime();
        JobConfig.Target config = new JobConfig.Target();
        config.bootstrapServers = Servers.kafkaBootstrap();
        config.topic = topic;
        try {
            int[] counts = adminClients(() -> {
                try (KafkaTarget target = KafkaTarget.sharingAdmin(config)) {
                    assertEquals(Map.of(topic, 1), target.ensureTopics(List.of(topic), true));
                    assertEquals(1, target.partitionsIfExists(topic));
                    assertNull(target.partitionsIfExists(topic + "-missing"));
                    target.validateCreate(topic + "-would-be");
                    target.supportsIdempotentWrites();
                    target.maxMessageBytes(topic);
                    new CheckpointTopic(target, topic + "-checkpoints").ensureExists();
                    Map<String, String> ids = target.topicIds(List.of(topic));
                    try (TopicWatch watch = new TopicWatch(target, ids)) {
                        Thread.sleep(1100); // TopicWatch asks at most once a second
                        watch.verify();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });
            assertEquals(1, counts[0], "Admin clients created for the checks");
            assertEquals(0, counts[1], "Admin clients left open after close");

            // a plain target (the other callers) still opens and closes one per check
            int[] plain = adminClients(() -> {
                KafkaTarget target = new KafkaTarget(config);
                target.partitionsIfExists(topic);
                target.topicIds(List.of(topic));
                return null;
            });
            assertEquals(2, plain[0], "Admin clients of a plain target");
            assertEquals(0, plain[1], "Admin clients left open by a plain target");
        } finally {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
                admin.deleteTopics(List.of(topic, topic + "-checkpoints")).all().get();
            }
        }
    }

    /** `sluice check`'s Kafka items (topic, record size, transactions) ask through one Admin client. */
    @Test
    void checkUsesOneAdminClient(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_adminshare", "CREATE TABLE it_adminshare.t (id INT PRIMARY KEY)");
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, JobYaml.of("adminshare-" + System.nanoTime(), server, "it-adminshare-check-" + System.nanoTime(),
                dir, "it_adminshare.t", 7591));
        int[] counts = adminClients(() -> InProcessRun.checkPasses(file));
        assertEquals(1, counts[0], "Admin clients created by sluice check");
        assertEquals(0, counts[1], "Admin clients left open after sluice check");
    }
}
