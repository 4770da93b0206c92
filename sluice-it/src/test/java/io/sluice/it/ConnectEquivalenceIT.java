package io.sluice.it;

import io.sluice.it.support.ConnectCluster;
import io.sluice.it.support.DtsTopic;
import io.sluice.core.model.Value;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceConnectors;
import io.sluice.it.support.Exclusive;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One engine, two shells: `sluice run` and the connector on a real Connect cluster read the same
 * tables (the type matrix's rows, first as INIT records, then a DDL sequence among row changes of
 * every type) and must write the same records, compared field by field after a generic decode.
 * Only the record id differs legitimately (each job numbers its own records, and the connector
 * starts later), and for INIT records the snapshot's position and time (the two snapshots are taken
 * at different binlog positions).
 */
@Exclusive("connect-cluster") // needs the workers undisturbed
class ConnectEquivalenceIT {

    private static final Set<String> INIT_POSITION_FIELDS = Set.of("sourceTimestamp", "sourcePosition", "safeSourcePosition",
            "sourceTxid", "bornTimestamp");

    @ParameterizedTest
    // one server version is enough here: both shells run the same engine (TypeMatrixIT covers the versions);
    // MySQL 8.0, as the other Connect tests run on 5.7
    @EnumSource(value = Flavor.class, names = {"MYSQL80"})
    void theConnectorWritesTheRecordsSluiceRunWrites(Flavor flavor, @TempDir Path state) throws Exception {
        ConnectCluster cluster = ConnectCluster.ensure();
        MySqlServer server = flavor.start();
        String db = "it_connect_eq";
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + db + ".t (");
        TypeRows.columns().forEach((n, d) -> ddl.append('`').append(n).append("` ").append(d).append(','));
        ddl.setLength(ddl.length() - 1);
        ddl.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4", ddl.toString(),
                "CREATE TABLE " + db + ".probe (id INT PRIMARY KEY)");
        TypeRows.insert(server, db + ".t"); // before both start: INIT records

        long nano = System.nanoTime();
        String cliTopic = "it-connect-eq-cli-" + flavor.server + "-" + nano;
        String name = "it-connect-eq-" + flavor.server + "-" + nano;
        String yaml = JobYaml.of("connect-eq-cli-" + nano, server, cliTopic, state, db + ".*", 7621)
                .replace("  topic: " + cliTopic + "\n", "  topic: " + cliTopic + "\n  ddl: {enabled: true}\n");
        Map<String, String> config = SluiceConnectors.config(server, name, db + ".*", 7622);
        config.put("target.ddl.enabled", "true");

        try (RunningJob cli = RunningJob.start(yaml);
             DtsTopic cliOut = new DtsTopic(Servers.kafkaBootstrap(), cliTopic);
             DtsTopic connectOut = new DtsTopic(Servers.kafkaBootstrap(), name)) {
            cluster.create(name, config);
            cluster.awaitTaskRunning(name, null, Duration.ofSeconds(90));
            SluiceConnectors.awaitStreaming(server, db + ".probe", connectOut, Duration.ofSeconds(120));
            // both snapshots complete before the changes, so INIT and binlog records are in the same order in both
            awaitInit(cliOut, db + ".t");
            awaitInit(connectOut, db + ".t");

            server.exec("UPDATE " + db + ".t SET ti = 1, c_utf8 = 'changed' WHERE id = 1",
                    "DELETE FROM " + db + ".t WHERE id = 2",
                    "CREATE TABLE " + db + ".t2 LIKE " + db + ".t");
            TypeRows.insert(server, db + ".t2"); // every type again, now as binlog INSERTs
            server.exec("ALTER TABLE " + db + ".t ADD COLUMN extra VARCHAR(20) DEFAULT 'x'",
                    "INSERT INTO " + db + ".t (id, extra) VALUES (10, 'y')",
                    "BEGIN",
                    "UPDATE " + db + ".t2 SET ti = ti + 1 WHERE id IN (1, 2)",
                    "DELETE FROM " + db + ".t2 WHERE id = 3",
                    "COMMIT",
                    "RENAME TABLE " + db + ".t2 TO " + db + ".t3",
                    "ALTER TABLE " + db + ".t3 DROP COLUMN j, MODIFY COLUMN c_utf8 VARCHAR(80)",
                    "UPDATE " + db + ".t3 SET c_utf8 = 'renamed' WHERE id = 1",
                    "TRUNCATE TABLE " + db + ".t",
                    "DROP TABLE " + db + ".t3",
                    "INSERT INTO " + db + ".probe VALUES (1000000)"); // the end

            List<GenericRecord> fromCli = untilEnd(cliOut, db);
            List<GenericRecord> fromConnect = untilEnd(connectOut, db);
            assertTrue(fromCli.size() > 20, "records: " + fromCli.size());
            assertEquals(fromCli.size(), fromConnect.size(), "record count");
            Schema schema = fromCli.get(0).getSchema();
            for (int i = 0; i < fromCli.size(); i++) {
                GenericRecord a = fromCli.get(i), b = fromConnect.get(i);
                boolean init = "INIT".equals(a.get("operation").toString());
                for (Schema.Field f : schema.getFields()) {
                    if (f.name().equals("id") || init && INIT_POSITION_FIELDS.contains(f.name())) continue;
                    assertEquals(a.get(f.name()), b.get(f.name()), "record " + i + " (" + a.get("operation") + " "
                            + a.get("objectName") + "), field " + f.name());
                }
            }
            System.out.printf("%s: %d records equal field by field%n", flavor, fromCli.size());
        } finally {
            cluster.deleteCreated();
        }
    }

    private static void awaitInit(DtsTopic out, String table) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            long init = out.await(Integer.MAX_VALUE, Duration.ofMillis(500)).stream()
                    .filter(r -> "INIT".equals(r.get("operation").toString()) && table.equals(String.valueOf(r.get("objectName"))))
                    .count();
            if (init == TypeRows.ROWS) return;
        }
        throw new IllegalStateException("no " + TypeRows.ROWS + " INIT records of " + table);
    }

    /** The records up to the final probe row, without the probe table's records. */
    private static List<GenericRecord> untilEnd(DtsTopic out, String db) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            List<GenericRecord> all = out.await(Integer.MAX_VALUE, Duration.ofSeconds(1));
            for (int i = 0; i < all.size(); i++) {
                GenericRecord r = all.get(i);
                if (SluiceConnectors.isProbe(r, db + ".probe") && r.get("afterImages") != null
                        && "1000000".equals(((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value())) {
                    return all.subList(0, i).stream().filter(x -> !SluiceConnectors.isProbe(x, db + ".probe")).toList();
                }
            }
        }
        throw new IllegalStateException("the final probe row did not arrive");
    }
}
