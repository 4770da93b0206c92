package io.sluice.it;

import io.sluice.connect.SluiceSourceConnector;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.InJvmConnectWorker;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Kafka Connect connector on a worker in this JVM (fast feedback; the two-worker cluster of
 * scripts/servers.sh is the real proof): the type matrix, initialized and streamed, gives the same
 * decoded records as {@code sluice run} on the same binlog; a restarted task resumes from its
 * offsets without repeating or losing a change; validate() reports precheck failures on their keys.
 */
class ConnectInJvmIT {

    /** Fields that must differ between two writers of the same changes: when each wrote them. */
    private static final Set<String> WRITE_TIME = Set.of("bornTimestamp");
    /** INIT records are read by each job's own snapshot: its position is where that job started. */
    private static final Set<String> SNAPSHOT_POSITION = Set.of("sourcePosition", "safeSourcePosition", "sourceTimestamp", "sourceTxid");

    /** {@link io.sluice.it.support.SluiceConnectors#config} with the connector's name (the in-JVM worker takes it in the map). */
    static Map<String, String> connectorConfig(String name, MySqlServer server, String topic, String include, long serverId) {
        Map<String, String> c = new HashMap<>(io.sluice.it.support.SluiceConnectors.config(server, topic, include, serverId));
        c.put("name", name);
        return c;
    }

    /** Server ids no other test uses at the same time (tests of other branches run on the same servers). */
    private static long freshServerId() {
        return 3_000_000 + (System.nanoTime() / 1000) % 1_000_000;
    }

