package io.sluice.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.model.Value;
import io.sluice.core.model.Value.BinaryGeometryValue;
import io.sluice.core.model.Value.BinaryObjectValue;
import io.sluice.core.model.Value.CharacterValue;
import io.sluice.core.model.Value.DateTimeValue;
import io.sluice.core.model.Value.DecimalValue;
import io.sluice.core.model.Value.FloatValue;
import io.sluice.core.model.Value.IntegerValue;
import io.sluice.core.model.Value.TextObjectValue;
import io.sluice.core.model.Value.TimestampValue;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every column type of FORMAT.md with its edge values, through the real pipeline
 * (server binlog -> Sluice -> Kafka), decoded with a generic reader and compared value by value.
 */
class TypeMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    // The table and its edge rows are shared with InitializationIT (INIT values must equal these).
    private static final String DEC1 = TypeRows.DEC1;
    private static final String JSON_DOC = TypeRows.JSON_DOC;
    private static final byte[] ARBITRARY = TypeRows.ARBITRARY;

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB", "MYSQL831", "MARIADB102"})
    void everyTypeRoundTrips(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_types_" + flavor.server;
        String table = db + ".t";
        Map<String, String> cols = TypeRows.columns();
        StringBuilder ddl = new StringBuilder("CREATE TABLE " + table + " (");
        cols.forEach((n, d) -> ddl.append('`').append(n).append("` ").append(d).append(','));
        ddl.setLength(ddl.length() - 1);
        ddl.append(") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4", ddl.toString());

        String topic = "it-types-" + flavor.server + "-" + System.nanoTime();
        String longText = "long \uD83D\uDE00 ".repeat(20_000);
        byte[] bigBlob = new byte[300_000];
        for (int k = 0; k < bigBlob.length; k++) bigBlob[k] = (byte) (k * 31 + 7);

        try (RunningJob job = RunningJob.start(JobYaml.of("types-" + flavor.server, server, topic, state, table, 7001));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            try (Connection c = server.root()) {
                c.createStatement().execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'");
                TypeRows.insertEdgeRows(c, table, longText, bigBlob);
                c.createStatement().execute("UPDATE " + table + " SET ti = 1, c_utf8 = 'changed' WHERE id = 1");
                c.createStatement().execute("DELETE FROM " + table + " WHERE id = 2");
            }
            List<GenericRecord> records = out.await(5, Duration.ofSeconds(60));
            assertEquals(5, records.size(), "records: " + records);

            Map<String, Integer> precision = integerPrecisions(server, db);
            Map<String, byte[]> geometry = storedGeometry(server, table);
            List<Value> row1 = expectedRow1(flavor, precision, longText, bigBlob, geometry.get("g1"), geometry.get("pt1"));
            List<Value> row2 = expectedRow2(flavor, precision, geometry.get("g2"), geometry.get("pt2"));
            List<Value> row3 = new ArrayList<>();
            row3.add(new IntegerValue(precision.get("id"), "3"));
            for (int k = 1; k < cols.size(); k++) row3.add(null);

            GenericRecord insert1 = records.get(0);
            assertEquals("INSERT", insert1.get("operation").toString());
            assertEquals(List.copyOf(cols.keySet()), Images.fieldNames(insert1));
            assertEquals(expectedTypeCodes(flavor), Images.fieldTypes(insert1));
            assertNull(insert1.get("beforeImages"));
            assertImage(flavor, row1, Images.of(insert1, "afterImages"));
            assertEquals(db + ".t", insert1.get("objectName").toString());
            assertEquals("{\"PRIMARY\":[\"id\"]}", insert1.get("tags") instanceof Map<?, ?> m ? str(m, "pk_uk_info") : null);
            assertEquals(flavor.server, str((Map<?, ?>) insert1.get("tags"), "source"));

            GenericRecord insert2 = records.get(1);
            assertImage(flavor, row2, Images.of(insert2, "afterImages"));
            GenericRecord insert3 = records.get(2);
            assertImage(flavor, row3, Images.of(insert3, "afterImages"));

            GenericRecord update = records.get(3);
            assertEquals("UPDATE", update.get("operation").toString());
            assertImage(flavor, row1, Images.of(update, "beforeImages"));
            List<Value> updated = new ArrayList<>(row1);
            updated.set(1, new IntegerValue(precision.get("ti"), "1"));
            updated.set(indexOf(cols, "c_utf8"), new CharacterValue("utf8mb4", "changed".getBytes(StandardCharsets.UTF_8)));
            assertImage(flavor, updated, Images.of(update, "afterImages"));

            GenericRecord delete = records.get(4);
            assertEquals("DELETE", delete.get("operation").toString());
            assertImage(flavor, row2, Images.of(delete, "beforeImages"));
            assertNull(delete.get("afterImages"));

            long previousId = 0;
            for (GenericRecord r : records) {
                assertEquals(1, r.get("version"));
                assertTrue((Long) r.get("id") > previousId, "ids strictly increase");
                previousId = (Long) r.get("id");
                assertTrue(r.get("sourcePosition").toString().matches("\\d+@\\d+"), r.get("sourcePosition").toString());
                assertTrue(r.get("safeSourcePosition").toString().matches("\\d+@\\d+"));
                String txid = r.get("sourceTxid").toString();
                assertTrue(flavor.mariadb() ? txid.matches("\\d+-\\d+-\\d+") : txid.matches("[0-9a-f-]{36}:\\d+"), txid);
                assertEquals("MySQL", ((GenericRecord) r.get("source")).get("sourceType").toString());
                assertTrue(Math.abs((Long) r.get("sourceTimestamp") * 1000 - (Long) r.get("bornTimestamp")) < 1000);
            }
        }
    }

    private static String str(Map<?, ?> tags, String key) {
        for (Map.Entry<?, ?> e : tags.entrySet()) if (e.getKey().toString().equals(key)) return e.getValue().toString();
        return null;
    }

    private static int indexOf(Map<String, String> cols, String name) {
        return new ArrayList<>(cols.keySet()).indexOf(name);
    }

    private static void assertImage(Flavor flavor, List<Value> expected, List<Value> actual) throws Exception {
        assertEquals(expected.size(), actual.size());
        for (int k = 0; k < expected.size(); k++) {
            Value e = expected.get(k);
            Value a = actual.get(k);
            if (e instanceof TextObjectValue t && t.type().equals("JSON") && a instanceof TextObjectValue at) {
                assertEquals(JSON.readTree(t.value()), JSON.readTree(at.value()), "column " + k);
            } else if (e instanceof CharacterValue ec && a instanceof CharacterValue ac) {
                assertEquals(ec.charset(), ac.charset(), "column " + k);
                assertArrayEquals(ec.value(), ac.value(), "column " + k + ": " + new String(ac.value(), StandardCharsets.ISO_8859_1));
            } else {
                assertEquals(e, a, "column " + k);
            }
        }
    }

    private static List<Integer> expectedTypeCodes(Flavor flavor) {
        int json = flavor.mariadb() ? 253 : 245;
        return List.of(3, 1, 1, 2, 2, 9, 9, 3, 3, 8, 8, 16, 16, 246, 246, 4, 4, 5, 10, 11, 11, 11, 12, 12, 7, 7, 13,
                253, 253, 253, 254, 254, 253, 253, 253, 253, 253, 249, 252, 250, 251, 247, 248, json, 255, 255);
    }

    private static List<Value> expectedRow1(Flavor flavor, Map<String, Integer> p, String longText, byte[] bigBlob,
                                            byte[] g, byte[] pt) {
        List<Value> v = new ArrayList<>();
        v.add(new IntegerValue(p.get("id"), "1"));
        v.add(new IntegerValue(p.get("ti"), "127"));
        v.add(new IntegerValue(p.get("tiu"), "255"));
        v.add(new IntegerValue(p.get("si"), "32767"));
        v.add(new IntegerValue(p.get("siu"), "65535"));
        v.add(new IntegerValue(p.get("mi"), "8388607"));
        v.add(new IntegerValue(p.get("miu"), "16777215"));
        v.add(new IntegerValue(p.get("i"), "2147483647"));
        v.add(new IntegerValue(p.get("iu"), "4294967295"));
        v.add(new IntegerValue(p.get("bi"), "9223372036854775807"));
        v.add(new IntegerValue(p.get("biu"), "18446744073709551615"));
        v.add(new IntegerValue(1, "1"));
        v.add(new IntegerValue(64, "18446744073709551615"));
        v.add(new DecimalValue(DEC1, 65, 30));
        v.add(new DecimalValue("12.30", 10, 2));
        v.add(new FloatValue(3.40282e38, -1, -1));
        v.add(new FloatValue(1234.567, 7, 3));
        v.add(new FloatValue(1.7976931348623157e308, -1, -1));
        v.add(DateTimeValue.date(9999, 12, 31));
        v.add(DateTimeValue.time(838, 59, 59, 0));
        v.add(DateTimeValue.time(-838, -59, -59, 0));
        v.add(DateTimeValue.time(0, 0, -1, -500000));
        v.add(DateTimeValue.dateTime(9999, 12, 31, 23, 59, 59, 0));
        v.add(DateTimeValue.dateTime(2024, 2, 29, 12, 34, 56, 789012));
        v.add(new TimestampValue(2147483647L, 0));
        v.add(new TimestampValue(1704067200L, 1));
        v.add(DateTimeValue.year(2155));
        v.add(new CharacterValue("utf8mb4", "\uD83D\uDE00 \u00fcn\u00ef".getBytes(StandardCharsets.UTF_8)));
        v.add(new CharacterValue("latin1", "caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
        v.add(new CharacterValue("gbk", "\u4e2d\u6587".getBytes(Charset.forName("GBK"))));
        v.add(new CharacterValue("utf8mb4", "abc".getBytes(StandardCharsets.UTF_8)));
        v.add(new CharacterValue("binary", HEX.parseHex("0102000000000000")));
        v.add(new CharacterValue("binary", HEX.parseHex("00ff7f80")));
        v.add(new CharacterValue("utf8mb4", "tiny".getBytes(StandardCharsets.UTF_8)));
        v.add(new CharacterValue("utf8mb4", "text".getBytes(StandardCharsets.UTF_8)));
        v.add(new CharacterValue("utf8mb4", "medium".getBytes(StandardCharsets.UTF_8)));
        v.add(new CharacterValue("utf8mb4", longText.getBytes(StandardCharsets.UTF_8)));
        v.add(new BinaryObjectValue("BLOB", HEX.parseHex("00ff")));
        v.add(new BinaryObjectValue("BLOB", ARBITRARY));
        v.add(new BinaryObjectValue("BLOB", ARBITRARY));
        v.add(new BinaryObjectValue("BLOB", bigBlob));
        v.add(new TextObjectValue("ENUM", "c"));
        v.add(new TextObjectValue("SET", "x,z"));
        v.add(json(flavor, JSON_DOC));
        v.add(new BinaryGeometryValue("GEOMETRY", g));
        v.add(new BinaryGeometryValue("POINT", pt));
        return v;
    }

    private static List<Value> expectedRow2(Flavor flavor, Map<String, Integer> p, byte[] g, byte[] pt) {
        List<Value> v = new ArrayList<>();
        v.add(new IntegerValue(p.get("id"), "2"));
        v.add(new IntegerValue(p.get("ti"), "-128"));
        v.add(new IntegerValue(p.get("tiu"), "0"));
        v.add(new IntegerValue(p.get("si"), "-32768"));
        v.add(new IntegerValue(p.get("siu"), "0"));
        v.add(new IntegerValue(p.get("mi"), "-8388608"));
        v.add(new IntegerValue(p.get("miu"), "0"));
        v.add(new IntegerValue(p.get("i"), "-2147483648"));
        v.add(new IntegerValue(p.get("iu"), "0"));
        v.add(new IntegerValue(p.get("bi"), "-9223372036854775808"));
        v.add(new IntegerValue(p.get("biu"), "0"));
        v.add(new IntegerValue(1, "0"));
        v.add(new IntegerValue(64, "0"));
        v.add(new DecimalValue("-0.000000000000000000000000000001", 65, 30));
        v.add(new DecimalValue("-99999999.99", 10, 2));
        v.add(new FloatValue(-1.5, -1, -1));
        v.add(new FloatValue(-9999.999, 7, 3));
        v.add(new FloatValue(-2.2250738585072014e-308, -1, -1));
        v.add(DateTimeValue.date(0, 0, 0));
        v.add(DateTimeValue.time(-838, -59, -59, 0));
        v.add(DateTimeValue.time(0, 0, 0, 0));
        v.add(DateTimeValue.time(0, 0, 0, 0));
        v.add(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0));
        v.add(DateTimeValue.dateTime(1000, 1, 1, 0, 0, 0, 0));
        v.add(new TimestampValue(0, 0));
        v.add(new TimestampValue(1, 999999));
        v.add(DateTimeValue.year(0));
        v.add(new CharacterValue("utf8mb4", new byte[0]));
        v.add(new CharacterValue("latin1", new byte[0]));
        v.add(new CharacterValue("gbk", new byte[0]));
        v.add(new CharacterValue("utf8mb4", new byte[0]));
        v.add(new CharacterValue("binary", new byte[8]));
        v.add(new CharacterValue("binary", new byte[0]));
        for (int k = 0; k < 4; k++) v.add(new CharacterValue("utf8mb4", new byte[0]));
        for (int k = 0; k < 4; k++) v.add(new BinaryObjectValue("BLOB", new byte[0]));
        v.add(new TextObjectValue("ENUM", "a"));
        v.add(new TextObjectValue("SET", ""));
        v.add(json(flavor, "[]"));
        v.add(new BinaryGeometryValue("GEOMETRY", g));
        v.add(new BinaryGeometryValue("POINT", pt));
        return v;
    }

    /** MariaDB's JSON is LONGTEXT: the text as written, as a character column. */
    private static Value json(Flavor flavor, String doc) {
        return flavor.mariadb()
                ? new CharacterValue("utf8mb4", doc.getBytes(StandardCharsets.UTF_8))
                : new TextObjectValue("JSON", doc);
    }

    /** information_schema's NUMERIC_PRECISION of the integer columns: the spec's "numeric precision". */
    private static Map<String, Integer> integerPrecisions(MySqlServer server, String db) throws Exception {
        Map<String, Integer> p = new HashMap<>();
        try (Connection c = server.root(); PreparedStatement ps = c.prepareStatement(
                "SELECT COLUMN_NAME, NUMERIC_PRECISION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME='t' "
                        + "AND DATA_TYPE IN ('tinyint','smallint','mediumint','int','bigint')")) {
            ps.setString(1, db);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) p.put(rs.getString(1), rs.getInt(2));
            }
        }
        assertEquals(11, p.size());
        return p;
    }

    /** The geometry values as MySQL stores them (SRID + WKB), read back with a plain SELECT. */
    private static Map<String, byte[]> storedGeometry(MySqlServer server, String table) throws Exception {
        Map<String, byte[]> g = new HashMap<>();
        try (Connection c = server.root(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT g, pt FROM " + table + " WHERE id = 1")) {
            if (rs.next()) {
                g.put("g1", rs.getBytes(1));
                g.put("pt1", rs.getBytes(2));
            }
        }
        // row 2 is deleted by now: MySQL builds the same stored bytes from the same WKT
        try (Connection c = server.root(); ResultSet rs = c.createStatement().executeQuery(
                "SELECT ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_GeomFromText('POINT(0 0)')")) {
            rs.next();
            g.put("g2", rs.getBytes(1));
            g.put("pt2", rs.getBytes(2));
        }
        return g;
    }
}
