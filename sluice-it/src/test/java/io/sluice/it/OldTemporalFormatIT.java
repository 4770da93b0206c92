package io.sluice.it;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Temporal columns in the pre-5.6.4 storage formats, as tables created before an upgrade keep them
 * (binlog types TIMESTAMP 7, TIME 11, DATETIME 12 instead of their *2 successors; MariaDB's 5.3
 * format for fractional seconds). MariaDB still creates them with mysql56_temporal_format=OFF. The
 * type matrix in the old formats must stream and initialize to the same values as in the new ones
 * (which TypeMatrixIT compares with the source rows).
 */
@RunsAlone // turns mysql56_temporal_format off on the shared server for a moment
class OldTemporalFormatIT {

    private static final String DB = "it_oldtemporal";

    @Test
    void oldTemporalFormatsStreamAndInitializeLikeTheNewOnes(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MARIADB.start();
        server.exec("DROP DATABASE IF EXISTS " + DB, "CREATE DATABASE " + DB + " CHARACTER SET utf8mb4", createTable("t_new"));
        createWithOldTemporalFormats(server, createTable("t_old"));
        assertOldFormats(server);

        String topic1 = "it-oldtemporal-a-" + System.nanoTime();
        Map<String, List<Value>> streamed = new HashMap<>(); // "table/id" -> after image
        try (RunningJob job = RunningJob.start(JobYaml.of("oldtemporal-a-" + System.nanoTime(), server, topic1, dir.resolve("a"),
                DB + ".t_new, " + DB + ".t_old", 7411));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic1)) {
            TypeRows.insert(server, DB + ".t_new");
            TypeRows.insert(server, DB + ".t_old");
            for (GenericRecord r : out.await(2 * TypeRows.ROWS, Duration.ofSeconds(60))) {
                assertEquals("INSERT", r.get("operation").toString());
                streamed.put(key(r), Images.of(r, "afterImages"));
            }
        }
        assertEquals(2 * TypeRows.ROWS, streamed.size());
        for (int id = 1; id <= TypeRows.ROWS; id++) {
            assertEquals(streamed.get("t_new/" + id), streamed.get("t_old/" + id), "streamed row " + id);
        }

        String topic2 = "it-oldtemporal-b-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("oldtemporal-b-" + System.nanoTime(), server, topic2, dir.resolve("b"),
                DB + ".t_old", 7412));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic2)) {
            List<GenericRecord> records = out.await(TypeRows.ROWS, Duration.ofSeconds(60));
            assertEquals(TypeRows.ROWS, records.size());
            for (GenericRecord r : records) {
                assertEquals("INIT", r.get("operation").toString());
                List<Value> expected = streamed.get(key(r));
                assertNotNull(expected, key(r));
                assertEquals(expected, Images.of(r, "afterImages"), "initialized row " + key(r));
            }
        }
    }

    private static String createTable(String name) {
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + DB + "." + name + " (");
        TypeRows.columns().forEach((n, d) -> ddl.append('`').append(n).append("` ").append(d).append(','));
        ddl.setLength(ddl.length() - 1);
        return ddl.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4").toString();
    }

    /**
     * mysql56_temporal_format is global only: it is off on the shared server just for this one
     * CREATE TABLE (tables other tests create in that instant would get the old formats too, which
     * Sluice reads the same).
     */
    private static void createWithOldTemporalFormats(MySqlServer server, String ddl) throws Exception {
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            s.execute("SET SESSION sql_mode=''");
            s.execute("SET GLOBAL mysql56_temporal_format=OFF");
            try {
                s.execute(ddl);
            } finally {
                s.execute("SET GLOBAL mysql56_temporal_format=ON");
            }
        }
    }

    /** MariaDB marks old-format columns with a comment in their type: the test must really have them. */
    private static void assertOldFormats(MySqlServer server) throws Exception {
        try (Connection c = server.root(); Statement s = c.createStatement()) {
            for (String table : List.of("t_old", "t_new")) {
                int old = 0;
                try (ResultSet rs = s.executeQuery("SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='" + DB
                        + "' AND TABLE_NAME='" + table + "' AND COLUMN_TYPE LIKE '%mariadb-5.3%'")) {
                    while (rs.next()) old++;
                }
                // tm, tm6, tm3, dtm, dtm6, ts, ts6 (DATE and YEAR have one format only)
                assertEquals(table.equals("t_old") ? 7 : 0, old, table + ": columns in the old formats");
            }
        }
    }

    private static String key(GenericRecord r) {
        String table = r.get("objectName").toString();
        return table.substring(table.indexOf('.') + 1) + "/" + ((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value();
    }
}