    @Test
    void typeMatrixGivesTheSameRecordsAsSluiceRunAndARestartedTaskResumesExactly(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_types";
        String table = db + ".t";
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        TypeRows.columns().forEach((n, d) -> ddl.append('`').append(n).append("` ").append(d).append(','));
        ddl.setLength(ddl.length() - 1);
        ddl.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4", ddl.toString());
        TypeRows.insert(server, table); // initialized by both: INIT records

        long n = System.nanoTime();
        String cliTopic = "it-connect-cli-" + n;
        String connectTopic = "it-connect-conn-" + n;
        String connector = "it-connect-types-" + n;
        int initRows = TypeRows.ROWS;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true);
             RunningJob cli = RunningJob.start(JobYaml.of("it-connect-cli-" + n, server, cliTopic, state, table, freshServerId())
                     .replace("  topic: " + cliTopic + "\n", "  topic: " + cliTopic + "\n  ddl:\n    enabled: true\n"));
             DtsTopic fromCli = new DtsTopic(Servers.kafkaBootstrap(), cliTopic);
             DtsTopic fromConnect = new DtsTopic(Servers.kafkaBootstrap(), connectTopic)) {
            Map<String, String> config = connectorConfig(connector, server, connectTopic, table, freshServerId() + 1);
            config.put("target.ddl.enabled", "true");
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(initRows, fromCli.await(initRows, Duration.ofSeconds(60)).size());
            assertEquals(initRows, fromConnect.await(initRows, Duration.ofSeconds(90)).size(), "INIT records through Connect");

            server.exec("UPDATE " + table + " SET ti = 1, c_utf8 = 'changed' WHERE id = 1",
                    "DELETE FROM " + table + " WHERE id = 2",
                    "BEGIN", "INSERT INTO " + table + " (id, c_utf8) VALUES (7, 'seven')", "UPDATE " + table + " SET tx = 'x' WHERE id = 3", "COMMIT",
                    "ALTER TABLE " + table + " ADD COLUMN added VARCHAR(10) DEFAULT 'new'",
                    "INSERT INTO " + table + " (id, added) VALUES (9, 'nine')");
            int total = initRows + 6; // 4 row changes, the DDL record, a row with the added column
            List<GenericRecord> expected = fromCli.await(total, Duration.ofSeconds(60));
            List<GenericRecord> actual = fromConnect.await(total, Duration.ofSeconds(60));
            assertEquals(total, expected.size());
            assertEquals(total, actual.size(), "records through Connect: " + actual);
            for (int i = 0; i < total; i++) assertSameRecord(expected.get(i), actual.get(i), i);

            // a new task instance reads its offsets again: nothing written twice, nothing skipped
            worker.restartTask(connector);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            server.exec("INSERT INTO " + table + " (id, c_utf8) VALUES (8, 'eight')");
            List<GenericRecord> after = fromConnect.await(total + 1, Duration.ofSeconds(60));
            after = fromConnect.drain(Duration.ofSeconds(3));
            assertEquals(total + 1, after.size(), "one more record after the restart, none repeated: " + after.subList(total, after.size()));
            assertEquals("INSERT", after.get(total).get("operation").toString());
            // the restarted task took the schema history from its offsets: the row has the column added before the restart
            assertTrue(io.sluice.it.support.Images.fieldNames(after.get(total)).contains("added"), "fields: " + after.get(total).get("fields"));
            Set<Long> ids = new HashSet<>();
            for (GenericRecord r : after) assertTrue(ids.add((Long) r.get("id")), "record id written twice: " + r.get("id"));
            worker.deleteConnector(connector);
        }
    }

    /**
     * A job moves from {@code sluice run} to Connect: the connector named like the job, with no Connect
     * offsets yet, resumes from the job's last checkpoint in the checkpoint topic (the same records
     * and checkpoints in both shells): nothing initialized or streamed again, nothing missed.
     */
    @Test
    void aConnectorNamedLikeACliJobResumesFromItsCheckpoint(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_move";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES (1, 'a'), (2, 'b')");
        long n = System.nanoTime();
        String topic = "it-connect-move-" + n;
        String job = "it-connect-move-" + n;
        long serverId = freshServerId();
        try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (RunningJob cli = RunningJob.start(JobYaml.of(job, server, topic, state, db + ".t", serverId))) {
                assertEquals(2, out.await(2, Duration.ofSeconds(60)).size(), "INIT records by sluice run");
                server.exec("INSERT INTO " + db + ".t VALUES (3, 'c')");
                assertEquals(3, out.await(3, Duration.ofSeconds(60)).size());
            }
            server.exec("UPDATE " + db + ".t SET v = 'B' WHERE id = 2"); // while neither runs
            try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true)) {
                worker.putConnector(job, connectorConfig(job, server, topic, db + ".t", serverId));
                worker.awaitTask(job, "RUNNING", Duration.ofSeconds(60));
                server.exec("DELETE FROM " + db + ".t WHERE id = 1");
                out.await(5, Duration.ofSeconds(60));
                List<GenericRecord> all = out.drain(Duration.ofSeconds(3));
                assertEquals(List.of("INIT", "INIT", "INSERT", "UPDATE", "DELETE"), all.stream().map(r -> r.get("operation").toString()).toList());
                long previous = 0;
                for (GenericRecord r : all) {
                    assertTrue((Long) r.get("id") > previous, "ids go on increasing across the move: " + r.get("id"));
                    previous = (Long) r.get("id");
                }
                worker.deleteConnector(job);
            }
        }
    }

    /** A worker without exactly-once support: the same records, at-least-once; a graceful task restart commits its offsets, so nothing repeats. */
    @Test
    void atLeastOnceWorkerWritesTheSameRecordsAndResumesFromCommittedOffsets() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_alo";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".t VALUES (1, 'a'), (2, 'b')");
        long n = System.nanoTime();
        String topic = "it-connect-alo-" + n;
        String connector = "it-connect-alo-" + n;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), false);
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic, "read_uncommitted")) {
            Map<String, String> config = connectorConfig(connector, server, topic, db + ".t", freshServerId());
            config.remove("exactly.once.support");
            config.remove("transaction.boundary");
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(2, out.await(2, Duration.ofSeconds(60)).size(), "INIT records");
            server.exec("BEGIN", "INSERT INTO " + db + ".t VALUES (3, 'c')", "UPDATE " + db + ".t SET v = 'A' WHERE id = 1", "COMMIT");
            assertEquals(4, out.await(4, Duration.ofSeconds(60)).size());
            worker.restartTask(connector);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            server.exec("DELETE FROM " + db + ".t WHERE id = 2");
            out.await(5, Duration.ofSeconds(60));
            List<GenericRecord> all = out.drain(Duration.ofSeconds(3));
            assertEquals(List.of("INIT", "INIT", "INSERT", "UPDATE", "DELETE"), all.stream().map(r -> r.get("operation").toString()).toList());
            worker.deleteConnector(connector);
        }
    }

    /**
     * The keys of the shared engine that change what is written reach the connector too: Debezium JSON
     * records, keyed by the primary key, each table into its own topic (target.topics, flat form).
     */
    @Test
    void debeziumJsonRecordsKeyedByThePrimaryKeyGoToEachTablesTopic() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_connect_dbz";
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db,
                "CREATE TABLE " + db + ".orders (id INT PRIMARY KEY, v VARCHAR(20))",
                "CREATE TABLE " + db + ".items (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO " + db + ".orders VALUES (1, 'o1')", "INSERT INTO " + db + ".items VALUES (1, 'i1')");
        long n = System.nanoTime();
        String ordersTopic = "it-connect-dbz-orders-" + n;
        String restTopic = "it-connect-dbz-rest-" + n;
        String connector = "it-connect-dbz-" + n;
        try (InJvmConnectWorker worker = new InJvmConnectWorker(Servers.kafkaBootstrap(), true);
             io.sluice.it.support.RawTopic orders = new io.sluice.it.support.RawTopic(Servers.kafkaBootstrap(), ordersTopic);
             io.sluice.it.support.RawTopic rest = new io.sluice.it.support.RawTopic(Servers.kafkaBootstrap(), restTopic)) {
            Map<String, String> config = connectorConfig(connector, server, restTopic, db + ".*", freshServerId());
            config.put("target.format", "debeziumJson");
            config.put("target.debezium.schemas", "false");
            config.put("target.topics", db + ".orders:" + ordersTopic);
            worker.putConnector(connector, config);
            worker.awaitTask(connector, "RUNNING", Duration.ofSeconds(60));
            assertEquals(1, orders.await(1, Duration.ofSeconds(60)).size(), "the snapshot row of orders");
            assertEquals(1, rest.await(1, Duration.ofSeconds(60)).size(), "the snapshot row of items");
            server.exec("INSERT INTO " + db + ".orders VALUES (2, 'o2')", "UPDATE " + db + ".items SET v = 'I1' WHERE id = 1");

            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            var o = orders.await(2, Duration.ofSeconds(60));
            var r = rest.await(2, Duration.ofSeconds(60));
            assertEquals(List.of("r", "c"), ops(json, o), "orders: snapshot row, then the insert");
            assertEquals(List.of("r", "u"), ops(json, r), "items: snapshot row, then the update");
            assertEquals("{\"id\":2}", new String(o.get(1).key(), java.nio.charset.StandardCharsets.UTF_8), "the key is the primary key");
            assertEquals("I1", json.readTree(r.get(1).value()).path("after").path("v").asText());
            worker.deleteConnector(connector);
        }
    }

    private static List<String> ops(com.fasterxml.jackson.databind.ObjectMapper json,
                                    List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) throws Exception {
        List<String> out = new ArrayList<>();
        for (var rec : records) out.add(json.readTree(rec.value()).path("op").asText());
        return out;
    }

    private static void assertSameRecord(GenericRecord expected, GenericRecord actual, int index) {
        boolean init = "INIT".equals(expected.get("operation").toString());
        List<String> differing = new ArrayList<>();
        for (Schema.Field f : expected.getSchema().getFields()) {
            if (WRITE_TIME.contains(f.name()) || (init && SNAPSHOT_POSITION.contains(f.name()))) continue;
            if (!java.util.Objects.equals(expected.get(f.name()), actual.get(f.name()))) {
                differing.add(f.name() + ": sluice run " + expected.get(f.name()) + " / connector " + actual.get(f.name()));
            }
        }
        assertTrue(differing.isEmpty(), "record " + index + " (" + expected.get("operation") + ") differs: " + differing);
    }

    @Test
    void validateReportsPrecheckFailuresOnTheirKeysWithoutThePassword() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("DROP DATABASE IF EXISTS it_connect_validate", "CREATE DATABASE it_connect_validate",
                "CREATE TABLE it_connect_validate.t (id INT PRIMARY KEY)");
        String name = "it-connect-validate-" + System.nanoTime();
        Map<String, String> good = connectorConfig(name, server, "it-connect-validate-" + System.nanoTime(), "it_connect_validate.t", freshServerId());
        Config ok = new SluiceSourceConnector().validate(good);
        for (ConfigValue v : ok.configValues()) assertTrue(v.errorMessages().isEmpty(), v.name() + ": " + v.errorMessages());

        Map<String, String> noTables = new HashMap<>(good);
        noTables.put("objects.include", "it_connect_validate.nosuch");
        assertFalse(errors(new SluiceSourceConnector().validate(noTables), "objects.include").isEmpty());

        Map<String, String> wrongPassword = new HashMap<>(good);
        wrongPassword.put("source.password", "wrong-pass-xyz");
        Config bad = new SluiceSourceConnector().validate(wrongPassword);
        List<String> hostErrors = errors(bad, "source.host");
        assertFalse(hostErrors.isEmpty(), "a connectivity failure is reported on source.host");
        assertTrue(hostErrors.get(0).contains("Fix:"), hostErrors.get(0));
        for (ConfigValue v : bad.configValues()) {
            for (String m : v.errorMessages()) assertFalse(m.contains("wrong-pass-xyz"), m);
        }
    }

    private static List<String> errors(Config c, String key) {
        return c.configValues().stream().filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages).orElse(List.of());
    }
}
