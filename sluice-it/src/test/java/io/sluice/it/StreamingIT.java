package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Exclusive;
import io.sluice.it.support.Servers;
import io.sluice.core.model.Value;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DML shapes, commit order, selection and restart behaviour on MySQL 5.7 (the primary target). */
class StreamingIT {

    /** Operation, table, and (id, v) of the before and after images: "UPDATE db.t 1:a->1:b". */
    static String summary(GenericRecord r) {
        List<Value> before = Images.of(r, "beforeImages");
        List<Value> after = Images.of(r, "afterImages");
        return r.get("operation") + " " + r.get("objectName") + " " + key(before) + "->" + key(after);
    }

    /** The first two columns (id, v) as text. */
    private static String key(List<Value> image) {
        if (image == null) return "-";
        String v = image.get(1) instanceof Value.CharacterValue c ? new String(c.value()) : String.valueOf(image.get(1));
        return ((Value.IntegerValue) image.get(0)).value() + ":" + v;
    }

    @Test
    void everyDmlShapeInCommitOrder(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_dml",
                "CREATE TABLE it_dml.a (id INT PRIMARY KEY, v VARCHAR(20), u INT UNIQUE)",
                "CREATE TABLE it_dml.b (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE it_dml.ignored (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-dml-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("dml", server, topic, state, "it_dml.a, it_dml.b", 7101));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            server.exec(
                    "INSERT INTO it_dml.a VALUES (1,'one',10),(2,'two',20),(3,'three',30)",
                    "INSERT INTO it_dml.ignored VALUES (1,'x')",
                    "START TRANSACTION",
                    "UPDATE it_dml.a SET v = CONCAT(v, '!') WHERE id IN (1,2)",
                    "INSERT INTO it_dml.b VALUES (1,'b1')",
                    "DELETE FROM it_dml.a WHERE id = 3",
                    "COMMIT",
                    "REPLACE INTO it_dml.a VALUES (1,'replaced',10)",
                    "REPLACE INTO it_dml.a VALUES (4,'four',20)",
                    "START TRANSACTION",
                    "INSERT INTO it_dml.b VALUES (2,'rolled back')",
                    "ROLLBACK",
                    "DELETE FROM it_dml.b");
            // REPLACE as the binlog holds it: a conflict on any but the table's last unique index is a
            // delete then an insert (id 1); a conflict on the last one (u) updates in place (row 2 becomes 4).
            List<String> expected = List.of(
                    "INSERT it_dml.a -->1:one", "INSERT it_dml.a -->2:two", "INSERT it_dml.a -->3:three",
                    "UPDATE it_dml.a 1:one->1:one!", "UPDATE it_dml.a 2:two->2:two!",
                    "INSERT it_dml.b -->1:b1", "DELETE it_dml.a 3:three->-",
                    "DELETE it_dml.a 1:one!->-", "INSERT it_dml.a -->1:replaced",
                    "UPDATE it_dml.a 2:two!->4:four",
                    "DELETE it_dml.b 1:b1->-");
            List<GenericRecord> records = out.await(expected.size(), Duration.ofSeconds(60));
            List<String> got = records.stream().map(StreamingIT::summary).toList();
            assertEquals(expected, got.subList(0, Math.min(got.size(), expected.size())), "all: " + got);
            job.close(); // the DELETE FROM it_dml.b was the last statement
            assertEquals(expected.size(), out.readToEnd().size(), "nothing more (no rollback, no ignored table)");

