package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.core.model.Value;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rows larger than Kafka's default limits (on MySQL 8.0, whose max_allowed_packet is 64 MB): with
 * the defaults the job stops at once naming the row, its size, the limit and the settings to raise
 * (it used to retry for ever); with the limits raised, 5 MB and 50 MB rows arrive intact.
 */
@Timeout(300)
class LargeRowIT {

    private static String job(String name, MySqlServer server, String topic, Path state, long serverId, String producer) {
        return JobYaml.of(name, server, Servers.kafkaBootstrap(), topic, state, "it_large.t", serverId, producer);
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b); // incompressible: compression cannot hide the size
        return b;
    }

    private static void insert(MySqlServer server, int id, byte[] blob) throws Exception {
        // server-side prepared: the blob goes as binary long data, not as a hex literal twice its size
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://" + server.host() + ":" + server.port()
                + "/?user=root&password=&sslMode=DISABLED&allowPublicKeyRetrieval=true&useServerPrepStmts=true");
             PreparedStatement ps = c.prepareStatement("INSERT INTO it_large.t VALUES (?, ?)")) {
            ps.setInt(1, id);
            ps.setBytes(2, blob);
            ps.executeUpdate();
        }
    }

    private static String check(Path jobFile) {
        StringWriter out = new StringWriter();
        SluiceCli.execute(new String[] {"check", "--config", jobFile.toString()}, new PrintWriter(out, true), new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void aRowLargerThanKafkaAcceptsStopsTheJobWithExit2NamingTheRowAndTheFix(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_large", "CREATE TABLE it_large.t (id INT PRIMARY KEY, b LONGBLOB)");
        String topic = "it-large-default-" + System.nanoTime();
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, job("large-default-" + System.nanoTime(), server, topic, dir.resolve("state"), 7811, ""));

        String precheck = check(jobFile);
        assertTrue(precheck.lines().anyMatch(l -> l.startsWith("WARN") && l.contains("record size")
                && l.contains("max_allowed_packet (67108864 bytes)") && l.contains("max.request.size=1048576")), precheck);

        Path log = dir.resolve("sluice.log");
        SluiceProcess job = SluiceProcess.start(jobFile, log);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(Files.exists(log) && Files.readString(log).contains("streaming binlog of")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            insert(server, 1, randomBytes(5 << 20, 1));
            assertEquals(2, job.awaitExit(Duration.ofSeconds(120)), () -> "exit 2 for a row Kafka refuses; log:\n" + read(log));
            String error = read(log).lines().filter(l -> l.startsWith("sluice: ")).findFirst().orElse("");
            assertTrue(error.matches(".*: 52\\d{5} bytes, more than .*"), "the error names the record's size: " + error);
            for (String part : List.of("a row of it_large.t at binlog mysql-bin.", "max.request.size (1048576 bytes",
                    "max.message.bytes", "buffer.memory")) {
                assertTrue(error.contains(part), "the error names " + part + ": " + error);
            }
            assertTrue(!read(log).contains("error state; resuming"), "no endless retry");
        } finally {
            if (job.isAlive()) job.kill();
        }
    }

    @Test
    void aRowTheBrokerRefusesStopsTheJobNamingTheTopicLimit(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_large", "CREATE TABLE it_large.t (id INT PRIMARY KEY, b LONGBLOB)");
        String topic = "it-large-broker-" + System.nanoTime();
        // the producer takes the record; the topic (broker default, about 1 MB) refuses it, asynchronously
        String yaml = job("large-broker-" + System.nanoTime(), server, topic, dir.resolve("state"), 7813,
                "max.request.size: 20000000, buffer.memory: 67108864");
        RunningJob job = RunningJob.start(yaml);
        try {
            insert(server, 1, randomBytes(5 << 20, 2));
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (job.failure() == null && System.nanoTime() < deadline) Thread.sleep(200);
            Throwable failure = job.failure();
            assertTrue(failure instanceof io.sluice.core.error.SluiceException, "the job stops with a user-fixable error: " + failure);
            String line = ((io.sluice.core.error.SluiceException) failure).oneLine();
            for (String part : List.of("a row of it_large.t at binlog mysql-bin.", "topic " + topic + "'s max.message.bytes",
                    "max.request.size", "buffer.memory")) {
                assertTrue(line.contains(part), "the error names " + part + ": " + line);
            }
        } finally {
            try {
                job.close();
            } catch (IllegalStateException expected) {
                // close() rethrows the job's failure, checked above
            }
        }
    }

    @Test
    void rowsOf5And50MegabytesArriveIntactWithTheLimitsRaised(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_large", "CREATE TABLE it_large.t (id INT PRIMARY KEY, b LONGBLOB)");
        String topic = "it-large-raised-" + System.nanoTime();
        int limit = 70_000_000; // above MySQL 8.0's max_allowed_packet (64 MB): no row can be larger
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", String.valueOf(limit)))))
                    .all().get();
        }
        String yaml = job("large-raised-" + System.nanoTime(), server, topic, dir.resolve("state"), 7812,
                "max.request.size: " + limit + ", buffer.memory: 134217728");
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, yaml);
        String precheck = check(jobFile);
        assertTrue(precheck.lines().anyMatch(l -> l.startsWith("PASS") && l.contains("record size")), precheck);

        byte[] five = randomBytes(5 << 20, 5);
        byte[] fifty = randomBytes(50 << 20, 50);
        try (RunningJob job = RunningJob.start(yaml); DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            insert(server, 5, five);
            insert(server, 50, fifty);
            List<GenericRecord> records = out.await(2, Duration.ofSeconds(180));
            assertEquals(2, records.size(), "both rows arrive");
            assertArrayEquals(five, blob(records.get(0)));
            assertArrayEquals(fifty, blob(records.get(1)));
        }
    }

    @Test
    void aRowLargerThanTheHeapStopsTheJobWithExit2AndTheRowArrivesWithMoreHeap(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_large", "CREATE TABLE it_large.t (id INT PRIMARY KEY, b LONGBLOB)");
        String topic = "it-large-heap-" + System.nanoTime();
        int limit = 70_000_000;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", String.valueOf(limit)))))
                    .all().get();
        }
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, job("large-heap-" + System.nanoTime(), server, topic, dir.resolve("state"), 7814,
                "max.request.size: " + limit + ", buffer.memory: 134217728"));
        Path log = dir.resolve("sluice.log");
        SluiceProcess small = SluiceProcess.startIn(Servers.root(), Map.of("SLUICE_JAVA_OPTS", "-Xmx48m"), log,
                "bash", Servers.root().resolve("bin/sluice").toString(), "run", "--config", jobFile.toString());
        byte[] forty = randomBytes(40 << 20, 40);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (!(Files.exists(log) && read(log).contains("streaming binlog of")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            insert(server, 40, forty);
            // the binlog client's thread cannot hold the 40 MB event twice in 48 MB: it used to die alone, and the job
            // retried "lost the binlog connection" for ever
            assertEquals(2, small.awaitExit(Duration.ofSeconds(120)), () -> "exit 2 when out of heap; log:\n" + read(log));
            String error = read(log).lines().filter(l -> l.startsWith("sluice: out of memory")).findFirst().orElse("");
            assertTrue(error.contains("at most 4") && error.contains("nothing is lost") && error.contains("SLUICE_JAVA_OPTS=-Xmx1g"),
                    "one line naming the heap and the fix:\n" + read(log));
        } finally {
            if (small.isAlive()) small.kill();
        }
        // the fix the line gives (the ITs' usual 256 MB is too small for a 40 MB row: the producer's lz4 buffer doubles)
        try (SluiceProcess enough = SluiceProcess.startIn(Servers.root(), Map.of("SLUICE_JAVA_OPTS", "-Xmx1g -XX:TieredStopAtLevel=1"),
                dir.resolve("sluice2.log"), "bash", Servers.root().resolve("bin/sluice").toString(), "run", "--config", jobFile.toString());
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            List<GenericRecord> records = out.await(1, Duration.ofSeconds(180));
            assertEquals(1, records.size(), () -> "the row arrives after the restart; log:\n" + read(dir.resolve("sluice2.log")));
            assertArrayEquals(forty, blob(records.get(0)));
        }
    }

    private static byte[] blob(GenericRecord r) {
        Value v = Images.of(r, "afterImages").get(1);
        return ((Value.BinaryObjectValue) v).value();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
