package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.RunsAlone;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each kind of bad input stops `sluice run` with exit code 2 and one line naming the problem and the fix. */
@org.junit.jupiter.api.Timeout(120)
class BadInputIT {

    private static MySqlServer server;
    @TempDir Path dir;

    @BeforeAll
    static void servers() throws Exception {
        server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_bad", "CREATE TABLE IF NOT EXISTS it_bad.t (id INT PRIMARY KEY)");
    }

    private String job() {
        return JobYaml.of("bad", server, "it-bad-" + System.nanoTime(), dir.resolve("state"), "it_bad.t", 7201);
    }

    /** Runs the CLI on the job text; returns stderr after asserting exit code 2 and a single line with a fix. */
    private String failsWith(String yaml) throws Exception {
        return failsWith(yaml, SluiceCli.EXIT_USER_ERROR);
    }

    private String failsWith(String yaml, int exitCode) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return InProcessRun.failsWithOneLine(file, exitCode);
    }

    @Test
    void unknownKeyNamesItsPath() throws Exception {
        String text = failsWith(job().replace("  serverId:", "  hots: x\n  serverId:"));
        assertTrue(text.contains("'source.hots'"), text);
    }

    @Test
    void missingRequiredKey() throws Exception {
        assertTrue(failsWith(job().replaceAll("  topic: .*\n", "")).contains("'target.topic'"));
    }

    @Test
    void wrongPort() throws Exception {
        // nothing listens there: exit 75, which the systemd unit retries (MySQL may not be up yet after a reboot)
        String text = failsWith(job().replace("port: " + server.port(), "port: 1"), SluiceCli.EXIT_UNREACHABLE);
        assertTrue(text.contains("cannot connect to MySQL at 127.0.0.1:1") && text.contains("source.port"), text);
    }

    @Test
    void wrongPassword() throws Exception {
        String text = failsWith(job().replace("password: sluice", "password: wrong"));
        assertTrue(text.contains("rejected user 'sluice'") && text.contains("source.password"), text);
    }

    @Test
    void missingTable() throws Exception {
        String text = failsWith(job().replace("include: [it_bad.t]", "include: [it_bad.t, it_bad.nope]"));
        assertTrue(text.contains("it_bad.nope") && text.contains("objects.include"), text);
    }

    @Test
    void includePatternsThatMatchNothingAreNamedBeforeAnythingIsCreated() throws Exception {
        String topic = "it-bad-empty-" + System.nanoTime();
        String text = failsWith(JobYaml.of("bad-empty", server, topic, dir.resolve("state"), "it_bad.t, it_bad.nothing_*", 7202));
        assertTrue(text.contains("objects.include entry 'it_bad.nothing_*' selects no table (matches no table)"), text);
        text = failsWith(JobYaml.of("bad-empty", server, topic, dir.resolve("state"), "it_bad.T, '`it_bad`.t*'", 7202)
                .replace("objects:\n", "objects:\n  exclude: [it_bad.t]\n"));
        assertTrue(text.contains("'it_bad.T' (no such table)") && text.contains("'`it_bad`.t*' (objects.exclude takes every table it matches)"), text);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            assertFalse(admin.listTopics().names().get().contains(topic), "the job stopped before creating its topic");
        }
    }

    @Test
    void duplicateKeyNamesItsPath() throws Exception {
        String text = failsWith(job().replace("  serverId:", "  port: 3306\n  serverId:"));
        assertTrue(text.contains("key 'source.port' is written twice"), text);
    }

    @Test
    void badEnumValueListsTheAcceptedValues() throws Exception {
        String text = failsWith(job().replaceAll("  topic: (.*)", "  topic: $1\n  partitionBy: tables"));
        assertTrue(text.contains("key 'target.partitionBy' has value 'tables', expected none, table or primaryKey")
                && !text.contains("io.sluice"), text);
    }

    @Test
    void unreachableKafka() throws Exception {
        String text = failsWith(job().replaceAll("bootstrapServers: .*", "bootstrapServers: 127.0.0.1:1\n  connectTimeoutSeconds: 3"),
                SluiceCli.EXIT_UNREACHABLE);
        assertTrue(text.contains("cannot reach Kafka at 127.0.0.1:1") && text.contains("target.bootstrapServers"), text);
    }

    @Test
    void topicThatCannotBeCreated() throws Exception {
        String text = failsWith(job().replaceAll("  topic: (.*)", "  topic: $1\n  replicationFactor: 3"));
        assertTrue(text.contains("does not exist and could not be created"), text);
    }

    @Test
    @RunsAlone // sets binlog_format=STATEMENT on the shared mysql57: other classes' jobs would stop
    void binlogFormatNotRow() throws Exception {
        try {
            server.exec("SET GLOBAL binlog_format = 'STATEMENT'");
            String text = failsWith(job());
            assertTrue(text.contains("binlog_format is STATEMENT") && text.contains("binlog_format=ROW"), text);
        } finally {
            server.exec("SET GLOBAL binlog_format = 'ROW'");
        }
    }

    @Test
    void corruptStateFile() throws Exception {
        Files.createDirectories(dir.resolve("state"));
        Files.writeString(dir.resolve("state/bad.state.json"), "{\"binlogFile\": \"mysql-bin.000001\", \"binlogPos");
        String text = failsWith(job().replaceAll("  topic: (.*)", "  topic: $1\n  delivery: atLeastOnce"));
        assertTrue(text.contains("state file") && text.contains("corrupt"), text);
    }

    /**
     * The checkpoint names a binlog file the server no longer has, as after a PURGE BINARY LOGS past it.
     * The file is renamed in the checkpoint instead of purged on the server: a purge on the shared
     * server would take the binlog from under every other job and test that resumes from it.
     */
    @Test
    void binlogPurgedPastTheCheckpoint() throws Exception {
        String yaml = job().replaceAll("  topic: (.*)", "  topic: $1\n  delivery: atLeastOnce");
        try (io.sluice.it.support.RunningJob job = io.sluice.it.support.RunningJob.start(yaml)) {
            server.exec("INSERT INTO it_bad.t VALUES (" + System.nanoTime() % 1_000_000_000 + ")");
            Thread.sleep(1500); // the state file is saved once a second
        }
        Path state = dir.resolve("state/bad.state.json");
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile());
        json.put("binlogFile", "mysql-bin.000000"); // before the first file the server ever wrote
        json.put("gtidSet", ""); // resume by file and position
        Files.writeString(state, json.toString());
        String text = failsWith(yaml);
        assertTrue(text.contains("purged") && text.contains("re-initialize"), text);
    }

    @Test
    void corruptCheckpointInKafka() throws Exception {
        String yaml = job();
        String topic = yaml.replaceAll("(?s).*  topic: (\\S+).*", "$1");
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", io.sluice.it.support.Servers.kafkaBootstrap());
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(p,
                new org.apache.kafka.common.serialization.StringSerializer(), new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic + "-sluice-checkpoints", "bad", "{\"binlogFile\": 12")).get();
        }
        String text = failsWith(yaml);
        assertTrue(text.contains("checkpoint of job bad") && text.contains("corrupt"), text);
    }
}
