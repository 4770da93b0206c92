package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.RunsAlone;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `sluice check`: every item passes, warns or fails with its fix, on each kind of server. */
@Timeout(120)
class PrecheckIT {

    private static int check(Path dir, String yaml, StringWriter out) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return SluiceCli.execute(new String[] {"check", "--config", file.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
    }

    private static String globalVariable(MySqlServer server, String name) throws Exception {
        try (var c = server.root(); var rs = c.createStatement().executeQuery("SELECT @@GLOBAL." + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB", "MYSQL831"})
    void passesWithWarningsForKeylessAndShadowTables(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.freshDatabase("it_pre",
                "CREATE TABLE it_pre.good (id INT PRIMARY KEY)", "CREATE TABLE it_pre.nokey (a INT, b INT)",
                "CREATE TABLE it_pre._good_gho (id INT PRIMARY KEY)");
        StringWriter out = new StringWriter();
        int code = check(dir, JobYaml.of("pre", server, "it-pre-" + System.nanoTime(), dir, "it_pre.*", 6621), out);
        String text = out.toString();
        assertEquals(0, code, text);
        // MariaDB 10.5+ lists replicas only to REPLICATION MASTER ADMIN, which the test account lacks
        assertTrue(text.lines().anyMatch(l -> flavor == Flavor.MARIADB
                ? l.startsWith("WARN  server_id") && l.contains("GRANT REPLICATION MASTER ADMIN") : l.startsWith("PASS  server_id")), text);
        for (String item : new String[] {"source connectivity", "privileges", "binary log", "binlog_format",
                "GTID", "selected tables", "Kafka topic", "delivery"}) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith("PASS  " + item)), item + " passes:\n" + text);
        }
        // MySQL 8.0 and MariaDB have binlog_row_metadata; 5.7 does not. Its value is global state another
        // test on the shared server may have changed for a while (ColumnMetadataCrossCheckIT): expect what it is now
        String rowMetadata = flavor == Flavor.MYSQL57 ? null : globalVariable(server, "binlog_row_metadata");
        assertEquals(flavor != Flavor.MYSQL57, text.lines().anyMatch(l -> l.startsWith("PASS  binlog_row_metadata")
                && ("FULL".equalsIgnoreCase(rowMetadata) ? l.contains("the schema history is cross-checked")
                : l.contains(": no cross-check of the schema history; SET GLOBAL binlog_row_metadata='FULL' to enable it"))), text);
        // compressed binlog transactions are read (MYSQL831 has binlog_transaction_compression=ON)
        assertEquals(flavor == Flavor.MYSQL831, text.lines().anyMatch(l -> l.startsWith("PASS  binlog compression")), text);
        assertTrue(text.contains("WARN  primary key it_pre.nokey") && text.contains("duplicates"), text);
        assertTrue(text.contains("WARN  online DDL it_pre._good_gho"), text);
        assertTrue(text.contains("precheck passed with"), text);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL57")
    @RunsAlone // sets binlog_format=MIXED on the shared mysql57: other classes' jobs would stop
    void failsWithTheFix(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_pre2", "CREATE TABLE IF NOT EXISTS it_pre2.t (id INT PRIMARY KEY)");
        StringWriter out = new StringWriter();
        try {
            server.exec("SET GLOBAL binlog_format = 'MIXED'");
            int code = check(dir, JobYaml.of("pre2", server, "it-pre2-" + System.nanoTime(), dir, "it_pre2.t, it_pre2.gone", 57), out);
            String text = out.toString();
            assertEquals(2, code, text);
            assertTrue(text.contains("FAIL  binlog_format") && text.contains("fix: SET GLOBAL binlog_format='ROW'"), text);
            assertTrue(text.contains("FAIL  server_id") && text.contains("equals the source's own server_id"), text);
            assertTrue(text.contains("FAIL  selected tables") && text.contains("it_pre2.gone"), text);
            assertTrue(text.contains("precheck failed: 3 item(s) to fix"), text);
        } finally {
            server.exec("SET GLOBAL binlog_format = 'ROW'");
        }
    }

    /** check creates nothing: a missing topic "will be created"; an existing one is checked against target.partitions. */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL57")
    void createsNothingAndComparesPartitions(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_pre3", "CREATE TABLE IF NOT EXISTS it_pre3.t (id INT PRIMARY KEY)");
        String topic = "it-pre3-" + System.nanoTime();
        String yaml = JobYaml.of("pre3", server, topic, dir, "it_pre3.t", 6623)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  partitions: 6\n  ddl: {enabled: true, topic: " + topic + "-ddl}\n");
        StringWriter out = new StringWriter();
        assertEquals(0, check(dir, yaml, out), out.toString());
        assertTrue(out.toString().contains("PASS  Kafka topic                " + topic + " will be created (6 partition(s), replication factor 1)"), out.toString());
        assertTrue(out.toString().contains("PASS  Kafka DDL topic            " + topic + "-ddl will be created"), out.toString());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            assertFalse(admin.listTopics().names().get().contains(topic), "check created the topic");
            assertFalse(admin.listTopics().names().get().contains(topic + "-ddl"), "check created the DDL topic");
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get();
        }
        out = new StringWriter();
        assertEquals(0, check(dir, yaml, out), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("WARN  Kafka topic") && l.contains("exists with 3 partition(s), target.partitions is 6")
                && l.contains("fix: set target.partitions: 3")), out.toString());

        out = new StringWriter();
        assertEquals(0, check(dir, yaml.replace("  partitions: 6\n", ""), out), out.toString());
        assertTrue(out.toString().contains("PASS  Kafka topic                " + topic + " (3 partition(s))"), "unset: no warning\n" + out);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL57")
    void failsEachIncludeEntryThatSelectsNothing(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_pre4", "CREATE TABLE IF NOT EXISTS it_pre4.t (id INT PRIMARY KEY)");
        StringWriter out = new StringWriter();
        int code = check(dir, JobYaml.of("pre4", server, "it-pre4-" + System.nanoTime(), dir,
                "it_pre4.t, it_pre4.nothing_*, it_pre4.gone", 6624), out);
        String text = out.toString();
        assertEquals(2, code, text);
        assertTrue(text.contains("FAIL  selected tables            objects.include 'it_pre4.nothing_*': matches no table  -> fix: "), text);
        assertTrue(text.contains("FAIL  selected tables            objects.include 'it_pre4.gone': no such table  -> fix: "), text);
        assertTrue(text.contains("precheck failed: 2 item(s) to fix"), text);
    }

    /**
     * An account with SELECT on some tables only: the source hides the others from it, so a named table it
     * may not read looks missing. Precheck warns and names the GRANT; run stops with the same fix.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MARIADB"})
    void aTableHiddenByPrivilegesIsNamedWithItsGrant(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.freshDatabase("it_part", "CREATE TABLE it_part.a (id INT PRIMARY KEY)", "CREATE TABLE it_part.b (id INT PRIMARY KEY)");
        server.exec("DROP USER IF EXISTS 'it_partial'@'%'", "CREATE USER 'it_partial'@'%' IDENTIFIED BY 'pw'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'it_partial'@'%'", "GRANT SELECT ON it_part.a TO 'it_partial'@'%'");
        try {
            String yaml = JobYaml.of("part-" + System.nanoTime(), server, "it-part-" + System.nanoTime(), dir.resolve("state"),
                    "it_part.a, it_part.b", 8381 + flavor.ordinal())
                    .replace("user: " + MySqlServer.SLUICE_USER, "user: it_partial").replace("password: " + MySqlServer.SLUICE_PASSWORD, "password: pw");
            StringWriter out = new StringWriter();
            assertEquals(2, check(dir, yaml, out), out.toString());
            String text = out.toString();
            assertTrue(text.contains("WARN  privileges") && text.contains("not ON *.*")
                    && text.contains("fix: GRANT SELECT ON *.* TO 'it_partial'@'%'"), text);
            assertTrue(text.contains("FAIL  selected tables") && text.contains("'it_part.b': no such table the account 'it_partial'@'%' may read")
                    && text.contains("fix: GRANT SELECT ON `it_part`.`b` TO 'it_partial'@'%' if it exists"), text);
            String line = io.sluice.it.support.InProcessRun.failsWithOneLine(dir.resolve("job.yaml"));
            assertTrue(line.contains("table it_part.b in objects.include does not exist or is hidden from 'it_partial'@'%'")
                    && line.contains("Fix: GRANT SELECT ON `it_part`.`b` TO 'it_partial'@'%'"), line);
        } finally {
            server.exec("DROP USER IF EXISTS 'it_partial'@'%'", "DROP DATABASE IF EXISTS it_part");
        }
    }

    /**
     * A compacted record topic refuses records without a key, and dtsAvro records have none: precheck fails
     * the topic, and a run stops at the first record with the same fix (it retried "in an error state" for ever).
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = "MYSQL57")
    void aCompactedRecordTopicFailsWithTheFix(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        server.freshDatabase("it_compact", "CREATE TABLE it_compact.t (id INT PRIMARY KEY)", "INSERT INTO it_compact.t VALUES (1)");
        String topic = "it-compact-" + System.nanoTime();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        StringWriter out = new StringWriter();
        String yaml = JobYaml.of("compact-" + System.nanoTime(), server, topic, dir.resolve("state"), "it_compact.t", 8384);
        assertEquals(2, check(dir, yaml, out), out.toString());
        String text = out.toString();
        assertTrue(text.contains("FAIL  Kafka topic " + topic) && text.contains("its dtsAvro records have no key")
                && text.contains("--add-config cleanup.policy=delete"), text);
        String line = io.sluice.it.support.InProcessRun.failsWithOneLine(dir.resolve("job.yaml"));
        assertTrue(line.contains("topic " + topic + " is compacted (cleanup.policy=compact) and the record has no key")
                && line.contains("--add-config cleanup.policy=delete"), line);
        server.exec("DROP DATABASE IF EXISTS it_compact");
    }
}
