package io.sluice.it;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.Value;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.TcpProxy;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Failover by GTID: a job streaming from a MySQL 5.7 primary is switched to its replica (a
 * cascade source: log_slave_updates) and continues exactly where it stopped, although the
 * replica's binlog files and positions are unrelated to the primary's. Without GTIDs there is no
 * such failover: a job whose checkpoint is a binlog position refuses to resume on another server.
 */
@Timeout(300)
class FailoverIT {

    @Test
    void switchToTheReplicaContinuesByGtid(@TempDir Path state) throws Exception {
        MySqlServer primary = Flavor.MYSQL57.start();
        Servers.ensure("mysql57r");
        MySqlServer replica = new MySqlServer(Flavor.MYSQL57, "127.0.0.1", Servers.port("SLUICE_MYSQL57R_PORT", 13058));
        primary.freshDatabase("it_failover",
                "CREATE TABLE it_failover.t (id INT PRIMARY KEY, v VARCHAR(20))");
        awaitReplicated(replica, "it_failover", 0);
        String topic = "it-failover-" + System.nanoTime();
        String name = "failover-" + System.nanoTime();
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(JobYaml.of(name, primary, topic, state, "it_failover.t", 6501))) {
                for (int i = 1; i <= 30; i++) primary.exec("INSERT INTO it_failover.t VALUES (" + i + ", 'p')");
                out.await(30, Duration.ofSeconds(60));
            }
            // while the job is down, more changes; the replica has them all before the job switches to it
            for (int i = 31; i <= 60; i++) primary.exec("INSERT INTO it_failover.t VALUES (" + i + ", 'p')");
            primary.exec("UPDATE it_failover.t SET v = 'u' WHERE id <= 5");
            awaitReplicated(replica, "it_failover", 60);
            try (RunningJob job = RunningJob.start(JobYaml.of(name, replica, topic, state, "it_failover.t", 6501))) {
                for (int i = 61; i <= 80; i++) primary.exec("INSERT INTO it_failover.t VALUES (" + i + ", 'p')");
                List<GenericRecord> records = out.await(85, Duration.ofSeconds(90));
                records = out.drain(Duration.ofSeconds(3));
                List<String> got = records.stream().map(FailoverIT::summary).toList();
                List<String> expected = new java.util.ArrayList<>();
                IntStream.rangeClosed(1, 60).forEach(i -> expected.add("INSERT " + i));
                IntStream.rangeClosed(1, 5).forEach(i -> expected.add("UPDATE " + i));
                IntStream.rangeClosed(61, 80).forEach(i -> expected.add("INSERT " + i));
                assertEquals(expected, got);
            }
        }
    }

    /**
     * The source address moves to the replica while the job runs (a VIP): the job reconnects there, goes on by GTID set,
     * and its checkpoints name the replica as the server they were read on. They named the primary before: the delivery
     * reopened after the failure took the server identity before the reconnect read the new one.
     */
    @Test
    void aVipMovedToTheReplicaWhileRunningIsTheServerTheCheckpointNames(@TempDir Path state) throws Exception {
        MySqlServer primary = Flavor.MYSQL57.start();
        Servers.ensure("mysql57r");
        MySqlServer replica = new MySqlServer(Flavor.MYSQL57, "127.0.0.1", Servers.port("SLUICE_MYSQL57R_PORT", 13058));
        primary.freshDatabase("it_failover_vip", "CREATE TABLE it_failover_vip.t (id INT PRIMARY KEY, v VARCHAR(20))");
        awaitReplicated(replica, "it_failover_vip", 0);
        String topic = "it-failover-vip-" + System.nanoTime();
        String name = "failover-vip-" + System.nanoTime();
        try (TcpProxy vip = new TcpProxy(primary.port()); DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            MySqlServer viaVip = new MySqlServer(Flavor.MYSQL57, "127.0.0.1", vip.port());
            try (RunningJob job = RunningJob.start(JobYaml.of(name, viaVip, topic, state, "it_failover_vip.t", 6503))) {
                for (int i = 1; i <= 10; i++) primary.exec("INSERT INTO it_failover_vip.t VALUES (" + i + ", 'p')");
                out.await(10, Duration.ofSeconds(60));
                awaitReplicated(replica, "it_failover_vip", 10);
                vip.retarget(replica.port());
                for (int i = 11; i <= 20; i++) primary.exec("INSERT INTO it_failover_vip.t VALUES (" + i + ", 'p')");
                out.await(20, Duration.ofSeconds(90));
            }
            assertEquals(IntStream.rangeClosed(1, 20).mapToObj(i -> "INSERT " + i).toList(),
                    out.readToEnd().stream().map(FailoverIT::summary).toList());
            JobConfig.Target target = new JobConfig.Target();
            target.bootstrapServers = Servers.kafkaBootstrap();
            target.topic = topic;
            Checkpoint last;
            try (KafkaTarget kafka = new KafkaTarget(target)) {
                last = Checkpoint.fromJson(new CheckpointTopic(kafka, topic + "-sluice-checkpoints").readLast(name).get(name));
            }
            assertEquals("MySQL server_uuid " + serverUuid(replica), last.sourceServer(), "the checkpoint names the server it was read on");
        } finally {
            primary.exec("DROP DATABASE IF EXISTS it_failover_vip");
        }
    }

    private static String serverUuid(MySqlServer server) throws Exception {
        try (var c = server.root(); ResultSet rs = c.createStatement().executeQuery("SELECT @@server_uuid")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void positionCheckpointRefusesAnotherServer(@TempDir Path dir) throws Exception {
        MySqlServer noGtid = Servers.mysql57NoGtid();
        MySqlServer other = Flavor.MYSQL57.start(); // another server_uuid (GTIDs on: but the checkpoint has no GTID set)
        String db = "it_failover_pos";
        noGtid.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        other.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-failover-pos-" + System.nanoTime();
        String name = "failover-pos-" + System.nanoTime();
        Path state = dir.resolve("state");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(JobYaml.of(name, noGtid, topic, state, db + ".t", 6502))) {
                noGtid.exec("INSERT INTO " + db + ".t VALUES (1, 'a')");
                out.await(1, Duration.ofSeconds(60));
            }
            Path yaml = dir.resolve("moved.yaml");
            java.nio.file.Files.writeString(yaml, JobYaml.of(name, other, topic, state, db + ".t", 6502));
            SluiceProcess.Result r = SluiceProcess.exec(120, "run", "--config", yaml.toString());
            String text = r.all().trim();
            assertEquals(2, r.exitCode(), text);
            String line = text.lines().filter(l -> l.startsWith("sluice: ")).findFirst().orElse(text);
            org.junit.jupiter.api.Assertions.assertTrue(line.contains("resumes by binlog position") && line.contains("another server")
                    && line.contains("Fix: ") && line.contains("--reinitialize"), text);
            assertEquals(1, text.lines().filter(l -> l.startsWith("sluice: ")).count(), text);
            org.junit.jupiter.api.Assertions.assertFalse(text.contains("\tat "), "a stack trace: " + text);
            // nothing was written from the other server
            other.exec("INSERT INTO " + db + ".t VALUES (2, 'b')");
            assertEquals(List.of("INSERT 1"), out.drain(Duration.ofSeconds(2)).stream().map(FailoverIT::summary).toList());
        } finally {
            noGtid.exec("DROP DATABASE IF EXISTS " + db);
            other.exec("DROP DATABASE IF EXISTS " + db);
        }
    }

    private static String summary(GenericRecord r) {
        List<Value> after = Images.of(r, "afterImages");
        return r.get("operation") + " " + ((Value.IntegerValue) after.get(0)).value();
    }

    private static void awaitReplicated(MySqlServer replica, String db, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = replica.root(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + db + ".t")) {
                if (rs.next() && rs.getInt(1) >= rows) return;
            } catch (java.sql.SQLException notYet) {
                // database or table not replicated yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the replica did not catch up");
    }
}
