package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An initialization resumed from a checkpoint before a DROP COLUMN of its table, with a backlog
 * before the statement: the stream (and the table definition it keeps) is behind the table when
 * the next chunk is read. That chunk's SELECT named the dropped column, and MySQL's "Unknown column"
 * stopped the job (exit 2, no fix to give); now the chunk is read again once the stream has met
 * the statement, and the job goes on. A column dropped by a statement the binlog lacks stops the job
 * with the fix, rather than restarting it forever. The same for a table without a usable key, read
 * in one pass (it stopped with MySQL's raw error).
 */
@Timeout(300)
class InitializationStaleColumnsIT {

    private static final int ROWS = 20_000;
    private static final int BACKLOG = 60_000;

    @Test
    void aChunkReadBehindADropColumnIsReadAgainOnceTheStreamMetIt(@TempDir Path dir) throws Exception {
        String db = "it_inistale";
        readBehindADropColumn(startAndStopDuringInitialization(dir, db, "id INT PRIMARY KEY, v INT, x INT", "id, 1, 2", 7414), db);
    }

    /**
     * The dropped column comes before the key: the chunk queries address the key's columns by index, so a
     * chunk read after the stream met the DROP must find the key by name (else it filters on {@code v}).
     */
    @Test
    void aDropColumnAheadOfTheKeyLeavesTheChunksOnTheKey(@TempDir Path dir) throws Exception {
        String db = "it_inistale2";
        readBehindADropColumn(startAndStopDuringInitialization(dir, db, "x INT, id INT PRIMARY KEY, v INT", "2, id, 1", 7413), db);
    }

    /**
     * A table without a usable key is read in one pass, with the definition taken when it was planned: behind the
     * DROP, its SELECT named the dropped column and the job stopped with MySQL's raw error. Now it is read again once
     * the stream has met the statement, and every row arrives.
     */
    @Test
    void aTableReadInOnePassBehindADropColumnIsReadAgainOnceTheStreamMetIt(@TempDir Path dir) throws Exception {
        String db = "it_inistale4";
        readBehindADropColumn(startAndStopBeforeAOnePassRead(dir, db, 7416), db);
    }

    /**
     * The table lost a column by a statement the binlog does not carry ({@code sql_log_bin=0}): the stream never meets
     * it, so the chunk's SELECT fails for the column however long it waits. It used to restart the session every
     * 2 minutes, forever; now the job stops (exit 2) once the stream has passed the binlog end of the first failure
     * (heartbeats move it on a quiet source), with one line naming the table, the column and the fix.
     */
    @Test
    void aColumnDroppedOutsideTheBinlogStopsTheJobWithTheFix(@TempDir Path dir) throws Exception {
        String db = "it_inistale3";
        droppedOutsideTheBinlog(startAndStopDuringInitialization(dir, db, "id INT PRIMARY KEY, v INT, x INT", "id, 1, 2", 7415), db, "x");
    }

    /** The same for a table read in one pass (no usable key): it stopped with MySQL's raw error and no useful fix. */
    @Test
    void aColumnDroppedOutsideTheBinlogStopsAOnePassReadWithTheFix(@TempDir Path dir) throws Exception {
        String db = "it_inistale5";
        droppedOutsideTheBinlog(startAndStopBeforeAOnePassRead(dir, db, 7417), db, "x");
    }

    /**
     * The chunk key's column dropped outside the binlog: the restarted job plans the table by the key of its history,
     * and the boundary query (key columns only) met the unknown column first. It stopped with MySQL's raw error; now
     * it waits like a chunk read and stops with the fix.
     */
    @Test
    void aKeyColumnDroppedOutsideTheBinlogStopsTheChunkPlanningWithTheFix(@TempDir Path dir) throws Exception {
        String db = "it_inistale6";
        droppedOutsideTheBinlog(startAndStopDuringInitialization(dir, db, "k INT PRIMARY KEY, v INT", "id, 1", 7418), db, "k");
    }

    private void droppedOutsideTheBinlog(Started started, String db, String column) throws Exception {
        try (DtsTopic out = started.out()) {
            // a backlog the stream writes before it passes the binlog end of the first failure, then the DROP unlogged
            started.server().exec("INSERT INTO " + db + ".a SELECT " + started.n() + ", 0 " + started.digits() + " WHERE "
                    + started.n() + " < " + BACKLOG, "SET SESSION sql_log_bin=0", "ALTER TABLE " + db + ".t DROP COLUMN " + column);

            SluiceProcess second = SluiceProcess.start(started.job(), started.log());
            try {
                // bounded: without the bound the job never exits (it restarts from its checkpoint every 2 minutes)
                int code = second.awaitExit(Duration.ofSeconds(90));
                assertEquals(2, code, "the job stops as a user error (-1: still running):\n" + tail(started.log()));
            } finally {
                if (second.isAlive()) second.kill();
            }
            String text = Files.readString(started.log());
            String line = text.lines().filter(l -> l.startsWith("sluice: initialization of " + db + ".t: the table has no column " + column + ","))
                    .findFirst().orElse(null);
            assertTrue(line != null, "one line naming the table and the column:\n" + tail(started.log()));
            assertTrue(line.contains("sql_log_bin=0") && line.contains("Fix: re-initialize the job (`sluice run --reinitialize`;")
                    && line.contains("initialization.reinitializeToken"), line);
            assertFalse(text.contains("\tat io.sluice"), "no stack trace:\n" + tail(started.log()));
            assertFalse(text.contains("streaming interrupted"), "stopped without a restart:\n" + tail(started.log()));
        }
    }

    /** The job, its log and topic (after the setup: stopped while the initialization of {@code db.t} was under way). */
    private record Started(MySqlServer server, Path job, Path log, DtsTopic out, String digits, String n) {}

    private Started startAndStopDuringInitialization(Path dir, String db, String columns, String values, int serverId) throws Exception {
        Started created = create(dir, db, columns, values, serverId);
        // some chunks of t written, most not
        return stopDuringInitialization(created, () -> created.out().await(2_000, Duration.ofSeconds(120)));
    }

    /** A step of the set-up that waits for the moment to stop the job. */
    private interface StopPoint {
        void await() throws Exception;
    }

    /** Runs the job until {@code stopPoint} passed, stops it (SIGTERM) and checks the initialization was under way. */
    private static Started stopDuringInitialization(Started created, StopPoint stopPoint) throws Exception {
        Path log = created.log();
        try {
            SluiceProcess first = SluiceProcess.start(created.job(), log);
            try {
                stopPoint.await();
                assertEquals(0, first.terminate());
            } finally {
                if (first.isAlive()) first.kill();
            }
            assertFalse(Files.readString(log).contains("initialization complete"), "the initialization was still running:\n"
                    + Files.readString(log));
        } catch (Throwable t) {
            created.out().close();
            throw t;
        }
        return created;
    }

    /**
     * The same for a table without a usable key, read in one pass: the pass writes as it reads, too fast to stop in
     * its middle, so the job is stopped while its SELECT waits for a table lock (after table b, so a checkpoint
     * holds a's and b's rows). The restart reads t whole.
     */
    private Started startAndStopBeforeAOnePassRead(Path dir, String db, int serverId) throws Exception {
        Started created = create(dir, db, "id INT, v INT, x INT", "id, 1, 2", serverId);
        created.server().exec("CREATE TABLE " + db + ".b (id INT PRIMARY KEY)",
                "INSERT INTO " + db + ".b SELECT " + created.n() + " " + created.digits() + " WHERE " + created.n() + " < 100");
        Path log = created.log();
        try (Connection lock = created.server().root(); Statement s = lock.createStatement()) {
            s.execute("LOCK TABLES " + db + ".t WRITE"); // the pass's SELECT waits; information_schema does not
            return stopDuringInitialization(created, () -> {
                created.out().await(100, Duration.ofSeconds(120)); // b
                String reading = "table " + db + ".t has no primary key and no unique NOT NULL key usable for chunks";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!Files.readString(log).contains(reading) && System.nanoTime() < deadline) Thread.sleep(100);
                assertTrue(Files.readString(log).contains(reading), "the one-pass read of t began:\n" + tail(log));
            });
        } catch (Throwable t) {
            created.out().close();
            throw t;
        }
    }

    /** The tables and the job, not started: {@code db.t} with {@link #ROWS} rows, {@code db.a} empty. */
    private Started create(Path dir, String db, String columns, String values, int serverId) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase(db + "_d", "CREATE TABLE " + db + "_d.d (i INT PRIMARY KEY)",
                "INSERT INTO " + db + "_d.d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9)");
        String digits = "FROM " + db + "_d.d a, " + db + "_d.d b, " + db + "_d.d c, " + db + "_d.d e, " + db + "_d.d f";
        String n = "a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 10000 * f.i";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (" + columns + ")",
                "CREATE TABLE " + db + ".a (id INT PRIMARY KEY, n INT)",
                "INSERT INTO " + db + ".t SELECT " + values.replace("id", n) + " " + digits + " WHERE " + n + " < " + ROWS);
        String topic = "it-inistale-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("inistale-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".*", serverId)
                + "initialization:\n  chunkSize: 50\n  parallelism: 1\n");
        Path log = dir.resolve("sluice.log");
        return new Started(server, job, log, new DtsTopic(Servers.kafkaBootstrap(), topic), digits, n);
    }

    private void readBehindADropColumn(Started started, String db) throws Exception {
        MySqlServer server = started.server();
        Path job = started.job();
        Path log = started.log();
        try (DtsTopic out = started.out()) {
            // while stopped: a backlog the stream must write before it meets the DROP COLUMN
            server.exec("INSERT INTO " + db + ".a SELECT " + started.n() + ", 0 " + started.digits() + " WHERE " + started.n()
                    + " < " + BACKLOG, "ALTER TABLE " + db + ".t DROP COLUMN x");

            SluiceProcess second = SluiceProcess.start(job, log);
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(200).toNanos();
                while (!Files.readString(log).contains("initialization complete") && second.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertTrue(second.isAlive(), "the job stopped:\n" + tail(log));
                assertTrue(Files.readString(log).contains("initialization complete"), tail(log));
                assertTrue(Files.readString(log).contains("has other columns than the stream knows yet"),
                        "a chunk was read behind the DROP COLUMN (the case under test):\n" + tail(log));
                assertEquals(0, second.terminate());
            } finally {
                if (second.isAlive()) second.kill();
            }
            List<GenericRecord> records = out.readToEnd();
            Set<String> tRows = new HashSet<>();
            for (GenericRecord r : records) {
                if (!r.get("objectName").toString().equals(db + ".t")) continue;
                tRows.add(Images.of(r, "afterImages").get(Images.fieldNames(r).indexOf("id")).toString());
                if (Images.fieldNames(r).contains("x")) continue; // written before the DROP
                assertEquals(List.of("id", "v"), Images.fieldNames(r));
            }
            assertEquals(ROWS, tRows.size(), "every row of t");
        }
    }

    private static String tail(Path log) throws Exception {
        String text = Files.readString(log);
        return text.substring(Math.max(0, text.length() - 6000));
    }
}
