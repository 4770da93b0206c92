package io.sluice.it;

import io.sluice.app.status.StatusServer;
import io.sluice.core.model.Value;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Changes the binlog logged as statements (a session with binlog_format STATEMENT, as
 * pt-table-checksum sets): of a selected table they stop the job, before any checkpoint passes
 * them, with the fix, and again at the same place after a restart; of other tables they are
 * passed, counted and warned about. SAVEPOINT inside a transaction does not end it.
 */
@Timeout(300)
class StatementDmlIT {

    /** Operation and first column of each record: "INSERT 1". */
    static List<String> rows(List<GenericRecord> records) {
        return records.stream().map(r -> {
            List<Value> image = Images.of(r, r.get("operation").toString().equals("DELETE") ? "beforeImages" : "afterImages");
            return r.get("operation") + " " + ((Value.IntegerValue) image.get(0)).value();
        }).toList();
    }

    private static String get(int port, String path) throws Exception {
        try (var in = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** `sluice run` in this JVM: returns its one-line stderr after asserting exit code 2. */
    private static String runFails(Path job) {
        return InProcessRun.failsWithOneLine(job);
    }

    /** LOAD DATA logged as a statement is a Begin_load_query with the data, then an Execute_load_query. */
    @org.junit.jupiter.api.Test
    void statementLoggedLoadDataStops(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_stmt_load";
        server.freshDatabase(db, "CREATE TABLE " + db + ".sel (id INT PRIMARY KEY, v INT)");
        String topic = "it-stmt-load-" + System.nanoTime();
        String yaml = JobYaml.of("stmt-load-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".sel", 8675);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        RunningJob.start(yaml).close(); // once streaming, its initialization is committed: a first checkpoint
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mysql://" + server.host() + ":" + server.port()
                + "/?user=root&password=&sslMode=DISABLED&allowLoadLocalInfile=true");
             java.sql.Statement s = c.createStatement()) {
            s.execute("SET SESSION binlog_format = 'STATEMENT'");
            s.unwrap(com.mysql.cj.jdbc.JdbcStatement.class).setLocalInfileInputStream(
                    new java.io.ByteArrayInputStream("1,1\n2,2\n".getBytes(StandardCharsets.US_ASCII)));
            s.execute("LOAD DATA LOCAL INFILE 'rows.csv' INTO TABLE " + db + ".sel FIELDS TERMINATED BY ','");
        }
        String line = runFails(job);
        assertTrue(line.contains(db + ".sel") && line.contains("LOAD DATA"), line);
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    /**
     * CREATE TABLE ... SELECT logged as a statement fills the new table without rows in the binlog
     * (MySQL with GTIDs refuses the statement; MariaDB runs it).
     */
    @org.junit.jupiter.api.Test
    void statementLoggedCreateTableSelectOfASelectedTableStops(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MARIADB.start();
        String db = "it_stmt_ctas";
        server.freshDatabase(db, "CREATE TABLE " + db + ".a (id INT PRIMARY KEY)", "INSERT INTO " + db + ".a VALUES (1), (2)");
        String yaml = JobYaml.of("stmt-ctas-" + System.nanoTime(), server, "it-stmt-ctas-" + System.nanoTime(),
                dir.resolve("state"), db + ".*", 8676);
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        RunningJob.start(yaml).close(); // once streaming, its initialization is committed: a first checkpoint
        server.exec("SET SESSION binlog_format = 'STATEMENT'", "CREATE TABLE " + db + ".c SELECT * FROM " + db + ".a");
        String line = runFails(job);
        assertTrue(line.contains(db + ".c") && line.contains("CREATE TABLE " + db + ".c SELECT"), line);
        server.exec("DROP DATABASE IF EXISTS " + db);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void statementLoggedChangesStopOnSelectedTablesAndAreCountedOnOthers(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_stmt_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".sel (id INT PRIMARY KEY, v INT)",
                "CREATE TABLE " + db + ".other (id INT PRIMARY KEY, v INT)");
        String topic = "it-stmt-" + flavor.server + "-" + System.nanoTime();
        String name = "stmt-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of(name, server, topic, dir.resolve("state"), db + ".sel", 8671 + flavor.ordinal());
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, yaml);
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob running = RunningJob.start(yaml);
                 StatusServer status = new StatusServer(0, name, running.job())) {
                server.exec("INSERT INTO " + db + ".sel VALUES (1, 1)",
                        "SET SESSION binlog_format = 'STATEMENT'",
                        "INSERT INTO " + db + ".other VALUES (1, 1), (2, 2)",
                        "UPDATE " + db + ".other SET v = v + 1",
                        "INSERT INTO " + db + ".other SELECT id + 10, v FROM " + db + ".sel",
                        "SET SESSION binlog_format = 'ROW'",
                        // a SAVEPOINT inside a transaction is not its end: both rows share the transaction
                        "BEGIN", "INSERT INTO " + db + ".sel VALUES (2, 2)", "SAVEPOINT s1",
                        "INSERT INTO " + db + ".sel VALUES (3, 3)", "COMMIT");
                List<GenericRecord> records = out.await(3, Duration.ofSeconds(60));
                assertEquals(List.of("INSERT 1", "INSERT 2", "INSERT 3"), rows(records));
                assertEquals(records.get(1).get("sourceTxid").toString(), records.get(2).get("sourceTxid").toString());
                // at least these 3 (other tests on the shared server may log statements too)
                long skipped = running.job().metrics().statementDmlSkipped();
                assertTrue(skipped >= 3, "statementDmlSkipped " + skipped);
                assertTrue(get(status.port(), "/status").matches("(?s).*\"statementDmlSkipped\":[1-9]\\d*.*"));
                assertTrue(get(status.port(), "/metrics").matches("(?s).*sluice_statement_dml_skipped_total\\{job=\"" + name + "\"} [1-9].*"));
                // the checkpoint past INSERT 3 was committed with its record (exactly-once), the last one at the stop
            }
            // while stopped: a statement-logged change of the selected table, then a row-logged one
            server.exec("SET SESSION binlog_format = 'STATEMENT'",
                    "UPDATE " + db + ".sel SET v = 20 WHERE id = 2",
                    "SET SESSION binlog_format = 'ROW'",
                    "INSERT INTO " + db + ".sel VALUES (4, 4)");
            String first = runFails(job);
            assertTrue(first.contains(db + ".sel") && first.contains("UPDATE " + db + ".sel SET v = 20")
                    && first.contains("binlog_format=ROW") && first.contains("re-initialize"), first);
            assertTrue(first.matches(".*mysql-bin\\.\\d+:\\d+.*"), first);
            // the checkpoint did not pass it: a restart stops at the same statement
            assertEquals(first, runFails(job));
            assertEquals(3, out.readToEnd().size(), "nothing after the statement was written");
        }
        server.exec("DROP DATABASE IF EXISTS " + db); // shared servers: keep their catalogue small
    }
}
