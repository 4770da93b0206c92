package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code target.ddl}: DDL statements of selected tables (and CREATE/DROP of a selected database)
 * become DDL records, in binlog order among the rows, with the next record ids, exactly once across
 * a crash right after the statement. Checked record by record from the decoded topic.
 */
@Timeout(300)
class DdlRecordsIT {

    /** One expected record: operation, objectName, and for DDL the statement text (a regex) and pk_uk_info. */
    private record Expected(String operation, String objectName, String ddl, String pkUkInfo, List<String> fields) {
        static Expected row(String op, String objectName, String... fields) {
            return new Expected(op, objectName, null, null, List.of(fields));
        }

        static Expected ddl(String objectName, String textRegex, String pkUkInfo) {
            return new Expected("DDL", objectName, textRegex, pkUkInfo, null);
        }
    }

    private static String quoted(String sql) {
        return java.util.regex.Pattern.quote(sql);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void ddlOfSelectedTablesIsWrittenInBinlogOrderAmongTheRows(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        server.exec("DROP DATABASE IF EXISTS it_ddl_unrelated");
        server.freshDatabase("it_ddl", "CREATE TABLE it_ddl.a (id INT PRIMARY KEY, v VARCHAR(10))");
        String topic = "it-ddl-" + flavor.server + "-" + System.nanoTime();
        String yaml = JobYaml.of("ddl-" + System.nanoTime(), server, topic, state, "it_ddl.*", 7901)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  ddl: {enabled: true}\n")
                .replace("  include: [it_ddl.*]\n", "  include: [it_ddl.*]\n  exclude: [it_ddl.skip_*]\n"
                        + "  mapping: {databases: {it_ddl: it_ddl_out}}\n");

        List<String> statements = List.of(
                "INSERT INTO it_ddl.a VALUES (1, 'x')",
                "ALTER TABLE it_ddl.a ADD COLUMN w INT",
                "CREATE TABLE it_ddl.skip_t (id INT PRIMARY KEY)", // excluded: no record for it
                "INSERT INTO it_ddl.skip_t VALUES (1)",
                "ALTER TABLE it_ddl.skip_t ADD COLUMN z INT",
                "INSERT INTO it_ddl.a VALUES (2, 'y', 20)",
                "CREATE TABLE it_ddl.b (id INT PRIMARY KEY, n INT)",
                "INSERT INTO it_ddl.b VALUES (1, 1)",
                "RENAME TABLE it_ddl.b TO it_ddl.skip_b", // out of the selection
                "INSERT INTO it_ddl.skip_b VALUES (2, 2)",
                "RENAME TABLE it_ddl.skip_t TO it_ddl.c", // into the selection
                "INSERT INTO it_ddl.c VALUES (5, 6)",
                "TRUNCATE TABLE it_ddl.a",
                "CREATE DATABASE it_ddl_unrelated", // not a selected database
                "CREATE TABLE it_ddl_unrelated.t (id INT PRIMARY KEY)",
                "DROP DATABASE it_ddl_unrelated",
                "DROP TABLE it_ddl.c",
                "DROP DATABASE it_ddl",
                "CREATE DATABASE it_ddl");
        List<Expected> expected = List.of(
                Expected.row("INSERT", "it_ddl_out.a", "id", "v"),
                Expected.ddl("it_ddl_out.a", quoted("ALTER TABLE it_ddl.a ADD COLUMN w INT"), "{\"PRIMARY\":[\"id\"]}"),
                Expected.row("INSERT", "it_ddl_out.a", "id", "v", "w"),
                Expected.ddl("it_ddl_out.b", quoted("CREATE TABLE it_ddl.b (id INT PRIMARY KEY, n INT)"), "{\"PRIMARY\":[\"id\"]}"),
                Expected.row("INSERT", "it_ddl_out.b", "id", "n"),
                Expected.ddl("it_ddl_out.b", quoted("RENAME TABLE it_ddl.b TO it_ddl.skip_b"), "{}"),
                Expected.ddl("it_ddl_out.c", quoted("RENAME TABLE it_ddl.skip_t TO it_ddl.c"), "{\"PRIMARY\":[\"id\"]}"),
                Expected.row("INSERT", "it_ddl_out.c", "id", "z"),
                Expected.ddl("it_ddl_out.a", quoted("TRUNCATE TABLE it_ddl.a"), "{\"PRIMARY\":[\"id\"]}"),
                // the server rewrites DROP TABLE (backticks, a comment)
                Expected.ddl("it_ddl_out.c", "(?is)DROP TABLE `?it_ddl`?\\.`?c`?.*", "{}"),
                Expected.ddl("it_ddl_out", "(?i)DROP DATABASE `?it_ddl`?", "{}"),
                Expected.ddl("it_ddl_out", "(?i)CREATE DATABASE `?it_ddl`?", "{}"));

        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic);
             RunningJob job = RunningJob.start(yaml)) {
            server.exec(statements.toArray(String[]::new));
            out.await(expected.size(), Duration.ofSeconds(60));
            job.close(); // CREATE DATABASE it_ddl was the last statement: everything up to it is in the topic
            assertRecords(expected, out.readToEnd());
        }
    }

    @Test
    void aSeparateDdlTopicGetsTheDdlRecordsWithIdsInBinlogOrder(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_ddlt", "CREATE TABLE it_ddlt.a (id INT PRIMARY KEY, v VARCHAR(10))");
        String topic = "it-ddlt-" + System.nanoTime();
        String ddlTopic = topic + "-ddl";
        String yaml = JobYaml.of("ddlt-" + System.nanoTime(), server, topic, state, "it_ddlt.a", 7902)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  ddl: {enabled: true, topic: " + ddlTopic + "}\n");
        Path file = state.resolve("job.yaml");
        Files.createDirectories(state);
        Files.writeString(file, yaml);
        StringWriter check = new StringWriter();
        int code = SluiceCli.execute(new String[] {"check", "--config", file.toString()}, new PrintWriter(check, true),
                new PrintWriter(new StringWriter(), true));
        assertEquals(0, code, check.toString());
        assertTrue(check.toString().lines().anyMatch(l -> l.matches("PASS  Kafka DDL topic +" + ddlTopic + " .*")), check.toString());

        try (RunningJob job = RunningJob.start(yaml);
             DtsTopic rows = new DtsTopic(Servers.kafkaBootstrap(), topic);
             DtsTopic ddl = new DtsTopic(Servers.kafkaBootstrap(), ddlTopic)) {
            server.exec("INSERT INTO it_ddlt.a VALUES (1, 'x')",
                    "ALTER TABLE it_ddlt.a ADD COLUMN w INT",
                    "INSERT INTO it_ddlt.a VALUES (2, 'y', 20)",
                    "ALTER TABLE it_ddlt.a DROP COLUMN v");
            rows.await(2, Duration.ofSeconds(60));
            ddl.await(2, Duration.ofSeconds(30));
            job.close(); // the DROP COLUMN was the last statement
            List<GenericRecord> r = rows.readToEnd();
            List<GenericRecord> d = ddl.readToEnd();
            assertRecords(List.of(Expected.row("INSERT", "it_ddlt.a", "id", "v"), Expected.row("INSERT", "it_ddlt.a", "id", "v", "w")), r);
            assertRecords(List.of(
                    Expected.ddl("it_ddlt.a", quoted("ALTER TABLE it_ddlt.a ADD COLUMN w INT"), "{\"PRIMARY\":[\"id\"]}"),
                    Expected.ddl("it_ddlt.a", quoted("ALTER TABLE it_ddlt.a DROP COLUMN v"), "{\"PRIMARY\":[\"id\"]}")), d);
            // one id sequence over both topics, in binlog order
            assertEquals(List.of(id(r.get(0)) + 1, id(r.get(0)) + 2, id(r.get(0)) + 3), List.of(id(d.get(0)), id(r.get(1)), id(d.get(1))));
        }
    }

    /**
     * SIGKILL right after a DDL statement, once before its record can have been committed and once
     * just after it was: after each restart the topic holds the DDL record exactly once, in place.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void aCrashRightAfterTheDdlNeitherLosesNorRepeatsIt(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.freshDatabase("it_ddlr", "CREATE TABLE it_ddlr.a (id INT PRIMARY KEY, v VARCHAR(10))");
        String topic = "it-ddlr-" + flavor.server + "-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("ddlr-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_ddlr.a", 7903)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  ddl: {enabled: true}\n"));
        Path log = dir.resolve("sluice.log");
        String pk = "{\"PRIMARY\":[\"id\"]}";
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            SluiceProcess sluice = SluiceProcess.start(job, log);
            CrashIT.waitForStreaming(log, 1);
            // the (empty) table's initialization written first: a crash before its chunk is written makes the next
            // run read the table again, and the rows streamed meanwhile then come again as INIT records (README,
            // Initialization); that is not what this test is about
            waitForLine(log, "initialization complete");
            server.exec("INSERT INTO it_ddlr.a VALUES (1, 'x')");
            out.await(1, Duration.ofSeconds(60)); // a checkpoint exists
            server.exec("ALTER TABLE it_ddlr.a ADD COLUMN w INT");
            sluice.kill(); // most likely before the DDL record's transaction committed

            sluice = SluiceProcess.start(job, log);
            CrashIT.waitForStreaming(log, 2);
            server.exec("INSERT INTO it_ddlr.a VALUES (2, 'y', 20)", "ALTER TABLE it_ddlr.a ADD COLUMN z INT");
            out.await(4, Duration.ofSeconds(60));
            sluice.kill(); // the DDL record is committed, and with it the checkpoint past the statement

            sluice = SluiceProcess.start(job, log);
            CrashIT.waitForStreaming(log, 3);
            server.exec("INSERT INTO it_ddlr.a VALUES (3, 'z', 30, 300)");
            out.await(5, Duration.ofSeconds(60));
            assertEquals(0, sluice.terminate()); // the last INSERT was the last statement
            List<GenericRecord> records = out.readToEnd();
            assertRecords(List.of(
                    Expected.row("INSERT", "it_ddlr.a", "id", "v"),
                    Expected.ddl("it_ddlr.a", quoted("ALTER TABLE it_ddlr.a ADD COLUMN w INT"), pk),
                    Expected.row("INSERT", "it_ddlr.a", "id", "v", "w"),
                    Expected.ddl("it_ddlr.a", quoted("ALTER TABLE it_ddlr.a ADD COLUMN z INT"), pk),
                    Expected.row("INSERT", "it_ddlr.a", "id", "v", "w", "z")), records);
        }
    }

    private static void waitForLine(Path log, String text) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.readString(log).contains(text)) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("no '" + text + "' in the log:\n" + Files.readString(log));
            Thread.sleep(100);
        }
    }

    /** The offset part of {@code <pos>@<file number>}; a record's two positions are in the same binlog file. */
    private static long position(GenericRecord r, String field) {
        String p = r.get(field).toString();
        return Long.parseLong(p.substring(0, p.indexOf('@')));
    }

    private static long id(GenericRecord r) {
        return (Long) r.get("id");
    }

    private static void assertRecords(List<Expected> expected, List<GenericRecord> records) {
        List<String> actual = new ArrayList<>();
        for (GenericRecord r : records) actual.add(r.get("operation") + " " + r.get("objectName"));
        assertEquals(expected.stream().map(e -> e.operation() + " " + e.objectName()).toList(), actual, "operations and objects in order");
        long lastId = 0;
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            GenericRecord r = records.get(i);
            assertTrue(id(r) > lastId, "record ids strictly increase at record " + i);
            lastId = id(r);
            if (e.ddl() != null) {
                String text = r.get("afterImages").toString();
                assertTrue(text.matches(e.ddl()), "record " + i + " DDL text: " + text);
                assertNull(r.get("fields"), "a DDL record has no fields");
                assertNull(r.get("beforeImages"));
                // its own event group: the test servers run with GTIDs, so the txid is the statement's GTID
                String txid = r.get("sourceTxid").toString();
                assertTrue(!txid.isEmpty() && (i == 0 || !txid.equals(records.get(i - 1).get("sourceTxid").toString())),
                        "record " + i + " sourceTxid " + txid);
                assertTrue(position(r, "safeSourcePosition") < position(r, "sourcePosition"), "record " + i + " positions");
                assertEquals(e.pkUkInfo(), ((java.util.Map<?, ?>) r.get("tags")).entrySet().stream()
                        .filter(t -> t.getKey().toString().equals("pk_uk_info")).map(t -> t.getValue().toString())
                        .findFirst().orElse(null), "record " + i + " pk_uk_info");
            } else {
                assertEquals(e.fields(), Images.fieldNames(r), "record " + i + " fields");
            }
        }
    }
}
