package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.core.error.SluiceException;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The names of the topics a job writes: two that Kafka's metric names cannot tell apart ('.' versus
 * '_') stop the job, at start and when a new table's topic appears, with one line naming both; and
 * {@code sluice check}'s record-size item looks at every topic a row can go to.
 */
@Timeout(300)
class TopicNameGuardsIT {

    private static String withTopics(String yaml, String topic, String topicsFlowMap) {
        return yaml.replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  topics: {" + topicsFlowMap + "}\n");
    }

    @Test
    void twoTopicsAlikeInMetricNamesStopTheJobAtStart(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tng_start";
        server.freshDatabase(db, "CREATE TABLE " + db + ".x (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".y (id INT PRIMARY KEY)");
        String p = "it-tng-start-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, withTopics(JobYaml.of("tng-start-" + System.nanoTime(), server, p, dir.resolve("state"), db + ".*", 6681),
                p, "'" + db + ".x': '" + p + ".a_b', '" + db + ".y': '" + p + "_a.b'"));
        String line = InProcessRun.failsWithOneLine(job);
        assertTrue(line.contains(p + ".a_b") && line.contains(p + "_a.b") && line.contains("metric names") && line.contains("target.topics"), line);
    }

    /** The job's new topic alike an existing topic that is not the job's: Kafka refuses it; Sluice names both and the fix. */
    @Test
    void aNewTopicAlikeAnExistingOtherTopicIsNamed(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tng_existing";
        server.freshDatabase(db, "CREATE TABLE " + db + ".x (id INT PRIMARY KEY)");
        String p = "it-tng-existing-" + System.nanoTime();
        String existing = p + "_x";
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(existing, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            try {
                Path job = dir.resolve("job.yaml");
                Files.writeString(job, JobYaml.of("tng-existing-" + System.nanoTime(), server, p + ".x", dir.resolve("state"), db + ".x", 6684));
                String line = InProcessRun.failsWithOneLine(job);
                assertTrue(line.contains("topic " + p + ".x cannot be created: the existing topic " + existing + " differs from it only in '.' versus '_'")
                        && line.contains("give the job's topic another name"), line);
            } finally {
                admin.deleteTopics(List.of(existing)).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aNewTablesTopicAlikeInMetricNamesStopsTheJob(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tng_new";
        server.freshDatabase(db, "CREATE TABLE " + db + ".x_y (id INT PRIMARY KEY)");
        String p = "it-tng-new-" + System.nanoTime();
        // later (not there yet) goes to p-x.y, the rest by template: x_y to p-x_y
        String yaml = withTopics(JobYaml.of("tng-new-" + System.nanoTime(), server, p, dir.resolve("state"), db + ".*", 6682),
                p, "'" + db + ".later': '" + p + "-x.y', '" + db + ".*': '" + p + "-{table}'");
        RunningJob job = RunningJob.start(yaml);
        server.exec("INSERT INTO " + db + ".x_y VALUES (1)", "CREATE TABLE " + db + ".later (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".later VALUES (1)");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (job.failure() == null && System.nanoTime() < deadline) Thread.sleep(100);
        Throwable failure = job.failure();
        assertTrue(failure instanceof SluiceException, String.valueOf(failure));
        String line = ((SluiceException) failure).oneLine();
        assertTrue(line.contains(p + "-x_y") && line.contains(p + "-x.y") && line.contains("metric names"), line);
        assertThrows(IllegalStateException.class, job::close, "the job failed");
        server.exec("DROP DATABASE " + db);
    }

    @Test
    void checksRecordSizeItemNamesEveryTopicBelowTheSourcesLargestRow(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_tng_size";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY)");
        String p = "it-tng-size-" + System.nanoTime();
        String big = String.valueOf(200_000_000);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(
                    new NewTopic(p, 1, (short) 1).configs(Map.of("max.message.bytes", big)),
                    new NewTopic(p + "-a", 1, (short) 1).configs(Map.of("max.message.bytes", "100000")),
                    new NewTopic(p + "-ddl", 1, (short) 1).configs(Map.of("max.message.bytes", "200000"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        String yaml = JobYaml.of("tng-size-" + System.nanoTime(), server, Servers.kafkaBootstrap(), p, dir.resolve("state"), db + ".*", 6683,
                "max.request.size: " + big + ", buffer.memory: " + big);
        yaml = withTopics(yaml, p, "'" + db + ".a': '" + p + "-a'").replace("  topics:", "  ddl: {enabled: true, topic: " + p + "-ddl}\n  topics:");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        StringWriter out = new StringWriter();
        SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
        String check = out.toString();
        String item = check.lines().filter(l -> l.contains("record size")).findFirst().orElse("");
        assertTrue(item.startsWith("WARN"), check);
        assertTrue(item.contains("topic " + p + "-a max.message.bytes=100000") && item.contains("topic " + p + "-ddl max.message.bytes=200000"), item);
        assertTrue(!item.contains("topic " + p + " max.message.bytes"), "target.topic's limit is high enough: " + item);
        server.exec("DROP DATABASE " + db);
    }
}
