package io.sluice.it;

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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON formats in the job's own machinery: DDL records in the format's DDL form, a restart that
 * continues the ids it reads back from the topic, and a lost checkpoint noticed from the records
 * the topic holds (MySQL 5.7).
 */
class JsonFormatJobIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"canalJson", "debeziumJson"})
    void ddlRecordsAndRestartInTheFormat(String format) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_fmtddl_" + format.toLowerCase();
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, a VARCHAR(10))");
        String topic = "it-fmtddl-" + format + "-" + System.nanoTime();
        String yaml = JobYaml.of("fmtddl-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 6521)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  format: " + format
                        + "\n  ddl: {enabled: true, topic: " + topic + "-ddl}\n");
        try (RawTopic rows = new RawTopic(Servers.kafkaBootstrap(), topic);
             RawTopic ddl = new RawTopic(Servers.kafkaBootstrap(), topic + "-ddl")) {
            long firstId;
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + db + ".t VALUES (1, 'x')", "ALTER TABLE " + db + ".t ADD COLUMN b INT",
                        "INSERT INTO " + db + ".t VALUES (2, 'y', 7)");
                List<ConsumerRecord<byte[], byte[]>> statements = ddl.await(1, Duration.ofSeconds(60));
                assertEquals(1, statements.size());
                JsonNode d = payload(statements.get(0).value());
                if (format.equals("canalJson")) {
                    assertTrue(d.get("isDdl").asBoolean(), d.toString());
                    assertEquals("ALTER", d.get("type").asText());
                    assertEquals("ALTER TABLE " + db + ".t ADD COLUMN b INT", d.get("sql").asText());
                    assertEquals(db, d.get("database").asText());
                    assertEquals("t", d.get("table").asText());
                } else {
                    assertEquals("ALTER TABLE " + db + ".t ADD COLUMN b INT", d.get("ddl").asText(), d.toString());
                    assertEquals(db, d.get("databaseName").asText());
                    assertEquals("t", d.get("source").get("table").asText());
                }
                List<ConsumerRecord<byte[], byte[]>> written = rows.await(2, Duration.ofSeconds(60));
                assertEquals(2, written.size());
                JsonNode second = row(format, written.get(1).value());
                assertEquals(7, second.get("b").asInt(), "the row after the ALTER has the new column");
                firstId = id(format, written.get(1).value());
                assertTrue(id(format, statements.get(0).value()) < firstId, "the DDL record's id is between its rows'");
            }
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + db + ".t VALUES (3, 'z', 8)");
                List<ConsumerRecord<byte[], byte[]>> written = rows.await(3, Duration.ofSeconds(60));
                assertEquals(3, written.size(), "the restart resumes from its checkpoint: nothing repeated");
                assertEquals(firstId + 1, id(format, written.get(2).value()), "ids go on after the restart");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"canalJson", "debeziumJson"})
    void aLostCheckpointIsNoticedFromTheRecords(String format) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_fmtlost_" + format.toLowerCase();
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String topic = "it-fmtlost-" + format + "-" + System.nanoTime();
        String yaml = JobYaml.of("fmtlost-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 6522)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  format: " + format + "\n");
        try (RawTopic rows = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO " + db + ".t VALUES (1)");
                assertEquals(1, rows.await(1, Duration.ofSeconds(60)).size());
            }
        }
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(topic + "-sluice-checkpoints")).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listTopics().names().get().contains(topic + "-sluice-checkpoints") && System.nanoTime() < deadline) Thread.sleep(100);
        }
        Thread.sleep(1000);
        Path file = dir.resolve("lost.yaml");
        Files.writeString(file, yaml);
        String text = InProcessRun.failsWithOneLine(file);
        assertTrue(text.contains("has no checkpoint") && text.contains("already holds its records"), text);
    }

    @org.junit.jupiter.api.Test
    void aTopicOfAnotherFormatStopsTheJobWithTheFix() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_fmtswitch";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String topic = "it-fmtswitch-" + System.nanoTime();
        String yaml = JobYaml.of("fmtswitch-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 6523);
        try (RawTopic rows = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) { // DTS Avro, the default
                server.exec("INSERT INTO " + db + ".t VALUES (1)");
                assertEquals(1, rows.await(1, Duration.ofSeconds(60)).size());
            }
        }
        Path file = dir.resolve("switched.yaml");
        Files.writeString(file, yaml.replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  format: canalJson\n"));
        String text = InProcessRun.failsWithOneLine(file);
        assertTrue(text.contains("topic " + topic + " holds records that are not canalJson records") && text.contains("new topic"), text);
    }

    private static JsonNode payload(byte[] value) throws Exception {
        JsonNode n = JSON.readTree(value);
        return n.has("payload") && n.has("schema") ? n.get("payload") : n;
    }

    private static JsonNode row(String format, byte[] value) throws Exception {
        JsonNode p = payload(value);
        return format.equals("canalJson") ? p.get("data").get(0) : p.get("after");
    }

    private static long id(String format, byte[] value) throws Exception {
        JsonNode p = payload(value);
        return format.equals("canalJson") ? p.get("id").asLong() : Long.parseLong(p.get("source").get("sequence").asText());
    }
}
