package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.PrivateMySql;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.Exclusive;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The topologies of docs/topologies.md on the real servers: a cascade (Sluice reads a replica
 * that logs what it replicates), N sources into one topic (N jobs, across SIGKILLs), and one
 * source into two Kafka clusters (two jobs).
 */
@Exclusive("kafka2") // writes to it: not while KafkaOutageIT stops it
@Timeout(180)
class TopologyIT {

    /**
     * mysql57 → mysql57r (GTID replica, log_slave_updates) → Sluice. Changes made on the primary reach
     * the replica's binlog through replication; changes made on the replica itself go into a database
     * that only the replica has (created there, so it is in the replica's binlog and never conflicts
     * with what replication applies; nothing flows back to the primary). Both arrive once.
     */
    @Test
    void cascadeDeliversChangesOfThePrimaryAndOfTheReplicaOnce(@TempDir Path dir) throws Exception {
        streamsCascade(Flavor.MYSQL57.start(), Servers.mysql57Replica(), "it_topo_cascade", 7511, dir);
    }

    /** The same without GTIDs: mysql57nogtid → a private MySQL 5.7 replicating by position (log_slave_updates=ON) → Sluice. */
    @Test
    void cascadeWithoutGtids(@TempDir Path dir) throws Exception {
        MySqlServer primary = Servers.mysql57NoGtid();
        try (PrivateMySql replica = privateReplicaOf(primary, dir.resolve("mysql"), "ON")) {
            streamsCascade(primary, replica.server(Flavor.MYSQL57), "it_topo_cascade_nogtid", 7512, dir);
        }
    }

