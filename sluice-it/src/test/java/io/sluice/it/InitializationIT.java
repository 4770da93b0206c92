package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Full-data initialization (issue 4) on MySQL 5.7 and 8.0: tables with rows are written as INIT
 * records while a workload changes them and the binlog streams, with a SIGKILL of the sluice process
 * in the middle and a restart; replaying the topic (read_committed) by key must give exactly the
 * tables as a final SELECT shows them. Also: INIT values equal the binlog's INSERT values for every
 * column type.
 */
class InitializationIT {

    private static final int BIG_ROWS = 200_000;

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80"})
    void initializationUnderWritesWithKillAndResumeEqualsTheTables(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_init_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(40))",
                "CREATE TABLE " + db + ".comp (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (a, b))",
                "CREATE TABLE " + db + ".vk (k VARCHAR(32) NOT NULL PRIMARY KEY, v INT) DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".uk (id INT NULL, code CHAR(8) NOT NULL, v INT, UNIQUE KEY code (code))",
                "CREATE TABLE " + db + ".nokey (a INT, b VARCHAR(10))",
                "CREATE TABLE " + db + ".empty (id INT PRIMARY KEY, v INT)");
        long t0 = System.nanoTime();
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            // big: even ids only, so the workload can insert odd ids into chunks already read and not yet read
            for (int from = 1; from <= BIG_ROWS; from += 5000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".big VALUES ");
                for (int i = from; i < from + 5000 && i <= BIG_ROWS; i++) {
                    sql.append(i == from ? "" : ",").append('(').append(2 * i).append(',').append(i % 1000).append(",'pad-").append(i).append("')");
                }
                s.execute(sql.toString());
            }
            StringBuilder comp = new StringBuilder("INSERT INTO " + db + ".comp VALUES ");
            for (int i = 0; i < 3000; i++) comp.append(i == 0 ? "" : ",").append('(').append(i % 50).append(",'k").append(i).append("',").append(i).append(')');
            s.execute(comp.toString());
            StringBuilder vk = new StringBuilder("INSERT INTO " + db + ".vk VALUES ");
            for (int i = 0; i < 3000; i++) vk.append(i == 0 ? "" : ",").append("('").append(i % 2 == 0 ? "Key-" : "key_").append(Integer.toHexString(i * 7919)).append("',").append(i).append(')');
            s.execute(vk.toString());
            StringBuilder uk = new StringBuilder("INSERT INTO " + db + ".uk VALUES ");
            for (int i = 0; i < 2500; i++) uk.append(i == 0 ? "" : ",").append('(').append(i % 3 == 0 ? "NULL" : String.valueOf(i)).append(",'c").append(i).append("',").append(i).append(')');
            s.execute(uk.toString());
            StringBuilder nk = new StringBuilder("INSERT INTO " + db + ".nokey VALUES ");
            for (int i = 0; i < 500; i++) nk.append(i == 0 ? "" : ",").append('(').append(i % 7).append(",'n").append(i % 11).append("')");
            s.execute(nk.toString());
        }
        System.out.printf("%s: loaded %d rows in %d ms%n", flavor, BIG_ROWS + 9000, (System.nanoTime() - t0) / 1_000_000);

        String topic = "it-init-" + flavor.server + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("init-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", 7401)
                + "initialization:\n  chunkSize: 2000\n  parallelism: 3\n");
        Path log = dir.resolve("sluice.log");

        Workload workload = new Workload(server, db);
        Thread load = new Thread(workload, "init-workload");
        SluiceProcess process = SluiceProcess.start(job, log);
        CrashIT.waitForStreaming(log, 1);
        load.start();
        // kill in the middle of the big table: as soon as some of its INIT records are committed (it
        // takes seconds even on a quiet machine); what was committed before the kill is then counted
        waitFor(log, "reading " + db + ".big", 90);
        try (DtsTopic watch = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline && watch.pollOnce(Duration.ofMillis(50)).stream()
                    .noneMatch(r -> "INIT".equals(r.get("operation").toString()) && String.valueOf(r.get("objectName")).endsWith(".big"))) {
                Thread.sleep(10);
            }
        }
        process.kill();
        long beforeKill;
        try (DtsTopic committed = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            beforeKill = committed.readToEnd().stream() // the killed process commits nothing more
                    .filter(r -> "INIT".equals(r.get("operation").toString()) && String.valueOf(r.get("objectName")).endsWith(".big"))
                    .count();
        }
        System.out.printf("%s: SIGKILL with %d INIT records of big committed%n", flavor, beforeKill);
        assertTrue(beforeKill > 0 && beforeKill < BIG_ROWS, "killed in the middle: " + beforeKill);
        process = SluiceProcess.start(job, log);
        waitFor(log, "initialization complete", 180);
        Thread.sleep(1500);
        workload.stop();
        load.join(30_000);
        assertNull(workload.failure.get(), "workload failed: " + workload.failure.get());
        Thread.sleep(2000); // let the last changes through

        List<GenericRecord> records;
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            records = out.drain(Duration.ofSeconds(4));
        }
        assertEquals(0, process.terminate(), "SIGTERM exit code");
        String runLog = Files.readString(log);
        assertTrue(runLog.contains("resuming, ") || runLog.contains("full-data initialization: resuming"), "second run resumed the initialization:\n"
                + runLog.lines().filter(l -> l.contains("initialization") || l.contains("job ")).collect(java.util.stream.Collectors.joining("\n")));

        Map<String, Map<List<String>, List<String>>> replay = new HashMap<>();
        Map<String, Integer> initCounts = new HashMap<>();
        Map<String, Integer> streamCounts = new HashMap<>();
        Set<List<String>> initKeys = new HashSet<>();
        long lastId = 0;
        for (GenericRecord r : records) {
            assertTrue((Long) r.get("id") > lastId, "ids strictly increase");
            lastId = (Long) r.get("id");
            String table = r.get("objectName").toString();
            String op = r.get("operation").toString();
            (op.equals("INIT") ? initCounts : streamCounts).merge(table, 1, Integer::sum);
            Map<List<String>, List<String>> rows = replay.computeIfAbsent(table, k -> new HashMap<>());
            List<String> before = text(Images.of(r, "beforeImages"));
            List<String> after = text(Images.of(r, "afterImages"));
            if (table.endsWith(".nokey")) { // no key: the whole row is the key (a multiset via a counter column)
                assertEquals("INIT", op, "no workload on nokey");
                List<String> k = new ArrayList<>(after);
                int n = 0;
                while (rows.containsKey(withCount(k, n))) n++;
                rows.put(withCount(k, n), after);
                continue;
            }
            if (op.equals("INIT")) {
                List<String> k = new ArrayList<>(key(table, after));
                k.add(0, table);
                assertTrue(initKeys.add(k), "one INIT per key (finished chunks are not rewritten): " + k);
            }
            if (before != null) rows.remove(key(table, before));
            if (after != null) rows.put(key(table, after), after);
        }
        System.out.printf("%s: %d records; INIT per table %s; stream changes %s; workload: %s%n", flavor, records.size(),
                initCounts, streamCounts, workload.summary());

        for (String t : List.of("big", "comp", "vk", "uk", "nokey", "empty")) {
            Map<List<String>, List<String>> expected = select(server, db, t);
            Map<List<String>, List<String>> actual = replay.getOrDefault(db + "." + t, Map.of());
            assertEquals(expected.size(), actual.size(), t + ": row count after replay");
            assertEquals(expected, actual, t + ": replayed topic equals the table");
        }
        assertEquals(500, initCounts.get(db + ".nokey"), "nokey: every row once (no changes while read)");
        assertNull(initCounts.get(db + ".empty"), "empty: no records");
        assertTrue(workload.pkUpdates.get() > 0 && workload.inserts.get() > 0 && workload.deletes.get() > 0, workload.summary());
        int firstInitBig = initCounts.get(db + ".big");
        assertTrue(firstInitBig <= BIG_ROWS + workload.inserts.get(), "finished chunks are not rewritten: " + firstInitBig);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB102", "MYSQL831", "MARIADB"})
    void initValuesEqualTheBinlogInsertValues(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_inittypes_" + flavor.server;
        String table = db + ".t";
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        TypeRows.columns().forEach((n, d) -> ddl.append('`').append(n).append("` ").append(d).append(','));
        ddl.setLength(ddl.length() - 1);
        ddl.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4", ddl.toString());

        String topic1 = "it-inittypes-a-" + flavor.server + "-" + System.nanoTime();
        Map<String, List<Value>> inserted = new HashMap<>();
        try (RunningJob job = RunningJob.start(JobYaml.of("inittypes-a-" + System.nanoTime(), server, topic1, dir.resolve("a"), table, 7402));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic1)) {
            TypeRows.insert(server, table);
            for (GenericRecord r : out.await(TypeRows.ROWS, Duration.ofSeconds(60))) {
                assertEquals("INSERT", r.get("operation").toString());
                List<Value> after = Images.of(r, "afterImages");
                inserted.put(((Value.IntegerValue) after.get(0)).value(), after);
            }
        }
        assertEquals(TypeRows.ROWS, inserted.size());
        String topic2 = "it-inittypes-b-" + flavor.server + "-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("inittypes-b-" + System.nanoTime(), server, topic2, dir.resolve("b"), table, 7403));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic2)) {
            List<GenericRecord> records = out.await(TypeRows.ROWS, Duration.ofSeconds(60));
            assertEquals(TypeRows.ROWS, records.size());
            for (GenericRecord r : records) {
                assertEquals("INIT", r.get("operation").toString());
                assertNull(r.get("beforeImages"));
                List<Value> after = Images.of(r, "afterImages");
                List<Value> expected = inserted.get(((Value.IntegerValue) after.get(0)).value());
                assertNotNull(expected);
                List<String> names = Images.fieldNames(r);
                for (int i = 0; i < expected.size(); i++) {
                    // JSON too: on MySQL 5.7 a double without a fractional part is an integer in both (5.7's own text)
                    assertEquals(expected.get(i), after.get(i), "column " + names.get(i) + " of row " + after.get(0));
                }
                assertTrue(r.get("sourcePosition").toString().matches("\\d+@\\d+"));
            }
        }
    }

    /**
     * The DBA kills Sluice's reading connections in the middle of initialization: each killed chunk
     * is read again on a new connection, without restarting the session, and the result is exact
     * (every key INIT once, replay equals the table).
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57"})
    void killedReadingConnectionsAreReopenedAndTheirChunksReadAgain(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_initkill_" + flavor.server;
        int rows = 120_000;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".big (id INT PRIMARY KEY, v INT NOT NULL, pad VARCHAR(40))",
                "CREATE TABLE " + db + ".comp (a INT NOT NULL, b VARCHAR(20) NOT NULL, v INT, PRIMARY KEY (a, b))",
                "CREATE TABLE " + db + ".vk (k VARCHAR(32) NOT NULL PRIMARY KEY, v INT) DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".uk (id INT NULL, code CHAR(8) NOT NULL, v INT, UNIQUE KEY code (code))");
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            for (int from = 1; from <= rows; from += 5000) {
                StringBuilder sql = new StringBuilder("INSERT INTO " + db + ".big VALUES ");
                for (int i = from; i < from + 5000 && i <= rows; i++) {
                    sql.append(i == from ? "" : ",").append('(').append(2 * i).append(',').append(i % 1000).append(",'pad-").append(i).append("')");
                }
                s.execute(sql.toString());
            }
        }
        String topic = "it-initkill-" + flavor.server + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("initkill-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", 7404)
                + "initialization:\n  chunkSize: 500\n  parallelism: 2\n");
        Path log = dir.resolve("sluice.log");
        Workload workload = new Workload(server, db);
        Thread load = new Thread(workload, "initkill-workload");
        SluiceProcess process = SluiceProcess.start(job, log);
        CrashIT.waitForStreaming(log, 1);
        load.start();
        waitFor(log, "reading " + db + ".big", 90);
        int kills = 0;
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            while (kills < 3 && !Files.readString(log).contains("initialization complete")) {
                List<Long> readers = new ArrayList<>();
                try (ResultSet rs = s.executeQuery("SELECT ID FROM information_schema.PROCESSLIST WHERE USER = 'sluice' "
                        + "AND COMMAND = 'Query' AND INFO LIKE '%`" + db + "`.`big`%'")) {
                    while (rs.next()) readers.add(rs.getLong(1));
                }
                for (long id : readers) {
                    try {
                        s.execute("KILL " + id);
                        kills++;
                    } catch (java.sql.SQLException gone) {
                        // finished its query and moved on: not killed
                    }
                }
                Thread.sleep(readers.isEmpty() ? 2 : 400);
            }
        }
        waitFor(log, "initialization complete", 180);
        Thread.sleep(1000);
        workload.stop();
        load.join(30_000);
        assertNull(workload.failure.get(), "workload failed: " + workload.failure.get());
        Thread.sleep(2000);
        List<GenericRecord> records;
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            records = out.drain(Duration.ofSeconds(4));
        }
        assertEquals(0, process.terminate(), "SIGTERM exit code");
        String runLog = Files.readString(log);
        System.out.printf("%s: %d reading connection(s) killed; %d records%n", flavor, kills, records.size());
        assertTrue(kills > 0, "a reading connection was caught and killed");
        assertTrue(runLog.contains("connection lost while"), "the reader noticed and reconnected:\n" + runLog);
        assertTrue(!runLog.contains("streaming interrupted"), "no session restart was needed:\n" + runLog);

        Map<List<String>, List<String>> replay = new HashMap<>();
        Set<List<String>> initKeys = new HashSet<>();
        for (GenericRecord r : records) {
            if (!r.get("objectName").toString().equals(db + ".big")) continue;
            List<String> before = text(Images.of(r, "beforeImages"));
            List<String> after = text(Images.of(r, "afterImages"));
            if ("INIT".equals(r.get("operation").toString())) assertTrue(initKeys.add(key("big", after)), "one INIT per key: " + after);
            if (before != null) replay.remove(key("big", before));
            if (after != null) replay.put(key("big", after), after);
        }
        assertEquals(select(server, db, "big"), replay, "replayed topic equals the table");
    }

    /**
     * A table added to objects.include between two runs is initialized at the second start (its rows
     * as they are then, as INIT records), while the table selected from the start is not written again.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57"})
    void aTableAddedToTheSelectionIsInitializedAtTheNextStart(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_initadd_" + flavor.server;
        StringBuilder a = new StringBuilder("INSERT INTO " + db + ".a VALUES ");
        StringBuilder b = new StringBuilder("INSERT INTO " + db + ".b VALUES ");
        for (int i = 1; i <= 300; i++) {
            if (i <= 100) a.append(i == 1 ? "" : ",").append('(').append(i).append(",0)");
            b.append(i == 1 ? "" : ",").append('(').append(i).append(",0)");
        }
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, v INT)", "CREATE TABLE " + db + ".b (id INT PRIMARY KEY, v INT)",
                a.toString(), b.toString());
        String name = "initadd-" + System.nanoTime();
        String topic = "it-initadd-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of(name, server, topic, dir.resolve("state"), db + ".a", 7405));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            assertEquals(100, out.await(100, Duration.ofSeconds(60)).size());
            server.exec("UPDATE " + db + ".b SET v = 5 WHERE id <= 10"); // not selected yet: not in the topic
            server.exec("UPDATE " + db + ".a SET v = 1 WHERE id = 1");
            assertEquals(101, out.await(101, Duration.ofSeconds(30)).size());
        }
        List<GenericRecord> records;
        try (RunningJob job = RunningJob.start(JobYaml.of(name, server, topic, dir.resolve("state"), db + ".a, " + db + ".b", 7405));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            out.await(100 + 1 + 300, Duration.ofSeconds(60)); // run 1's records, then b's INIT records
            server.exec("INSERT INTO " + db + ".b VALUES (1000, 1)", "INSERT INTO " + db + ".a VALUES (1000, 1)");
            out.await(100 + 1 + 300 + 2, Duration.ofSeconds(30));
            job.close(); // INSERT INTO a was the last statement
            records = out.readToEnd();
        }
        Map<String, Integer> counts = new HashMap<>();
        Map<List<String>, List<String>> replayB = new HashMap<>();
        for (GenericRecord r : records) {
            String table = r.get("objectName").toString();
            counts.merge(table.substring(table.indexOf('.') + 1) + " " + r.get("operation"), 1, Integer::sum);
            if (table.endsWith(".b")) {
                List<String> after = text(Images.of(r, "afterImages"));
                replayB.put(key(table, after), after);
            }
        }
        assertEquals(Map.of("a INIT", 100, "a UPDATE", 1, "a INSERT", 1, "b INIT", 300, "b INSERT", 1), counts);
        assertEquals(select(server, db, "b"), replayB, "b's INIT records carry its rows as they were at the second start");
    }

    /** On a terminal, progress is a bar redrawn in place, ending at 100% of the rows written. */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57"})
    void progressIsABarOnATerminal(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_initbar_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v INT)",
                "INSERT INTO " + db + ".t VALUES (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)");
        for (int i = 0; i < 12; i++) server.exec("INSERT INTO " + db + ".t SELECT id + (SELECT MAX(id) FROM " + db + ".t), v FROM " + db + ".t");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("initbar-" + System.nanoTime(), server, "it-initbar-" + System.nanoTime(), dir.resolve("state"),
                db + ".t", 7406) + "initialization:\n  chunkSize: 500\n  parallelism: 2\n");
        Path log = dir.resolve("terminal.out");
        SluiceProcess process = SluiceProcess.startOnTerminal(job, log);
        try {
            waitFor(log, "all tables read", 120);
        } finally {
            process.kill();
        }
        String out = Files.readString(log);
        assertTrue(out.contains("\r\033[K[" + "#".repeat(30) + "] 100%  20480/20480 rows"), "a full bar, drawn in place:\n" + out);
    }

    // --- helpers

    private static List<String> withCount(List<String> row, int n) {
        List<String> k = new ArrayList<>(row);
        k.add("#" + n);
        return k;
    }

    static List<String> key(String table, List<String> row) {
        if (table.endsWith(".comp")) return List.of(row.get(0), row.get(1));
        if (table.endsWith(".uk")) return List.of(row.get(1));
        return List.of(row.get(0));
    }

    static List<String> text(List<Value> image) {
        if (image == null) return null;
        List<String> out = new ArrayList<>();
        for (Value v : image) {
            if (v == null) out.add(null);
            else if (v instanceof Value.IntegerValue i) out.add(i.value());
            else if (v instanceof Value.CharacterValue c) out.add(new String(c.value(), StandardCharsets.UTF_8));
            else out.add(v.toString());
        }
        return out;
    }

    static Map<List<String>, List<String>> select(MySqlServer server, String db, String t) throws Exception {
        Map<List<String>, List<String>> rows = new HashMap<>();
        try (Connection c = server.root(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + db + "." + t)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) row.add(rs.getString(i));
                if (t.equals("nokey")) {
                    int k = 0;
                    while (rows.containsKey(withCount(row, k))) k++;
                    rows.put(withCount(row, k), row);
                } else {
                    rows.put(key(db + "." + t, row), row);
                }
            }
        }
        return rows;
    }

    private static void waitFor(Path log, String text, int seconds) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            Thread.sleep(200);
        }
        throw new IllegalStateException("no '" + text + "' in the log within " + seconds + " s:\n" + Files.readString(log));
    }

    /**
     * Writes to big (inserts of odd ids anywhere in the key range, deletes and updates of random rows,
     * primary-key updates moving rows between chunks), vk (inserts, updates, key updates) and comp.
     */
    static final class Workload implements Runnable {
        final MySqlServer server;
        final String db;
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong inserts = new AtomicLong(), deletes = new AtomicLong(), updates = new AtomicLong(), pkUpdates = new AtomicLong();
        final Random random = new Random();

        Workload(MySqlServer server, String db) {
            this.server = server;
            this.db = db;
        }

        void stop() { stop.set(true); }

        String summary() {
            return inserts + " inserts, " + deletes + " deletes, " + updates + " updates, " + pkUpdates + " key updates";
        }

        @Override
        public void run() {
            try (Connection c = server.root(); Statement s = c.createStatement()) {
                int vkSeq = 0;
                while (!stop.get()) {
                    int id = 2 * (1 + random.nextInt(BIG_ROWS));
                    int odd = 2 * random.nextInt(BIG_ROWS + 1000) + 1;
                    switch (random.nextInt(6)) {
                        case 0 -> inserts.addAndGet(s.executeUpdate("INSERT IGNORE INTO " + db + ".big VALUES (" + odd + ", 7, 'ins')"));
                        case 1 -> deletes.addAndGet(s.executeUpdate("DELETE FROM " + db + ".big WHERE id = " + id));
                        case 2 -> updates.addAndGet(s.executeUpdate("UPDATE " + db + ".big SET v = v + 1, pad = 'upd' WHERE id = " + id));
                        case 3 -> pkUpdates.addAndGet(s.executeUpdate("UPDATE IGNORE " + db + ".big SET id = " + odd + " WHERE id = " + id));
                        case 4 -> {
                            c.setAutoCommit(false);
                            s.executeUpdate("INSERT IGNORE INTO " + db + ".vk VALUES ('new-" + (vkSeq++) + "-" + random.nextInt(1000) + "', 1)");
                            pkUpdates.addAndGet(s.executeUpdate("UPDATE IGNORE " + db + ".vk SET k = CONCAT('moved-', k) WHERE k = 'Key-"
                                    + Integer.toHexString(2 * random.nextInt(1500) * 7919) + "'"));
                            s.executeUpdate("UPDATE " + db + ".comp SET v = v + 1 WHERE a = " + random.nextInt(50) + " AND b = 'k"
                                    + random.nextInt(3000) + "'");
                            s.executeUpdate("DELETE FROM " + db + ".uk WHERE code = 'c" + random.nextInt(2500) + "'");
                            c.commit();
                            c.setAutoCommit(true);
                        }
                        default -> {
                            c.setAutoCommit(false);
                            for (int k = 0; k < 5; k++) {
                                int x = 2 * (1 + random.nextInt(BIG_ROWS));
                                updates.addAndGet(s.executeUpdate("UPDATE " + db + ".big SET v = v + 100 WHERE id = " + x));
                            }
                            c.commit();
                            c.setAutoCommit(true);
                        }
                    }
                    Thread.sleep(0, 200_000);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }
}
