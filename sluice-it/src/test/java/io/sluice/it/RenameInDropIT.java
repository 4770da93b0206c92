package io.sluice.it;

import io.sluice.app.status.StatusServer;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table renamed into the selection brings rows the binlog never showed, and a DROP TABLE of a
 * selected table deletes rows without row events: neither can be written, so neither passes in
 * silence (a WARN and a counter each). A pt-online-schema-change cut-over is neither: the shadow's
 * rows are copies of rows already written, and its old table is not selected.
 */
@Timeout(180)
class RenameInDropIT {

    private static String get(int port, String path) throws Exception {
        try (var in = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void renameInAndDropOfSelectedTablesAreCounted(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_renamein";
        server.freshDatabase(db, "CREATE TABLE " + db + ".c1 (id INT PRIMARY KEY)");
        String topic = "it-renamein-" + System.nanoTime();
        String name = "renamein-" + System.nanoTime();
        String yaml = JobYaml.of(name, server, topic, dir.resolve("state"), db + ".c*", 8771);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             RunningJob job = RunningJob.start(yaml); StatusServer status = new StatusServer(0, name, job.job())) {
            server.exec("CREATE TABLE " + db + ".x2 (id INT PRIMARY KEY)", "INSERT INTO " + db + ".x2 VALUES (2)",
                    "RENAME TABLE " + db + ".x2 TO " + db + ".c2",
                    // pt-online-schema-change's cut-over of c1: not a rename-in, and its old table is not selected
                    "CREATE TABLE " + db + "._c1_new LIKE " + db + ".c1",
                    "RENAME TABLE " + db + ".c1 TO " + db + "._c1_old, " + db + "._c1_new TO " + db + ".c1",
                    "DROP TABLE " + db + "._c1_old",
                    "DROP TABLE " + db + ".c2",
                    "INSERT INTO " + db + ".c1 VALUES (1)");
            assertEquals(List.of("INSERT 1"), StatementDmlIT.rows(out.await(1, Duration.ofSeconds(60))));
            assertEquals(1, job.job().metrics().renamesIn(), "x2 renamed to c2 counts, the cut-over does not");
            assertEquals(1, job.job().metrics().drops(), "only the selected c2's DROP counts");
            String s = get(status.port(), "/status");
            assertTrue(s.contains("\"renamesIn\":1") && s.contains("\"drops\":1"), s);
            String m = get(status.port(), "/metrics");
            assertTrue(m.contains("sluice_renames_in_total{job=\"" + name + "\"} 1.0")
                    && m.contains("sluice_drops_total{job=\"" + name + "\"} 1.0"), m);
        }
        server.exec("DROP DATABASE IF EXISTS " + db); // shared servers: keep their catalogue small
    }

    /** What the log says: each case once, with the table and the fix; a fatal stop is one ERROR, not two. */
    @Test
    void theLogNamesTheTablesAndTheFixOnce(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_renamein_log";
        server.freshDatabase(db, "CREATE TABLE " + db + ".c1 (id INT PRIMARY KEY)");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("renamein-log-" + System.nanoTime(), server, "it-renamein-log-" + System.nanoTime(),
                dir.resolve("state"), db + ".c*", 8772));
        Path log = dir.resolve("sluice.log");
        try (SluiceProcess sluice = SluiceProcess.start(job, log)) {
            CrashIT.waitForStreaming(log, 1);
            server.exec("CREATE TABLE " + db + ".x2 (id INT PRIMARY KEY)", "RENAME TABLE " + db + ".x2 TO " + db + ".c2",
                    "CREATE TABLE " + db + "._c1_new LIKE " + db + ".c1",
                    "RENAME TABLE " + db + ".c1 TO " + db + "._c1_old, " + db + "._c1_new TO " + db + ".c1",
                    "DROP TABLE " + db + "._c1_old", "DROP TABLE " + db + ".c2",
                    // a change the job cannot write: it stops (exit 2)
                    "SET SESSION binlog_format = 'STATEMENT'", "INSERT INTO " + db + ".c1 VALUES (1)");
            assertEquals(2, sluice.awaitExit(Duration.ofSeconds(60)));
        }
        String text = Files.readString(log);
        assertEquals(1, count(text, db + ".x2 was renamed to selected table " + db + ".c2"), text);
        assertTrue(text.contains("rows it held before are not written") && text.contains("sluice run --reinitialize"), text);
        assertEquals(1, count(text, "DROP TABLE of selected table " + db + ".c2 "), text);
        assertEquals(0, count(text, "DROP TABLE of selected table " + db + "._c1_old"), text);
        assertEquals(1, count(text, "is migrating " + db + ".c1 through"), "a pt-osc warning once, not again at the cut-over:\n" + text);
        assertEquals(1, count(text, "binlog streaming failed"), "the disconnect after the stop is no second ERROR:\n" + text);
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * The server refuses the binlog request (error 1236: the checkpoint's file is gone, as after a purge) and
     * then closes the connection: one ERROR for the refusal, not a second for the disconnect.
     */
    @Test
    void aRefusedBinlogRequestIsOneError(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_renamein_purged";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("renamein-purged-" + System.nanoTime(), server, "it-renamein-purged-" + System.nanoTime(),
                dir.resolve("state"), db + ".t", 8773).replaceAll("  topic: (.*)", "  topic: $1\n  delivery: atLeastOnce"));
        Path log = dir.resolve("sluice.log");
        try (SluiceProcess sluice = SluiceProcess.start(job, log)) {
            CrashIT.waitForStreaming(log, 1);
            assertEquals(0, sluice.terminate()); // saves the state file
        }
        Path state = Files.list(dir.resolve("state")).filter(f -> f.toString().endsWith(".state.json")).findFirst().orElseThrow();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(state.toFile());
        json.put("binlogFile", "mysql-bin.000000"); // before the first file the server wrote: the server refuses it
        json.put("gtidSet", ""); // resume by file and position
        Files.writeString(state, json.toString());
        Path second = dir.resolve("second.log");
        try (SluiceProcess sluice = SluiceProcess.start(job, second)) {
            int exit = sluice.awaitExit(Duration.ofSeconds(60));
            assertEquals(2, exit, () -> state + " " + json + "\n" + readQuietly(second));
        }
        String text = Files.readString(second);
        assertTrue(text.contains("purged"), text);
        assertEquals(1, count(text, "binlog streaming failed"), "the disconnect after the refusal is no second ERROR:\n" + text);
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
        return n;
    }
}
