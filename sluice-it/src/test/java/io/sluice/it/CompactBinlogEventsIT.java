package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.RunsAlone;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The servers' space-saving binlog encodings. MariaDB's log_bin_compress writes zlib-compressed query and
 * rows events, which the binlog client does not know: they are decompressed and read as the plain events,
 * DDL included. MySQL's binlog_row_value_options=PARTIAL_JSON logs a JSON update as the changed paths only,
 * from which no after image can be made (the client passed such an event on as empty: the update was
 * lost in silence): precheck fails on it, and an event of a selected table stops the job with the fix.
 * Both change global variables of the shared servers, so the class runs alone.
 */
@RunsAlone
@Timeout(240)
class CompactBinlogEventsIT {

    private static final String LONG_COMMENT = "c".repeat(300); // makes the ALTER longer than log_bin_compress_min_len

    @Test
    void mariaDbCompressedEventsArriveAsWritten(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MARIADB.start();
        String db = "it_zlib";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, s TEXT)");
        String topic = "it-zlib-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("zlib-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 7822));
        String firstFile = binlogFiles(server).get(binlogFiles(server).size() - 1);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            server.exec("SET GLOBAL log_bin_compress=ON");
            try {
                String check = InProcessRun.checkPasses(job);
                assertTrue(check.lines().anyMatch(l -> l.startsWith("PASS  binlog compression") && l.contains("log_bin_compress=ON")), check);
                try (RunningJob running = RunningJob.start(Files.readString(job))) {
                    server.exec("INSERT INTO " + db + ".t VALUES (1, REPEAT('a', 1000)), (2, 'short')",
                            "UPDATE " + db + ".t SET s = REPEAT('b', 900) WHERE id = 2",
                            "ALTER TABLE " + db + ".t ADD COLUMN c VARCHAR(20) DEFAULT 'x' COMMENT '" + LONG_COMMENT + "'",
                            "INSERT INTO " + db + ".t VALUES (3, REPEAT('c', 600), 'new')",
                            "DELETE FROM " + db + ".t WHERE id = 1",
                            "INSERT INTO " + db + ".t (id, s) VALUES (4, 'tiny')"); // under the minimum length: not compressed
                    List<GenericRecord> records = out.await(6, Duration.ofSeconds(60));
                    assertEquals(List.of("INSERT 1 [1, a*1000]", "INSERT 2 [2, short]", "UPDATE 2 [2, short] -> [2, b*900]",
                            "INSERT 3 [3, c*600, new]", "DELETE 1 [1, a*1000, x]", "INSERT 4 [4, tiny, x]"),
                            records.stream().map(CompactBinlogEventsIT::describe).toList());
                    assertEquals(List.of("id", "s", "c"), Images.fieldNames(records.get(3)), "the compressed ALTER was applied");
                    assertEquals(null, running.failure());
                }
            } finally {
                server.exec("SET GLOBAL log_bin_compress=OFF");
            }
        }
        assertTrue(compressedEventsSince(server, firstFile) >= 5, "the test wrote compressed events");
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    @Test
    void partialJsonUpdatesStopTheJobWithTheFix(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        String db = "it_pjson";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, j JSON)",
                "CREATE TABLE " + db + ".other (id INT PRIMARY KEY, j JSON)",
                "INSERT INTO " + db + ".other VALUES (1, '{\"a\": 1, \"b\": \"" + "x".repeat(100) + "\"}')");
        String topic = "it-pjson-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("pjson-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 7823));
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob running = RunningJob.start(Files.readString(job))) {
                server.exec("INSERT INTO " + db + ".t VALUES (1, '{\"a\": 1, \"b\": \"" + "y".repeat(100) + "\"}')");
                assertEquals(1, out.await(1, Duration.ofSeconds(60)).size());
            }
            try (Connection c = server.root(); Statement s = c.createStatement()) { // one session sets it: precheck cannot see it
                s.execute("SET SESSION binlog_row_value_options='PARTIAL_JSON'");
                s.execute("UPDATE " + db + ".other SET j = JSON_SET(j, '$.a', 2)"); // a table not selected: nothing to refuse
                s.execute("UPDATE " + db + ".t SET j = JSON_SET(j, '$.a', 2) WHERE id = 1");
                s.execute("INSERT INTO " + db + ".t VALUES (2, '[]')");
            }
            String line = InProcessRun.failsWithOneLine(job);
            assertTrue(line.contains("an UPDATE of " + db + ".t at mysql-bin.") && line.contains("PARTIAL_JSON")
                    && line.contains("SET GLOBAL binlog_row_value_options=''") && line.contains("--reinitialize"), line);
            assertEquals(line, InProcessRun.failsWithOneLine(job), "the checkpoint did not pass the update");
            assertEquals(1, out.readToEnd().size(), "neither the update nor what followed it was written");
        }
        StringWriter check = new StringWriter();
        server.exec("SET GLOBAL binlog_row_value_options='PARTIAL_JSON'");
        try {
            int code = SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(check, true),
                    new PrintWriter(new StringWriter(), true));
            assertEquals(SluiceCli.EXIT_USER_ERROR, code, check.toString());
        } finally {
            server.exec("SET GLOBAL binlog_row_value_options=''");
        }
        assertTrue(check.toString().contains("FAIL  binlog_row_value_options")
                && check.toString().contains("fix: SET GLOBAL binlog_row_value_options=''"), check.toString());
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    /** "OP id [values]" (UPDATE: before -> after), TEXT and VARCHAR as UTF-8 (the ALTER's default fills old rows too). */
    private static String describe(GenericRecord r) {
        String op = r.get("operation").toString();
        List<Value> before = Images.of(r, "beforeImages");
        List<Value> after = Images.of(r, "afterImages");
        List<Value> key = op.equals("DELETE") ? before : after;
        String id = ((Value.IntegerValue) key.get(0)).value();
        return switch (op) {
            case "UPDATE" -> op + " " + id + " " + text(before) + " -> " + text(after);
            case "DELETE" -> op + " " + id + " " + text(before);
            default -> op + " " + id + " " + text(after);
        };
    }

    private static String text(List<Value> image) {
        return image.stream().map(v -> v instanceof Value.CharacterValue c ? shortened(new String(c.value(), StandardCharsets.UTF_8))
                : v instanceof Value.IntegerValue i ? i.value() : String.valueOf(v)).toList().toString();
    }

    /** A long run of one character as "a*1000". */
    private static String shortened(String s) {
        return s.length() > 20 && s.chars().allMatch(ch -> ch == s.charAt(0)) ? s.charAt(0) + "*" + s.length() : s;
    }

    private static List<String> binlogFiles(MySqlServer server) throws Exception {
        List<String> files = new java.util.ArrayList<>();
        try (Connection c = server.root(); Statement s = c.createStatement(); var rs = s.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) files.add(rs.getString(1));
        }
        return files;
    }

    /** The compressed events in the binlog files from {@code first} on. */
    private static int compressedEventsSince(MySqlServer server, String first) throws Exception {
        int n = 0;
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            for (String file : binlogFiles(server)) {
                if (file.compareTo(first) < 0) continue;
                try (var rs = s.executeQuery("SHOW BINLOG EVENTS IN '" + file + "'")) {
                    while (rs.next()) if (rs.getString("Event_type").contains("compressed")) n++;
                }
            }
        }
        return n;
    }
}