            // one source transaction, one sourceTxid and one safe position; distinct from the next
            GenericRecord u1 = records.get(3), d3 = records.get(6), r1 = records.get(7);
            assertEquals(u1.get("sourceTxid").toString(), d3.get("sourceTxid").toString());
            assertEquals(u1.get("safeSourcePosition").toString(), d3.get("safeSourcePosition").toString());
            assertTrue(!u1.get("sourceTxid").toString().equals(r1.get("sourceTxid").toString()));
        }
    }

    @Test
    void restartResumesWhereItStoppedWithFreshIds(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_restart",
                "CREATE TABLE it_restart.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-restart-" + System.nanoTime();
        String yaml = JobYaml.of("restart", server, topic, state, "it_restart.t", 7102);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO it_restart.t VALUES (1,'a'),(2,'b')");
                assertEquals(2, out.await(2, Duration.ofSeconds(30)).size());
            }
            // changes made while the job is down arrive after the restart, exactly once
            server.exec("INSERT INTO it_restart.t VALUES (3,'c')", "UPDATE it_restart.t SET v='bb' WHERE id=2");
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("DELETE FROM it_restart.t WHERE id=1");
                List<GenericRecord> records = out.await(5, Duration.ofSeconds(30));
                assertEquals(List.of("INSERT it_restart.t -->1:a", "INSERT it_restart.t -->2:b",
                        "INSERT it_restart.t -->3:c", "UPDATE it_restart.t 2:b->2:bb", "DELETE it_restart.t 1:a->-"),
                        records.stream().map(StreamingIT::summary).toList());
                job.close(); // the DELETE was the last statement
                assertEquals(5, out.readToEnd().size());
                for (int i = 1; i < records.size(); i++) {
                    assertTrue((Long) records.get(i).get("id") > (Long) records.get(i - 1).get("id"));
                }
            }
        }
    }

    @Test
    void atLeastOnceDeliveryKeepsItsCheckpointInAFile(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_alo", "CREATE TABLE it_alo.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-alo-" + System.nanoTime();
        String yaml = JobYaml.of("alo", server, topic, state, "it_alo.t", 7104)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: atLeastOnce");
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob job = RunningJob.start(yaml)) {
                assertTrue(!job.job().exactlyOnce());
                server.exec("INSERT INTO it_alo.t VALUES (1,'a')");
                out.await(1, Duration.ofSeconds(30));
            }
            String checkpoint = java.nio.file.Files.readString(state.resolve("alo.state.json"));
            assertTrue(checkpoint.contains("\"binlogFile\":\"mysql-bin.") && checkpoint.contains("\"nextId\":2"), checkpoint);
            server.exec("INSERT INTO it_alo.t VALUES (2,'b')");
            try (RunningJob job = RunningJob.start(yaml)) {
                List<GenericRecord> records = out.await(2, Duration.ofSeconds(30));
                job.close(); // INSERT 2 was the last statement
                assertEquals(List.of("INSERT it_alo.t -->1:a", "INSERT it_alo.t -->2:b"),
                        out.readToEnd().stream().map(StreamingIT::summary).toList());
                assertTrue((Long) records.get(1).get("id") > (Long) records.get(0).get("id"));
            }
        }
    }

    @Test
    @Exclusive("kafka2") // stops it
    void kafkaOutageDelaysButLosesNothing(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_outage",
                "CREATE TABLE it_outage.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-outage-" + System.nanoTime();
        // kafka2: the second test broker, which tests may stop (the shared kafka stays up for the others)
        String bootstrap = Servers.kafka2Bootstrap();
        try (RunningJob job = RunningJob.start(JobYaml.of("outage", server, bootstrap, topic, state, "it_outage.t", 7103))) {
            server.exec("INSERT INTO it_outage.t VALUES (1,'before')");
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                assertEquals(1, out.await(1, Duration.ofSeconds(30)).size());
            }
            Servers.run("down", "kafka2");
            try {
                for (int i = 2; i <= 50; i++) server.exec("INSERT INTO it_outage.t VALUES (" + i + ",'during')");
                Thread.sleep(3000);
                assertEquals(null, job.failure(), "the job waits for Kafka instead of failing");
            } finally {
                Servers.run("up", "kafka2");
            }
            server.exec("INSERT INTO it_outage.t VALUES (51,'after')");
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                List<GenericRecord> records = out.await(51, Duration.ofSeconds(120));
                List<String> ids = records.stream().map(r -> ((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value()).toList();
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 51).mapToObj(String::valueOf).toList(), ids);
            }
        }
    }
}
