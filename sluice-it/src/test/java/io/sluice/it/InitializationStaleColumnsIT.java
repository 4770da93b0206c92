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
 * the statement, and the job goes on.
 */
@Timeout(300)
class InitializationStaleColumnsIT {

    private static final int ROWS = 20_000;
    private static final int BACKLOG = 60_000;

    @Test
    void aChunkReadBehindADropColumnIsReadAgainOnceTheStreamMetIt(@TempDir Path dir) throws Exception {
        readBehindADropColumn(dir, "it_inistale", "id INT PRIMARY KEY, v INT, x INT", "id, 1, 2", 7411);
    }

    /**
     * The dropped column comes before the key: the chunk queries address the key's columns by index, so a
     * chunk read after the stream met the DROP must find the key by name (else it filters on {@code v}).
     */
    @Test
    void aDropColumnAheadOfTheKeyLeavesTheChunksOnTheKey(@TempDir Path dir) throws Exception {
        readBehindADropColumn(dir, "it_inistale2", "x INT, id INT PRIMARY KEY, v INT", "2, id, 1", 7413);
    }

    private void readBehindADropColumn(Path dir, String db, String columns, String values, int serverId) throws Exception {
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
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            SluiceProcess first = SluiceProcess.start(job, log);
            try {
                out.await(2_000, Duration.ofSeconds(120)); // some chunks of t written, most not
                assertEquals(0, first.terminate());
            } finally {
                if (first.isAlive()) first.kill();
            }
            assertFalse(Files.readString(log).contains("initialization complete"), "the initialization was still running:\n"
                    + Files.readString(log));

            // while stopped: a backlog the stream must write before it meets the DROP COLUMN
            server.exec("INSERT INTO " + db + ".a SELECT " + n + ", 0 " + digits + " WHERE " + n + " < " + BACKLOG,
                    "ALTER TABLE " + db + ".t DROP COLUMN x");

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