    private static void streamsCascade(MySqlServer primary, MySqlServer replica, String db, int serverId, Path dir) throws Exception {
        String fromA = db + "_a";
        String onB = db + "_b";
        primary.freshDatabase(fromA, "CREATE TABLE " + fromA + ".t (id INT PRIMARY KEY, v INT)");
        replica.freshDatabase(onB, "CREATE TABLE " + onB + ".t (id INT PRIMARY KEY, v INT)");
        awaitRows(replica, fromA + ".t", 0);
        String topic = "it-topo-cascade-" + System.nanoTime();
        String yaml = JobYaml.of("topo-cascade-" + System.nanoTime(), replica, topic, dir.resolve("state"),
                fromA + ".t, " + onB + ".t", serverId);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             RunningJob job = RunningJob.start(yaml)) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                primary.exec("INSERT INTO " + fromA + ".t VALUES (" + i + ", " + i + ")");
                replica.exec("INSERT INTO " + onB + ".t VALUES (" + i + ", " + (100 + i) + ")");
            }
            primary.exec("UPDATE " + fromA + ".t SET v = v + 1000 WHERE id <= 3");
            replica.exec("DELETE FROM " + onB + ".t WHERE id <= 2");
            for (int i = 1; i <= 10; i++) expected.add(fromA + ".t INSERT " + i + " " + i);
            for (int i = 1; i <= 3; i++) expected.add(fromA + ".t UPDATE " + i + " " + (1000 + i));
            List<String> expectedB = new ArrayList<>();
            for (int i = 1; i <= 10; i++) expectedB.add(onB + ".t INSERT " + i + " " + (100 + i));
            for (int i = 1; i <= 2; i++) expectedB.add(onB + ".t DELETE " + i + " " + (100 + i));

            out.await(expected.size() + expectedB.size(), Duration.ofSeconds(60));
            job.close(); // the UPDATE (replicated) and the DELETE were the last statements
            List<String> got = out.readToEnd().stream().map(TopologyIT::row).toList();
            // each server's changes in its own commit order, each once; how they interleave depends on replication lag
            assertEquals(expected, got.stream().filter(r -> r.startsWith(fromA + ".")).toList(), "from the primary: " + got);
            assertEquals(expectedB, got.stream().filter(r -> r.startsWith(onB + ".")).toList(), "made on the replica: " + got);
            assertEquals(expected.size() + expectedB.size(), got.size(), got.toString());
        } finally {
            primary.exec("DROP DATABASE IF EXISTS " + fromA);
            replica.exec("DROP DATABASE IF EXISTS " + onB);
        }
    }

    /**
     * `sluice check` on a cascade source without log_slave_updates: a private MySQL 5.7 (the shared
     * servers all have it on), a position replica of mysql57nogtid with log_slave_updates=OFF.
     */
    @Test
    void checkWarnsAboutAReplicaWithoutLogSlaveUpdates(@TempDir Path dir) throws Exception {
        MySqlServer upstream = Servers.mysql57NoGtid();
        try (PrivateMySql mysql = privateReplicaOf(upstream, dir.resolve("mysql"), "OFF")) {
            mysql.exec("CREATE DATABASE it_topo_nolsu", "CREATE TABLE it_topo_nolsu.t (id INT PRIMARY KEY)");
            try (var c = mysql.rootOverSocketlessTcp(); ResultSet rs = c.createStatement().executeQuery("SHOW SLAVE STATUS")) {
                assertTrue(rs.next() && String.valueOf(upstream.port()).equals(rs.getString("Master_Port")), "a replica");
            }
            Path job = dir.resolve("job.yaml");
            Files.writeString(job, JobYaml.of("topo-nolsu", mysql.server(Flavor.MYSQL57), "it-topo-nolsu-" + System.nanoTime(),
                    dir.resolve("state"), "it_topo_nolsu.t", 7541));
            java.io.StringWriter out = new java.io.StringWriter();
            int code = io.sluice.app.cli.SluiceCli.execute(new String[] {"check", "--config", job.toString()},
                    new java.io.PrintWriter(out, true), new java.io.PrintWriter(new java.io.StringWriter(), true));
            String text = out.toString();
            assertEquals(0, code, text); // a warning, not a failure: a server that is no replica may have it off
            String line = text.lines().filter(l -> l.startsWith("WARN  cascade")).findFirst().orElse(text);
            assertTrue(line.contains("log_slave_updates=OFF: changes replicated into this server are not in its binlog")
                    && line.contains("set log_slave_updates=ON"), line);
        }
    }

    /**
     * Two servers, two jobs, one topic. Both have a table it_topo_n1.t: merged under one name (told
     * apart by tags.source), and it_topo_n1.m: kept apart by objects.mapping. The second job starts on
     * a topic already holding the first one's records (no false "lost checkpoint"); each job is
     * SIGKILLed once while rows are written to both servers, and restarted. Per source, every change
     * arrives exactly once in commit order, with strictly increasing ids.
     */
    @Test
    void twoSourcesIntoOneTopicStayApartAndExactlyOnceAcrossKills(@TempDir Path dir) throws Exception {
        MySqlServer a = Flavor.MYSQL57.start();
        MySqlServer b = Flavor.MYSQL80.start();
        String db = "it_topo_n1";
        for (MySqlServer s : List.of(a, b)) {
            s.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".m (id INT PRIMARY KEY, v INT)");
        }
        String topic = "it-topo-n1-" + System.nanoTime();
        Path jobA = jobFile(dir, "a.yaml", JobYaml.of("topo-n1-a-" + System.nanoTime(), a, topic, dir.resolve("a"), db + ".t, " + db + ".m", 7521),
                db + ".m: " + db + ".m_from57");
        Path jobB = jobFile(dir, "b.yaml", JobYaml.of("topo-n1-b-" + System.nanoTime(), b, topic, dir.resolve("b"), db + ".t, " + db + ".m", 7522),
                db + ".m: " + db + ".m_from80");
        Path logA = dir.resolve("a.log"), logB = dir.resolve("b.log");
        Writer writer = new Writer(a, b, db);
        Thread load = new Thread(writer, "n1-writer");
        SluiceProcess pa = SluiceProcess.start(jobA, logA), pb = null;
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            CrashIT.waitForStreaming(logA, 1);
            a.exec("INSERT INTO " + db + ".t VALUES (0, 0)");
            out.await(1, Duration.ofSeconds(60));
            pb = SluiceProcess.start(jobB, logB); // the topic holds job A's records already: not job B's
            CrashIT.waitForStreaming(logB, 1);
            load.start();
            Thread.sleep(1500);
            pa.kill();
            pa = SluiceProcess.start(jobA, logA);
            CrashIT.waitForStreaming(logA, 2);
            Thread.sleep(1000);
            pb.kill();
            pb = SluiceProcess.start(jobB, logB);
            CrashIT.waitForStreaming(logB, 2);
            Thread.sleep(1000);
            writer.stop.set(true);
            load.join(30_000);
            assertNull(writer.failure.get(), "writer failed");

            List<String> expectedA = new ArrayList<>(List.of(db + ".t 0"));
            List<String> expectedB = new ArrayList<>();
            for (int i = 1; i <= writer.rounds; i++) {
                expectedA.addAll(List.of(db + ".t " + i, db + ".m_from57 " + i));
                expectedB.addAll(List.of(db + ".t " + i, db + ".m_from80 " + i));
            }
            out.await(expectedA.size() + expectedB.size(), Duration.ofSeconds(90));
            pa.terminate(); // the writer has stopped
            pb.terminate();
            List<GenericRecord> records = out.readToEnd();
            assertTrue(writer.rounds > 0, "nothing written");
            assertEquals(expectedA, perSource(records, "mysql57"), "the mysql57 job's records");
            assertEquals(expectedB, perSource(records, "mysql80"), "the mysql80 job's records");
            assertEquals(expectedA.size() + expectedB.size(), records.size());
            for (String source : List.of("mysql57", "mysql80")) {
                long last = 0;
                for (GenericRecord r : records) {
                    if (!source.equals(tag(r, "source"))) continue;
                    long id = (Long) r.get("id");
                    assertTrue(id > last, source + ": id " + id + " after " + last);
                    last = id;
                }
            }
        } finally {
            writer.stop.set(true);
            if (pa.isAlive()) pa.kill();
            if (pb != null && pb.isAlive()) pb.kill();
            load.join(30_000);
            a.exec("DROP DATABASE IF EXISTS " + db);
            b.exec("DROP DATABASE IF EXISTS " + db);
        }
    }

    /** One source, two jobs (two serverIds), one into each of two Kafka clusters: both get every change once. */
    @Test
    void oneSourceIntoTwoKafkaClusters(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_topo_1n";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)");
        String topic = "it-topo-1n-" + System.nanoTime();
        String first = Servers.kafkaBootstrap(), second = Servers.kafka2Bootstrap();
        try (DtsTopic out1 = new DtsTopic(first, topic); DtsTopic out2 = new DtsTopic(second, topic);
             RunningJob j1 = RunningJob.start(JobYaml.of("topo-1n-k1-" + System.nanoTime(), server, first, topic, dir.resolve("1"), db + ".t", 7531));
             RunningJob j2 = RunningJob.start(JobYaml.of("topo-1n-k2-" + System.nanoTime(), server, second, topic, dir.resolve("2"), db + ".t", 7532))) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                server.exec("INSERT INTO " + db + ".t VALUES (" + i + ", " + i + ")");
                expected.add(db + ".t INSERT " + i + " " + i);
            }
            server.exec("UPDATE " + db + ".t SET v = 0 WHERE id = 7");
            expected.add(db + ".t UPDATE 7 0");
            for (DtsTopic out : List.of(out1, out2)) out.await(expected.size(), Duration.ofSeconds(60));
            j1.close(); // the UPDATE was the last statement
            j2.close();
            for (DtsTopic out : List.of(out1, out2)) {
                assertEquals(expected, out.readToEnd().stream().map(TopologyIT::row).toList());
            }
        } finally {
            server.exec("DROP DATABASE IF EXISTS " + db);
        }
    }

    /**
     * A private MySQL 5.7 (no GTIDs) replicating {@code upstream} (GTIDs off) by position from its
     * binlog end, with the sluice account; stopped by its close().
     */
    private static PrivateMySql privateReplicaOf(MySqlServer upstream, Path dir, String logSlaveUpdates) throws Exception {
        String file;
        long position;
        try (var c = upstream.root(); ResultSet rs = c.createStatement().executeQuery("SHOW MASTER STATUS")) {
            rs.next();
            file = rs.getString(1);
            position = rs.getLong(2);
        }
        PrivateMySql mysql = PrivateMySql.start("mysql57", dir, "log_slave_updates=" + logSlaveUpdates);
        try {
            mysql.exec("CREATE USER 'sluice'@'%' IDENTIFIED BY 'sluice'",
                    "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'sluice'@'%'",
                    "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=" + upstream.port() + ", MASTER_USER='root',"
                            + " MASTER_PASSWORD='', MASTER_LOG_FILE='" + file + "', MASTER_LOG_POS=" + position
                            + ", MASTER_CONNECT_RETRY=1",
                    "START SLAVE");
            return mysql;
        } catch (Exception e) {
            mysql.close();
            throw e;
        }
    }

    /** Writes round i as: on each server, INSERT into t, then into m (two transactions each). */
    static final class Writer implements Runnable {
        final MySqlServer a, b;
        final String db;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile int rounds;

        Writer(MySqlServer a, MySqlServer b, String db) {
            this.a = a;
            this.b = b;
            this.db = db;
        }

        @Override
        public void run() {
            try (var ca = a.root(); var sa = ca.createStatement(); var cb = b.root(); var sb = cb.createStatement()) {
                for (int i = 1; !stop.get(); i++) {
                    for (var s : List.of(sa, sb)) {
                        s.execute("INSERT INTO " + db + ".t VALUES (" + i + ", " + i + ")");
                        s.execute("INSERT INTO " + db + ".m VALUES (" + i + ", " + i + ")");
                    }
                    rounds = i;
                    Thread.sleep(20);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }

    private static Path jobFile(Path dir, String name, String yaml, String tableMapping) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml.replace("objects:\n", "objects:\n  mapping:\n    tables: {" + tableMapping + "}\n")
                + "initialization:\n  fullData: false\n");
        return f;
    }

    /** "objectName id" of the records whose tags.source is {@code source}, in topic order. */
    static List<String> perSource(List<GenericRecord> records, String source) {
        return records.stream().filter(r -> source.equals(tag(r, "source")))
                .map(r -> r.get("objectName") + " " + ((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value()).toList();
    }

    static String tag(GenericRecord r, String key) {
        for (Map.Entry<?, ?> e : ((Map<?, ?>) r.get("tags")).entrySet()) {
            if (e.getKey().toString().equals(key)) return e.getValue().toString();
        }
        return null;
    }

    /** "objectName OPERATION id v" (v of the after image, or of the before image for a DELETE). */
    private static String row(GenericRecord r) {
        String op = r.get("operation").toString();
        List<Value> image = Images.of(r, op.equals("DELETE") ? "beforeImages" : "afterImages");
        return r.get("objectName") + " " + op + " " + ((Value.IntegerValue) image.get(0)).value() + " "
                + ((Value.IntegerValue) image.get(1)).value();
    }

    private static void awaitRows(MySqlServer replica, String table, int rows) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            try (var c = replica.root(); ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM " + table)) {
                if (rs.next() && rs.getInt(1) >= rows) return;
            } catch (java.sql.SQLException notYet) {
                // not replicated yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the replica did not catch up");
    }
}
