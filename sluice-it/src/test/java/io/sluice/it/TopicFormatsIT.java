package io.sluice.it;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RawTopic;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * target.topics entries with their own formats (MySQL 5.7): one job writes table a as Canal JSON
 * messages per rows event and table b as Debezium JSON, into two topics, in one Kafka transaction;
 * a restart reads each topic's ids back in its format and goes on after them, nothing repeated; a
 * lost checkpoint is noticed from either topic's records; a DDL record goes to its table's topic
 * in that topic's format.
 */
class TopicFormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    @TempDir Path dir;

    @Test
    void twoTopicsInTwoFormatsAcrossARestart() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_topicfmt";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + db + ".a VALUES (9, 90)", "INSERT INTO " + db + ".b VALUES (9, 900)"); // INIT records, one per topic
        String topic = "it-topicfmt-" + System.nanoTime();
        String yaml = JobYaml.of("topicfmt-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", 6531)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n"
                        + "  topics:\n"
                        + "    " + db + ".a: {topic: " + topic + "-canal, format: canalJson}\n"
                        + "    '" + db + ".*': {topic: " + topic + "-dbz, format: debeziumJson}\n"
                        + "  canal: {batch: event}\n"
                        + "  debezium: {schemas: false}\n"
                        + "  ddl: {enabled: true}\n");
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, yaml);
        String check = InProcessRun.checkPasses(jobFile); // sluice check names each topic's format
        assertTrue(check.contains(topic + "-canal will be created") && check.contains("canalJson records")
                && check.contains("debeziumJson records"), check);
        try (RawTopic canal = new RawTopic(Servers.kafkaBootstrap(), topic + "-canal");
             RawTopic dbz = new RawTopic(Servers.kafkaBootstrap(), topic + "-dbz")) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + db + ".a VALUES (1, 10), (2, 20)", "INSERT INTO " + db + ".b VALUES (1, 100)");
                assertEquals(2, canal.await(2, Duration.ofSeconds(60)).size());
                assertEquals(2, dbz.await(2, Duration.ofSeconds(60)).size());
                assertNull(job.failure());
            }
            try (RunningJob job = RunningJob.start(yaml)) { // reads the ids back from both topics, each in its format
                server.exec("INSERT INTO " + db + ".a VALUES (3, 30)", "INSERT INTO " + db + ".b VALUES (2, 200)",
                        "ALTER TABLE " + db + ".b ADD COLUMN w INT");
                assertEquals(3, canal.await(3, Duration.ofSeconds(60)).size());
                assertEquals(4, dbz.await(4, Duration.ofSeconds(60)).size());
                assertNull(job.failure());
            }
            List<ConsumerRecord<byte[], byte[]>> canalRecords = canal.drain(Duration.ofSeconds(2));
            List<ConsumerRecord<byte[], byte[]>> dbzRecords = dbz.drain(Duration.ofSeconds(2));
            assertEquals(3, canalRecords.size(), "nothing repeated after the restart");
            assertEquals(4, dbzRecords.size(), "nothing repeated after the restart");

            FlatMessage init = STRICT.readValue(canalRecords.get(0).value(), FlatMessage.class); // Canal's own class
            assertEquals("INSERT", init.getType());
            assertEquals(List.of("9"), init.getData().stream().map(r -> r.get("id")).toList(), "the INIT row in Canal JSON");
            JsonNode b0 = JSON.readTree(dbzRecords.get(0).value());
            assertEquals("r", b0.get("op").asText(), "the INIT row in Debezium JSON: " + b0);
            assertEquals(900, b0.get("after").get("v").asInt());
            canalRecords = canalRecords.subList(1, canalRecords.size());
            dbzRecords = dbzRecords.subList(1, dbzRecords.size());
            FlatMessage first = STRICT.readValue(canalRecords.get(0).value(), FlatMessage.class);
            assertEquals("a", first.getTable());
            assertEquals(List.of("1", "2"), first.getData().stream().map(r -> r.get("id")).toList(), "one message for the rows event");
            FlatMessage second = STRICT.readValue(canalRecords.get(1).value(), FlatMessage.class);
            assertEquals(List.of("3"), second.getData().stream().map(r -> r.get("id")).toList());

            JsonNode b1 = JSON.readTree(dbzRecords.get(0).value());
            assertEquals("c", b1.get("op").asText(), b1.toString());
            assertEquals(100, b1.get("after").get("v").asInt());
            assertEquals("{\"id\":1}", new String(dbzRecords.get(0).key(), java.nio.charset.StandardCharsets.UTF_8));
            JsonNode b2 = JSON.readTree(dbzRecords.get(1).value());
            assertEquals(200, b2.get("after").get("v").asInt());
            JsonNode alter = JSON.readTree(dbzRecords.get(2).value());
            assertEquals("ALTER TABLE " + db + ".b ADD COLUMN w INT", alter.get("ddl").asText(), "the DDL record in its table's topic's format");

            List<Long> initIds = new ArrayList<>(List.of(init.getId(), Long.parseLong(b0.get("source").get("sequence").asText())));
            List<Long> after = List.of(first.getId(), Long.parseLong(b1.get("source").get("sequence").asText()),
                    second.getId(), Long.parseLong(b2.get("source").get("sequence").asText()),
                    Long.parseLong(alter.get("source").get("sequence").asText()));
            assertEquals(List.of(1L, 2L), initIds.stream().sorted().toList(), "one id per record over both topics");
            assertEquals(List.of(3L, 4L, 5L, 6L, 7L), after, "ids in binlog order over both topics, going on after the restart");
        }

        // a lost checkpoint: noticed from the records of the topics (each read in its format)
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(topic + "-sluice-checkpoints")).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listTopics().names().get().contains(topic + "-sluice-checkpoints") && System.nanoTime() < deadline) Thread.sleep(100);
        }
        Thread.sleep(1000);
        Path file = dir.resolve("lost.yaml");
        Files.writeString(file, yaml);
        String text = InProcessRun.failsWithOneLine(file);
        assertTrue(text.contains("has no checkpoint") && text.contains("-canal, " + topic + "-dbz already hold its records"), text);
    }

    /**
     * target.format dtsAvro, every table in a Debezium JSON topic of its own: the DDL record of a table
     * created later is the first record of its new topic, in Debezium JSON; after DROP TABLE the job
     * restarts, reading the dropped table's topic (its checkpoint names it) in the format the
     * checkpoint recorded for it, not in target.format.
     */
    @Test
    void aNewTablesDdlAndADroppedTablesTopicKeepTheirFormat() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_topicfmt_drop";
        server.freshDatabase(db, "CREATE TABLE " + db + ".tmp (id INT PRIMARY KEY)");
        String topic = "it-topicfmt-drop-" + System.nanoTime();
        String yaml = JobYaml.of("topicfmtdrop-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", 6533)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n"
                        + "  topics:\n"
                        + "    '" + db + ".*': {topic: '" + topic + "-{table}', format: debeziumJson}\n"
                        + "  ddl: {enabled: true}\n");
        try (RawTopic tmp = new RawTopic(Servers.kafkaBootstrap(), topic + "-tmp");
             RawTopic fresh = new RawTopic(Servers.kafkaBootstrap(), topic + "-fresh")) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + db + ".tmp VALUES (1)");
                assertEquals(1, tmp.await(1, Duration.ofSeconds(60)).size());
                server.exec("CREATE TABLE " + db + ".fresh (id INT PRIMARY KEY)");
                JsonNode create = JSON.readTree(fresh.await(1, Duration.ofSeconds(60)).get(0).value()); // DTS Avro would not parse
                assertTrue(create.toString().contains("CREATE TABLE " + db + ".fresh"), create.toString());
                server.exec("DROP TABLE " + db + ".tmp");
                assertEquals(2, tmp.await(2, Duration.ofSeconds(60)).size());
                assertNull(job.failure());
            }
            try (RunningJob job = RunningJob.start(yaml)) { // reads the topic of the dropped table back in Debezium JSON
                server.exec("INSERT INTO " + db + ".fresh VALUES (5)");
                List<ConsumerRecord<byte[], byte[]>> records = fresh.await(2, Duration.ofSeconds(60));
                assertEquals(2, records.size());
                JsonNode row = JSON.readTree(records.get(1).value());
                assertEquals(5, row.path("payload").path("after").path("id").asInt(), row.toString());
                assertNull(job.failure());
            }
        }
    }

    @Test
    void twoFormatsMeetingInOneTopicStopTheJobBeforeAnythingIsWritten() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_topicfmt_clash";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY)");
        String topic = "it-topicfmt-clash-" + System.nanoTime();
        Path file = dir.resolve("clash.yaml");
        // the template gives a's topic the name of b's, which writes another format
        Files.writeString(file, JobYaml.of("topicfmtclash-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", 6532)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n"
                        + "  topics:\n"
                        + "    " + db + ".a: {topic: '" + topic + "-{table}', format: canalJson}\n"
                        + "    " + db + ".b: " + topic + "-a\n"));
        String text = InProcessRun.failsWithOneLine(file);
        assertTrue(text.contains("topic " + topic + "-a would get") && text.contains("a topic holds records of one format"), text);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            assertTrue(!admin.listTopics().names().get().contains(topic + "-a"), "no topic created");
        }
    }
}
