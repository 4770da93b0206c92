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
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * MySQL 5.6.14: GTIDs (5.6's GTID events, resumed by GTID set), CRC32 binlog checksums, v2 row
 * events and the 5.6.4+ temporal formats with fractional seconds. The 5.6 type matrix (every type
 * 5.6 has: no JSON) streams and initializes to the same values, and to the source's. Kills are
 * CrashIT's (MYSQL56).
 */
class MySql56IT {

    private static final String DB = "it_m56";
    private static final String TABLE = DB + ".t";

    @Test
    void streamsAndInitializesTheTypeMatrix(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL56.start();
        server.freshDatabase(DB, "CREATE TABLE " + TABLE + " (id INT NOT NULL PRIMARY KEY, ti TINYINT, tiu TINYINT UNSIGNED, "
                + "si SMALLINT, mi MEDIUMINT UNSIGNED, i INT, iu INT UNSIGNED, bi BIGINT, biu BIGINT UNSIGNED, b1 BIT(1), b64 BIT(64), "
                + "dec1 DECIMAL(65,30), dec2 DECIMAL(10,2), f FLOAT, d DOUBLE, dt DATE, tm TIME, tm3 TIME(3), tm6 TIME(6), "
                + "dtm DATETIME, dtm2 DATETIME(2), dtm6 DATETIME(6), ts TIMESTAMP NULL DEFAULT NULL, ts6 TIMESTAMP(6) NULL DEFAULT NULL, "
                + "yr YEAR, c_utf8 VARCHAR(20) CHARACTER SET utf8mb4, c_latin1 VARCHAR(20) CHARACTER SET latin1, c_gbk VARCHAR(20) CHARACTER SET gbk, "
                + "ch CHAR(10), bin BINARY(4), vbin VARBINARY(16), tt TINYTEXT, tx TEXT, mt MEDIUMTEXT, lt LONGTEXT, "
                + "tb TINYBLOB, bl BLOB, mb MEDIUMBLOB, lb LONGBLOB, e ENUM('a','b','c'), s SET('x','y','z'), g GEOMETRY, pt POINT"
                + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");

        String topic1 = "it-m56-a-" + System.nanoTime();
        Map<String, List<Value>> streamed = new HashMap<>();
        try (RunningJob job = RunningJob.start(JobYaml.of("m56-a-" + System.nanoTime(), server, topic1, dir.resolve("a"), TABLE, 6561));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic1)) {
            try (Connection c = server.root()) {
                c.createStatement().execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'");
                c.createStatement().execute("INSERT INTO " + TABLE + " VALUES (1, 127, 255, 32767, 16777215, 2147483647, 4294967295, "
                        + "9223372036854775807, 18446744073709551615, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', "
                        + "12345678901234567890123456789012345.123456789012345678901234567890, 12.30, 1.5, 1.7976931348623157e308, "
                        + "'9999-12-31', '838:59:59', '-00:00:01.500', '-838:59:59.000000', '9999-12-31 23:59:59', '2024-02-29 12:34:56.78', "
                        + "'2024-02-29 12:34:56.789012', '2038-01-19 03:14:07', '2024-01-01 00:00:00.000001', 2155, "
                        + "'h\u00e9 \uD83D\uDE00', 'caf\u00e9', '\u4e2d\u6587', 'abc', x'0102', x'00ff7f80', 'tiny', 'text', 'medium', "
                        + "'long', x'00', x'00ff', x'01', x'7f80', 'c', 'x,z', GeomFromText('POINT(1 2)'), GeomFromText('POINT(-1.5 3e10)'))");
                c.createStatement().execute("INSERT INTO " + TABLE + " VALUES (2, -128, 0, -32768, 0, -2147483648, 0, "
                        + "-9223372036854775808, 0, b'0', b'0', -0.000000000000000000000000000001, -99999999.99, -1.5, "
                        + "-2.2250738585072014e-308, '0000-00-00', '-838:59:59', '00:00:00', '12:00:00.5', '0000-00-00 00:00:00', "
                        + "'1000-01-01 00:00:00.01', '0000-00-00 00:00:00.000000', '1970-01-01 00:00:01', '1970-01-01 00:00:01.999999', 0, "
                        + "'', '', '', '', x'', x'', '', '', '', '', x'', x'', x'', x'', 'a', '', GeomFromText('LINESTRING(0 0,1 1)'), "
                        + "GeomFromText('POINT(0 0)'))");
                c.createStatement().execute("INSERT INTO " + TABLE + " (id) VALUES (3)");
                c.createStatement().execute("UPDATE " + TABLE + " SET tm6 = '-00:00:00.000001', dtm6 = '2000-01-01 00:00:00.5', "
                        + "c_utf8 = 'changed' WHERE id = 1");
                c.createStatement().execute("DELETE FROM " + TABLE + " WHERE id = 3");
            }
            List<GenericRecord> records = out.await(5, Duration.ofSeconds(60));
            assertEquals(List.of("INSERT", "INSERT", "INSERT", "UPDATE", "DELETE"),
                    records.stream().map(r -> r.get("operation").toString()).toList());
            for (GenericRecord r : records) {
                // 5.6's GTID events: server_uuid:transaction number
                String txid = r.get("sourceTxid").toString();
                assertTrue(txid.matches("[0-9a-f-]{36}:\\d+"), txid);
            }
            for (GenericRecord r : records.subList(0, 2)) streamed.put(Images.id(Images.of(r, "afterImages")), Images.of(r, "afterImages"));
            List<Value> updated = Images.of(records.get(3), "afterImages");
            assertEquals(streamed.get("1"), Images.of(records.get(3), "beforeImages"));
            streamed.put("1", updated);
            assertNull(records.get(4).get("afterImages"));
        }
        // the source's values, decoded from the binlog's 5.6.4+ temporal formats and v2 row events
        List<Value> row1 = streamed.get("1");
        List<Value> row2 = streamed.get("2");
        assertEquals(DateTimeValue.date(9999, 12, 31), row1.get(15));
        assertEquals(DateTimeValue.time(838, 59, 59, 0), row1.get(16));
        assertEquals(DateTimeValue.time(0, 0, -1, -500_000), row1.get(17));
        assertEquals(DateTimeValue.time(0, 0, 0, -1), row1.get(18));
        assertEquals(DateTimeValue.dateTime(9999, 12, 31, 23, 59, 59, 0), row1.get(19));
        assertEquals(DateTimeValue.dateTime(2024, 2, 29, 12, 34, 56, 780_000), row1.get(20));
        assertEquals(DateTimeValue.dateTime(2000, 1, 1, 0, 0, 0, 500_000), row1.get(21));
        assertEquals(new Value.TimestampValue(2147483647L, 0), row1.get(22));
        assertEquals(new Value.TimestampValue(1704067200L, 1), row1.get(23));
        assertEquals(DateTimeValue.year(2155), row1.get(24));
        assertEquals(DateTimeValue.date(0, 0, 0), row2.get(15));
        assertEquals(DateTimeValue.time(-838, -59, -59, 0), row2.get(16));
        assertEquals(DateTimeValue.time(12, 0, 0, 500_000), row2.get(18));
        assertEquals(DateTimeValue.dateTime(1000, 1, 1, 0, 0, 0, 10_000), row2.get(20));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0), row2.get(21));
        assertEquals(new Value.TimestampValue(1L, 999_999), row2.get(23));

        String topic2 = "it-m56-b-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("m56-b-" + System.nanoTime(), server, topic2, dir.resolve("b"), TABLE, 6562));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic2)) {
            List<GenericRecord> records = out.await(2, Duration.ofSeconds(60));
            assertEquals(2, records.size());
            Images.assertInitRecordsEqual(records, streamed);
        }
    }

    /** `sluice check` on 5.6: GTIDs and binlog_row_image pass, nothing fails. */
    @Test
    void checkPasses(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL56.start();
        server.freshDatabase("it_m56pre", "CREATE TABLE it_m56pre.t (id INT PRIMARY KEY)");
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, JobYaml.of("m56pre", server, "it-m56pre-" + System.nanoTime(), dir, "it_m56pre.t", 6563));
        String text = io.sluice.it.support.InProcessRun.checkPasses(file);
        assertTrue(text.contains("PASS  binlog_row_image"), text);
        assertTrue(text.contains("PASS  GTID"), text);
    }

}
