package io.sluice.it;

import io.sluice.it.support.ConnectCluster;
import io.sluice.it.support.ConnectCluster.Worker;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceConnectors;
import io.sluice.it.support.Exclusive;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-data initialization on a real Connect cluster: a 200 000-row table (and smaller ones) is
 * written as INIT records while InitializationIT's workload changes it; the worker running the task
 * is SIGKILLed in the middle of the big table, the task resumes on the other worker from the
 * initialization progress committed in Connect's offsets, and completes. Every key has at most one
 * INIT record (finished chunks are not written again; a row changed while its chunk was read is
 * superseded by its stream record), and replaying the topic (read_committed) equals the tables.
 */
@Exclusive("connect-cluster") // kills workers
class ConnectInitializationIT {

    private static final int BIG_ROWS = 200_000;

    @Test
    void initializationInterruptedByAWorkerKillResumesAndEqualsTheTables() throws Exception {
        ConnectCluster cluster = ConnectCluster.ensure();
        MySqlServer server = Flavor.MYSQL57.start();
        // InitializationIT.Workload writes these four tables
        String db = "it_init_connect";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(40))",
                "CREATE TABLE " + db + ".comp (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (a, b))",
                "CREATE TABLE " + db + ".vk (k VARCHAR(32) NOT NULL PRIMARY KEY, v INT) DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".uk (id INT NULL, code CHAR(8) NOT NULL, v INT, UNIQUE KEY code (code))");
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            for (int from = 1; from <= BIG_ROWS; from += 5000) { // even ids: the workload inserts odd ones
                StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".big VALUES ");
                for (int i = from; i < from + 5000 && i <= BIG_ROWS; i++) {
                    sql.append(i == from ? "" : ",").append('(').append(2 * i).append(',').append(i % 1000).append(",'pad-").append(i).append("')");
                }
                s.execute(sql.toString());
            }
            StringBuilder comp = new StringBuilder("INSERT INTO " + db + ".comp VALUES ");
            for (int i = 0; i < 2000; i++) comp.append(i == 0 ? "" : ",").append('(').append(i % 50).append(",'k").append(i).append("',").append(i).append(')');
            s.execute(comp.toString());
            StringBuilder uk = new StringBuilder("INSERT INTO " + db + ".uk VALUES ");
            for (int i = 0; i < 2000; i++) uk.append(i == 0 ? "" : ",").append('(').append(i % 3 == 0 ? "NULL" : String.valueOf(i)).append(",'c").append(i).append("',").append(i).append(')');
            s.execute(uk.toString());
        }

        String name = "it-connect-init-" + System.nanoTime();
        Map<String, String> config = SluiceConnectors.config(server, name, db + ".*", 7631);
        config.put("initialization.chunkSize", "4000");
        config.put("initialization.parallelism", "2");
        Map<Worker, Long> logStart = new EnumMap<>(Worker.class);
        for (Worker w : Worker.values()) logStart.put(w, Files.exists(cluster.log(w)) ? Files.size(cluster.log(w)) : 0L);
        InitializationIT.Workload workload = new InitializationIT.Workload(server, db);
        Thread load = new Thread(workload, "connect-init-workload");
        try {
            cluster.create(name, config);
            Worker first = cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
            load.start();
            // kill as soon as some INIT records of big are committed
            try (DtsTopic watch = new DtsTopic(Servers.kafkaBootstrap(), name)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (System.nanoTime() < deadline && watch.pollOnce(Duration.ofMillis(50)).stream().noneMatch(ConnectInitializationIT::isBigInit)) {
                    Thread.sleep(10);
                }
            }
            cluster.kill(first);
            long beforeKill;
            try (DtsTopic committed = new DtsTopic(Servers.kafkaBootstrap(), name)) {
                beforeKill = committed.drain(Duration.ofSeconds(2)).stream().filter(ConnectInitializationIT::isBigInit).count();
            }
            System.out.printf("SIGKILL of %s with %d INIT records of big committed%n", first.name, beforeKill);
            assertTrue(beforeKill > 0 && beforeKill < BIG_ROWS, "killed in the middle: " + beforeKill);
            cluster.awaitTaskRunning(name, first.other(), Duration.ofSeconds(120));
            cluster.start(first);
            awaitLog(cluster, logStart, "initialization complete", Duration.ofSeconds(240));
            Thread.sleep(1500);
            workload.stop();
            load.join(30_000);
            assertNull(workload.failure.get(), "workload failed: " + workload.failure.get());

            // the last changes: a marker row written after the workload stopped
            server.exec("INSERT INTO " + db + ".uk VALUES (-1, 'the-end', 0)");
            List<GenericRecord> records;
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), name)) {
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                do {
                    records = out.await(Integer.MAX_VALUE, Duration.ofSeconds(1));
                } while (System.nanoTime() < deadline && records.stream().noneMatch(r -> r.get("operation").toString().equals("INSERT")
                        && "the-end".equals(InitializationIT.text(Images.of(r, "afterImages")).get(1))));
            }

            Map<String, Map<List<String>, List<String>>> replay = new HashMap<>();
            Map<String, Integer> initCounts = new HashMap<>();
            Set<List<String>> initKeys = new HashSet<>();
            long lastId = 0;
            for (GenericRecord r : records) {
                assertTrue((Long) r.get("id") > lastId, "ids strictly increase");
                lastId = (Long) r.get("id");
                String table = r.get("objectName").toString();
                String op = r.get("operation").toString();
                Map<List<String>, List<String>> rows = replay.computeIfAbsent(table, k -> new HashMap<>());
                List<String> before = InitializationIT.text(Images.of(r, "beforeImages"));
                List<String> after = InitializationIT.text(Images.of(r, "afterImages"));
                if (op.equals("INIT")) {
                    initCounts.merge(table, 1, Integer::sum);
                    List<String> k = new java.util.ArrayList<>(InitializationIT.key(table, after));
                    k.add(0, table);
                    assertTrue(initKeys.add(k), "one INIT per key (finished chunks are not written again): " + k);
                }
                if (before != null) rows.remove(InitializationIT.key(table, before));
                if (after != null) rows.put(InitializationIT.key(table, after), after);
            }
            System.out.printf("%d records; INIT per table %s; workload: %s%n", records.size(), initCounts, workload.summary());
            for (String t : List.of("big", "comp", "vk", "uk")) {
                Map<List<String>, List<String>> expected = InitializationIT.select(server, db, t);
                Map<List<String>, List<String>> actual = replay.getOrDefault(db + "." + t, Map.of());
                assertEquals(expected.size(), actual.size(), t + ": row count after replay");
                assertEquals(expected, actual, t + ": replayed topic equals the table");
            }
            assertTrue(initCounts.get(db + ".big") <= BIG_ROWS + workload.inserts.get(), "finished chunks are not rewritten");
        } finally {
            workload.stop();
            load.join(30_000);
            cluster.deleteCreated();
            cluster.start(Worker.CONNECT1);
            cluster.start(Worker.CONNECT2);
            server.exec("DROP DATABASE IF EXISTS " + db);
        }
    }

    private static boolean isBigInit(GenericRecord r) {
        return "INIT".equals(r.get("operation").toString()) && String.valueOf(r.get("objectName")).endsWith(".big");
    }

    /** Waits until a worker logged {@code text} since {@code from} (the workers' log sizes at the test's start). */
    private static void awaitLog(ConnectCluster cluster, Map<Worker, Long> from, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Worker w : Worker.values()) {
                Path log = cluster.log(w);
                if (!Files.exists(log)) continue;
                byte[] all = Files.readAllBytes(log);
                int start = all.length < from.get(w) ? 0 : from.get(w).intValue(); // shorter: the log was rolled over
                if (new String(all, start, all.length - start, java.nio.charset.StandardCharsets.UTF_8).contains(text)) return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("no worker logged '" + text + "' within " + timeout.toSeconds() + " s");
    }
}
