package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.Images;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
 * A lost checkpoint or a lost record topic stops the job with the fix instead of a silent
 * re-snapshot, a silent skip, or a stream continued in the middle of an empty topic; {@code
 * --reinitialize} starts over on purpose.
 */
@Timeout(300)
class LostStateIT {

    @TempDir Path dir;

    private MySqlServer server() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_lost", "CREATE TABLE IF NOT EXISTS it_lost.t (id BIGINT PRIMARY KEY)");
        return server;
    }

    private static long key() { return System.nanoTime() % 1_000_000_000_000L; }

    @Test
    void checkpointTopicDeletedWhileStoppedStopsUntilReinitialize() throws Exception {
        MySqlServer server = server();
        String topic = "it-lost-cp-" + System.nanoTime();
        String yaml = JobYaml.of("lostcp-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_lost.t", 8201);
        long rows;
        try (var c = server.root(); var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM it_lost.t")) {
            rs.next();
            rows = rs.getLong(1);
        }
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")");
                out.await((int) rows + 1, Duration.ofSeconds(60));
            }
            deleteTopic(topic + "-sluice-checkpoints");
            server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")"); // made while the job has no checkpoint

            String text = failsWith(yaml);
            assertTrue(text.contains("has no checkpoint (none in checkpoint topic " + topic + "-sluice-checkpoints)")
                    && text.contains("already holds its records") && text.contains("sluice run --reinitialize"), text);

            int before = out.readToEnd().size(); // the jobs so far have ended
            try (RunningJob job = RunningJob.start(yaml, true)) {
                List<GenericRecord> all = out.await(before + (int) rows + 2, Duration.ofSeconds(60));
                List<GenericRecord> again = all.subList(before, all.size());
                assertEquals(rows + 2, again.stream().filter(r -> r.get("operation").toString().equals("INIT")).count(),
                        "--reinitialize writes a new snapshot");
                assertTrue((Long) again.get(0).get("id") > (Long) all.get(before - 1).get("id"), "ids go on");
            }
        }
    }

    @Test
    void atLeastOnceStateFileMissingStops() throws Exception {
        MySqlServer server = server();
        String topic = "it-lost-file-" + System.nanoTime();
        String name = "lostfile-" + System.nanoTime();
        String yaml = JobYaml.of(name, server, topic, dir.resolve("state"), "it_lost.t", 8202)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: atLeastOnce");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")");
                out.await(1, Duration.ofSeconds(60));
            }
        }
        Files.delete(dir.resolve("state/" + name + ".state.json"));
        String text = failsWith(yaml);
        assertTrue(text.contains("has no checkpoint (none in state file ") && text.contains("sluice run --reinitialize"), text);
    }

    @Test
    void recordTopicRecreatedWhileStoppedStops() throws Exception {
        MySqlServer server = server();
        String topic = "it-lost-topic-" + System.nanoTime();
        String yaml = JobYaml.of("losttopic-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_lost.t", 8203);
        try (RunningJob job = RunningJob.start(yaml)) {
            server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")");
            Thread.sleep(500);
        }
        deleteTopic(topic);
        String text = failsWith(yaml); // the job creates the topic again at start: a new topic id
        assertTrue(text.contains("topic " + topic + " was deleted and created again") && text.contains("--reinitialize"), text);
    }

    @Test
    void recordTopicDeletedWhileRunningStops() throws Exception {
        MySqlServer server = server();
        String topic = "it-lost-run-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("lostrun-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_lost.t", 8204));
        Path log = dir.resolve("sluice.log");
        SluiceProcess p = SluiceProcess.start(job, log);
        try {
            CrashIT.waitForStreaming(log, 1);
            server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")");
            Thread.sleep(1000);
            deleteTopic(topic);
            int code = -1;
            for (int i = 0; i < 60 && code == -1; i++) { // rows keep coming; the broker creates the topic again for the producer
                server.exec("INSERT INTO it_lost.t VALUES (" + key() + ")");
                code = p.awaitExit(Duration.ofSeconds(1));
            }
            String text = Files.readString(log);
            assertEquals(2, code, text);
            assertTrue(text.contains("sluice: topic " + topic + " was deleted") && text.contains("--reinitialize"), text);
        } finally {
            if (p.isAlive()) p.kill();
        }
    }

    /**
     * A job without initialization killed after it started reading but before its first records:
     * the next run resumes from where the first one started, so a change made in between is synced
     * (it used to start again at the binlog end of the moment, skipping it in silence).
     */
    @ParameterizedTest
    @ValueSource(strings = {"exactlyOnce", "atLeastOnce"})
    void killedBeforeItsFirstRecordsResumesWhereItStarted(String delivery) throws Exception {
        MySqlServer server = server();
        String topic = "it-lost-start-" + delivery + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("loststart-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_lost.t",
                        delivery.equals("exactlyOnce") ? 8205 : 8206)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: " + delivery)
                + "initialization:\n  fullData: false\n");
        Path log = dir.resolve("sluice.log");
        SluiceProcess first = SluiceProcess.start(job, log);
        try {
            CrashIT.waitForStreaming(log, 1);
        } finally {
            first.kill();
        }
        long made = key();
        server.exec("INSERT INTO it_lost.t VALUES (" + made + ")"); // after the job started, before it wrote anything
        SluiceProcess second = SluiceProcess.start(job, log);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            List<GenericRecord> records = out.await(1, Duration.ofSeconds(60));
            assertEquals(1, records.size(), "the change made while the job was down:\n" + Files.readString(log));
            assertEquals("INSERT", records.get(0).get("operation").toString());
            assertEquals(String.valueOf(made), ((Value.IntegerValue) Images.of(records.get(0), "afterImages").get(0)).value());
        } finally {
            if (second.isAlive()) second.kill();
        }
    }

    /**
     * {@code --reinitialize} killed before its first records: the next plain run starts over from the
     * reinitialization's starting point (its snapshot and the changes since), not from the old
     * checkpoint (which made the reinitialization silently not happen).
     */
    @ParameterizedTest
    @ValueSource(strings = {"exactlyOnce", "atLeastOnce"})
    void reinitializeKilledBeforeItsFirstRecordsStartsOverOnTheNextRun(String delivery) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_lost_re_" + delivery.toLowerCase();
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id BIGINT PRIMARY KEY)");
        server.exec("INSERT INTO " + db + ".t VALUES (1), (2)");
        String topic = "it-lost-re-" + delivery + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("lostre-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t",
                        delivery.equals("exactlyOnce") ? 8207 : 8208)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: " + delivery));
        Path log = dir.resolve("sluice.log");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            SluiceProcess first = SluiceProcess.start(job, log);
            try {
                out.await(2, Duration.ofSeconds(60)); // INIT 1, 2
                server.exec("INSERT INTO " + db + ".t VALUES (3)");
                out.await(3, Duration.ofSeconds(60));
                assertEquals(0, first.terminate());
            } finally {
                if (first.isAlive()) first.kill();
            }
            int before = out.readToEnd().size();

            SluiceProcess again = SluiceProcess.startCommand(log, "run", "--config", job.toString(), "--reinitialize");
            try {
                CrashIT.waitForStreaming(log, 2);
            } finally {
                again.kill();
            }
            server.exec("INSERT INTO " + db + ".t VALUES (4)"); // while the job is down

            SluiceProcess third = SluiceProcess.start(job, log);
            try {
                CrashIT.waitForStreaming(log, 3);
                out.await(before + 4, Duration.ofSeconds(60));
                assertEquals(0, third.terminate());
            } finally {
                if (third.isAlive()) third.kill();
            }
            List<GenericRecord> all = out.readToEnd();
            List<String> after = all.subList(before, all.size()).stream().map(r -> r.get("operation") + " "
                    + ((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value()).distinct().sorted().toList();
            // row 4 is an INSERT after the starting point; the snapshot may read it too (then superseded, or an INIT after it)
            assertTrue(after.containsAll(List.of("INIT 1", "INIT 2", "INIT 3", "INSERT 4")),
                    "the reinitialization's snapshot and the change made while down: " + after + "\n" + Files.readString(log));
        }
    }

    private String failsWith(String yaml) throws Exception {
        Path file = dir.resolve("job-" + System.nanoTime() + ".yaml");
        Files.writeString(file, yaml);
        return InProcessRun.failsWithOneLine(file);
    }

    private static void deleteTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (admin.listTopics().names().get().contains(topic) && System.nanoTime() < deadline) Thread.sleep(100);
        }
        Thread.sleep(1000); // let every broker forget it
    }
}
