package io.sluice.it;

import io.sluice.core.model.Value;
import io.sluice.core.model.Value.DateTimeValue;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL 5.5.9: its greeting lacks the auth plugin name's closing zero byte (repaired by
 * OldServerGreetingSocketFactory), and its binlog has no checksums, no GTIDs, v1 row events (types
 * 23-25) and the old temporal formats. The 5.5 type matrix (no JSON, no fractional seconds) streams
 * and initializes to the same values, and to the source's.
 */
class MySql55IT {

    private static final String DB = "it_m55";
    private static final String TABLE = DB + ".t";

    @Test
    void streamsAndInitializesTheTypeMatrix(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL55.start();
        server.freshDatabase(DB, "CREATE TABLE " + TABLE + " (id INT NOT NULL PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, "
                + "si SMALLINT, mi MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, b1 BIT(1), b64 BIT(64), "
                + "dec1 DECIMAL(65,30), dec2 DECIMAL(10,2), f FLOAT, d DOUBLE, dt DATE, tm TIME, dtm DATETIME, "
                + "ts TIMESTAMP NULL DEFAULT NULL, yr YEAR, c_utf8 VARCHAR(20) CHARACTER SET utf8mb4, c_latin1 VARCHAR(20) CHARACTER SET latin1, "
                + "ch CHAR(10), bin BINARY(4), vbin VARBINARY(16), tx TEXT, bl BLOB, e ENUM('a','b','c'), s SET('x','y','z'), g GEOMETRY"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

        String topic1 = "it-m55-a-" + System.nanoTime();
        Map<String, List<Value>> streamed = new HashMap<>();
        try (RunningJob job = RunningJob.start(JobYaml.of("m55-a-" + System.nanoTime(), server, topic1, dir.resolve("a"), TABLE, 6551));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic1)) {
            server.exec("INSERT INTO " + TABLE + " VALUES (1, 127, 255, 32767, 16777215, 2147483647, 4294967295, 9223372036854775807, "
                            + "18446744073709551615, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', "
                            + "12345678901234567890123456789012345.123456789012345678901234567890, 12.30, 1.5, 1.7976931348623157e308, "
                            + "'9999-12-31', '838:59:59', '9999-12-31 23:59:59', '2038-01-19 03:14:07', 2155, 'h\u00e9 \uD83D\uDE00', 'caf\u00e9', "
                            + "'abc', x'0102', x'00ff7f80', 'text', x'00ff', 'c', 'x,z', GeomFromText('POINT(1 2)'))",
                    "INSERT INTO " + TABLE + " VALUES (2, -128, 0, -32768, 0, -2147483648, 0, -9223372036854775808, 0, b'0', b'0', "
                            + "-0.000000000000000000000000000001, -99999999.99, -1.5, -2.2250738585072014e-308, '0000-00-00', '-838:59:59', "
                            + "'0000-00-00 00:00:00', '1970-01-01 00:00:01', 0, '', '', '', x'', x'', '', x'', 'a', '', "
                            + "GeomFromText('LINESTRING(0 0,1 1)'))",
                    "INSERT INTO " + TABLE + " (id) VALUES (3)",
                    "UPDATE " + TABLE + " SET tm = '-00:00:01', c_utf8 = 'changed' WHERE id = 1",
                    "DELETE FROM " + TABLE + " WHERE id = 3");
            List<GenericRecord> records = out.await(5, Duration.ofSeconds(60));
            assertEquals(List.of("INSERT", "INSERT", "INSERT", "UPDATE", "DELETE"),
                    records.stream().map(r -> r.get("operation").toString()).toList());
            for (GenericRecord r : records.subList(0, 2)) streamed.put(Images.id(Images.of(r, "afterImages")), Images.of(r, "afterImages"));
            List<Value> updated = Images.of(records.get(3), "afterImages");
            assertEquals(streamed.get("1").subList(0, 16), Images.of(records.get(3), "beforeImages").subList(0, 16));
            streamed.put("1", updated);
            assertNull(records.get(4).get("afterImages"));
        }
        // the source's values, decoded from the binlog's old temporal formats and v1 row events
        List<Value> row1 = streamed.get("1");
        List<Value> row2 = streamed.get("2");
        assertEquals(DateTimeValue.date(9999, 12, 31), row1.get(15));
        assertEquals(DateTimeValue.time(0, 0, -1, 0), row1.get(16));
        assertEquals(DateTimeValue.dateTime(9999, 12, 31, 23, 59, 59, 0), row1.get(17));
        assertEquals(new Value.TimestampValue(2147483647L, 0), row1.get(18));
        assertEquals(DateTimeValue.year(2155), row1.get(19));
        assertEquals(DateTimeValue.date(0, 0, 0), row2.get(15));
        assertEquals(DateTimeValue.time(-838, -59, -59, 0), row2.get(16));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0), row2.get(17));
        assertEquals(new Value.TimestampValue(1L, 0), row2.get(18));

        String topic2 = "it-m55-b-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("m55-b-" + System.nanoTime(), server, topic2, dir.resolve("b"), TABLE, 6552));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic2)) {
            List<GenericRecord> records = out.await(2, Duration.ofSeconds(60));
            assertEquals(2, records.size());
            Images.assertInitRecordsEqual(records, streamed);
        }
    }

    /** `sluice check`: what 5.5 lacks is said so (no GTIDs: a warning), nothing fails. */
    @Test
    void checkSaysWhatDoesNotApply(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL55.start();
        server.freshDatabase("it_m55pre", "CREATE TABLE it_m55pre.t (id INT PRIMARY KEY)");
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, JobYaml.of("m55pre", server, "it-m55pre-" + System.nanoTime(), dir, "it_m55pre.t", 6553));
        String text = io.sluice.it.support.InProcessRun.checkPasses(file);
        assertTrue(text.contains("PASS  binlog_row_image") && text.contains("rows are always logged in full"), text);
        assertTrue(text.contains("WARN  GTID") && text.contains("no GTIDs on this server version"), text);
    }

}
