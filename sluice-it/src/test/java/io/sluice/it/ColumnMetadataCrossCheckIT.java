package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.RunsAlone;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With {@code binlog_row_metadata=FULL} (MySQL 8.0, MariaDB) every TABLE_MAP event of a selected
 * table is compared with the schema history: DDL and DML of every type family pass the check with
 * the right records; a schema change that bypassed the binlog stops the job with one line and no
 * wrong record. The variable is set for the test and restored after.
 */
@RunsAlone // sets binlog_row_metadata=FULL on shared servers, which other classes' checks report
@Timeout(300)
class ColumnMetadataCrossCheckIT {

    /** Sets binlog_row_metadata=FULL until closed, then restores the server's value. */
    private record FullRowMetadata(MySqlServer server, String before) implements AutoCloseable {
        static FullRowMetadata on(MySqlServer server) throws Exception {
            String before;
            try (Connection c = server.root(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@GLOBAL.binlog_row_metadata")) {
                rs.next();
                before = rs.getString(1);
            }
            server.exec("SET GLOBAL binlog_row_metadata='FULL'");
            return new FullRowMetadata(server, before);
        }

        @Override
        public void close() throws Exception {
            server.exec("SET GLOBAL binlog_row_metadata='" + before + "'");
        }
    }

    private static void tableWithV(MySqlServer server, String db) throws Exception {
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))");
    }

    /** A rename the binlog never shows, as a DBA's ALTER with sql_log_bin=0 does. */
    private static void renameVOutsideTheBinlog(MySqlServer server, String db) throws Exception {
        server.exec("SET SESSION sql_log_bin=0", "ALTER TABLE " + db + ".t CHANGE v w VARCHAR(20)", "SET SESSION sql_log_bin=1");
    }

    private static int run(Path job, StringWriter err) {
        return SluiceCli.execute(new String[] {"run", "--config", job.toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    }

    /** Asserts exit code 2 and the one-line mismatch error of the renamed column; returns the line. */
    private static String stopsWithTheMismatch(int code, StringWriter err, String db) {
        String text = err.toString().trim();
        assertEquals(2, code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("the schema history disagrees with the binlog's column metadata for " + db + ".t at "), text);
        assertTrue(text.contains("column 2 is w in the binlog but v in the history"), text);
        assertTrue(text.contains("history columns [id, v], binlog columns [id, w]") && text.contains("Fix: re-initialize"), text);
        return text;
    }

    /** "field=value" for each field of the after image; character values carry their charset. */
    private static String row(GenericRecord r) {
        List<String> names = Images.fieldNames(r);
        List<Value> values = Images.of(r, "afterImages");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            Value v = values.get(i);
            String text = v instanceof Value.IntegerValue n ? n.value()
                    : v instanceof Value.CharacterValue c ? c.charset() + ":" + new String(c.value(), StandardCharsets.UTF_8)
                    : v instanceof Value.TextObjectValue t ? t.value() : v == null ? "null" : "~";
            out.add(names.get(i) + "=" + text);
        }
        return r.get("objectName") + " " + String.join(" ", out);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL80", "MARIADB"})
    void ddlAndDmlOfEveryTypeFamilyPassTheCrossCheck(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_cc_" + flavor.server;
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET latin1",
                "CREATE TABLE " + db + ".t (id INT UNSIGNED PRIMARY KEY, ti TINYINT, tu TINYINT UNSIGNED, si SMALLINT UNSIGNED, "
                        + "mi MEDIUMINT, bi BIGINT UNSIGNED, d DECIMAL(6,2) UNSIGNED, f FLOAT, dbl DOUBLE UNSIGNED, b BIT(3), y YEAR, "
                        + "dt DATE, tm TIME(1), dtm DATETIME(2), ts TIMESTAMP NULL, c CHAR(3), v VARCHAR(10) CHARACTER SET utf8mb4, "
                        + "tx TEXT, mt MEDIUMTEXT CHARACTER SET utf8, bn BINARY(2), vb VARBINARY(4), bl BLOB, tb TINYBLOB, "
                        + "e ENUM('a','b'), s SET('x','y'), g POINT, j JSON)");
        String t = db + ".t", t2 = db + ".t2";
        String topic = "it-cc-" + flavor.server + "-" + System.nanoTime();
        try (FullRowMetadata full = FullRowMetadata.on(server);
             RunningJob job = RunningJob.start(JobYaml.of("cc", server, topic, state, db + ".t*", 6331 + flavor.ordinal()));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            String values = "'c1','v1','tx1','mt1','b','vb',x'01',x'02','b','x,y',ST_GeomFromText('POINT(1 2)'),'[1]')";
            String numbers = "-1,2,3,-4,5,6.5,7.5,8.5,b'101',2024,'2024-01-02','10:11:12.5','2024-01-02 03:04:05.25',NULL,";
            server.exec(
                    "INSERT INTO " + t + " VALUES (1," + numbers + values,
                    "ALTER TABLE " + t + " ADD COLUMN n INT AFTER id, MODIFY ti SMALLINT UNSIGNED, CHANGE c cc CHAR(4) CHARACTER SET utf8mb4",
                    "INSERT INTO " + t + " VALUES (2,20,2," + numbers.substring(numbers.indexOf(',') + 1) + values,
                    // TEXT latin1 becomes MEDIUMTEXT: the binlog's length bytes check the history followed
                    "ALTER TABLE " + t + " CONVERT TO CHARACTER SET utf8mb4",
                    "INSERT INTO " + t + " VALUES (3,30,3," + numbers.substring(numbers.indexOf(',') + 1) + values);
            server.exec("USE " + db, "ALTER DATABASE CHARACTER SET utf8mb4",
                    "CREATE TABLE t2 (id INT PRIMARY KEY, c VARCHAR(5))", "INSERT INTO t2 VALUES (1,'z')");
            List<GenericRecord> records = out.await(4, Duration.ofSeconds(60));
            assertEquals(4, records.size(), "records: " + records.stream().map(ColumnMetadataCrossCheckIT::row).toList());
            String tail = " c=latin1:c1 v=utf8mb4:v1 tx=latin1:tx1 mt=" + (flavor == Flavor.MARIADB ? "utf8mb3" : "utf8") + ":mt1";
            assertTrue(row(records.get(0)).startsWith(t + " id=1 ti=-1 tu=2 si=3 mi=-4 bi=5 "), row(records.get(0)));
            assertTrue(row(records.get(0)).contains(tail), row(records.get(0)));
            assertTrue(row(records.get(1)).startsWith(t + " id=2 n=20 ti=2 tu=2 "), row(records.get(1)));
            assertTrue(row(records.get(1)).contains(" cc=utf8mb4:c1 "), row(records.get(1)));
            assertTrue(row(records.get(2)).contains(" cc=utf8mb4:c1 v=utf8mb4:v1 tx=utf8mb4:tx1 mt=utf8mb4:mt1 "), row(records.get(2)));
            assertEquals(t2 + " id=1 c=utf8mb4:z", row(records.get(3)), "t2 takes the database's new default charset");
            assertNull(job.failure());
        }
    }

    /** source.schemaMismatch: warn: the job logs and counts the disagreement once and continues with the history's columns. */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL80", "MARIADB"})
    void withWarnTheJobCountsTheMismatchOnceAndContinues(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_ccw_" + flavor.server;
        tableWithV(server, db);
        String topic = "it-ccw-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of("ccw", server, topic, state, db + ".t", 6351 + flavor.ordinal())
                .replace("  serverId:", "  schemaMismatch: warn\n  serverId:");
        try (FullRowMetadata full = FullRowMetadata.on(server); RunningJob job = RunningJob.start(yaml);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            renameVOutsideTheBinlog(server, db);
            server.exec("INSERT INTO " + db + ".t VALUES (1,'a')", "INSERT INTO " + db + ".t VALUES (2,'b')");
            List<String> records = out.await(2, Duration.ofSeconds(60)).stream().map(ColumnMetadataCrossCheckIT::row).toList();
            assertEquals(List.of(db + ".t id=1 v=utf8mb4:a", db + ".t id=2 v=utf8mb4:b"), records, "the history's names, as configured");
            assertEquals(1, job.job().metrics().schemaMismatches(), "once for the table definition, not per row event");
            assertTrue(job.job().metrics().lastError().contains("column 2 is w in the binlog but v in the history"),
                    job.job().metrics().lastError());
            assertNull(job.failure());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL80", "MARIADB"})
    void aSchemaChangeOutsideTheBinlogStopsTheJobWithoutAWrongRecord(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_ccx_" + flavor.server;
        tableWithV(server, db);
        String topic = "it-ccx-" + flavor.server + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("ccx", server, topic, dir.resolve("state"), db + ".t", 6341 + flavor.ordinal())
                + "initialization:\n  fullData: false\n"); // every record comes from the binlog
        StringWriter err = new StringWriter();
        try (FullRowMetadata full = FullRowMetadata.on(server); DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            StringWriter check = new StringWriter();
            assertEquals(0, SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(check, true),
                    new PrintWriter(new StringWriter(), true)), check.toString());
            assertTrue(check.toString().lines().anyMatch(l -> l.startsWith("PASS  binlog_row_metadata ")
                    && l.endsWith("binlog_row_metadata=FULL: the schema history is cross-checked with the binlog's column metadata")),
                    check.toString());
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> run(job, err));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (int id = 1; out.await(1, Duration.ofMillis(500)).isEmpty() && System.nanoTime() < deadline; id++) {
                server.exec("INSERT INTO " + db + ".t VALUES (" + id + ",'a')"); // until the job streams
            }
            renameVOutsideTheBinlog(server, db);
            server.exec("INSERT INTO " + db + ".t VALUES (1000,'b')");
            String first = stopsWithTheMismatch(run.get(60, TimeUnit.SECONDS), err, db);
            // a restart resumes before the same event, with the same saved history: it stops there again
            StringWriter again = new StringWriter();
            String second = stopsWithTheMismatch(CompletableFuture.supplyAsync(() -> run(job, again)).get(60, TimeUnit.SECONDS), again, db);
            assertEquals(first.substring(first.indexOf(" at ")), second.substring(second.indexOf(" at ")), "the same event");
            // both runs have ended: everything they committed is there
            List<String> records = out.readToEnd().stream().map(ColumnMetadataCrossCheckIT::row).toList();
            assertTrue(!records.isEmpty() && records.stream().allMatch(r -> r.matches(db + "\\.t id=\\d+ v=utf8mb4:a")),
                    "only rows from before the change, none under the wrong name: " + records);
        }
    }
}
