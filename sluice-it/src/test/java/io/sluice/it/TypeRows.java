package io.sluice.it;

import io.sluice.it.support.MySqlServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** TypeMatrixIT's table definition and edge rows, plus rows for the SELECT-side conversions (JSON, FLOAT text). */
final class TypeRows {

    static final int ROWS = 6;

    private TypeRows() {}

    static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "INT NOT NULL PRIMARY KEY");
        c.put("ti", "TINYINT"); c.put("tiu", "TINYINT UNSIGNED");
        c.put("si", "SMALLINT"); c.put("siu", "SMALLINT UNSIGNED");
        c.put("mi", "MEDIUMINT"); c.put("miu", "MEDIUMINT UNSIGNED");
        c.put("i", "INT"); c.put("iu", "INT UNSIGNED");
        c.put("bi", "BIGINT"); c.put("biu", "BIGINT UNSIGNED");
        c.put("b1", "BIT(1)"); c.put("b64", "BIT(64)");
        c.put("dec1", "DECIMAL(65,30)"); c.put("dec2", "DECIMAL(10,2)");
        c.put("f", "FLOAT"); c.put("f2", "FLOAT(7,3)"); c.put("d", "DOUBLE");
        c.put("dt", "DATE"); c.put("tm", "TIME"); c.put("tm6", "TIME(6)"); c.put("tm3", "TIME(3)");
        c.put("dtm", "DATETIME"); c.put("dtm6", "DATETIME(6)");
        c.put("ts", "TIMESTAMP NULL DEFAULT NULL"); c.put("ts6", "TIMESTAMP(6) NULL DEFAULT NULL");
        c.put("yr", "YEAR");
        c.put("c_utf8", "VARCHAR(50) CHARACTER SET utf8mb4"); c.put("c_latin1", "VARCHAR(50) CHARACTER SET latin1");
        c.put("c_gbk", "VARCHAR(50) CHARACTER SET gbk"); c.put("ch", "CHAR(10)");
        c.put("bin", "BINARY(8)"); c.put("vbin", "VARBINARY(64)");
        c.put("tt", "TINYTEXT"); c.put("tx", "TEXT"); c.put("mt", "MEDIUMTEXT"); c.put("lt", "LONGTEXT");
        c.put("tb", "TINYBLOB"); c.put("bl", "BLOB"); c.put("mb", "MEDIUMBLOB"); c.put("lb", "LONGBLOB");
        c.put("e", "ENUM('a','b','c')"); c.put("s", "SET('x','y','z')");
        c.put("j", "JSON");
        c.put("g", "GEOMETRY"); c.put("pt", "POINT");
        return c;
    }

    static final String DEC1 = "12345678901234567890123456789012345.123456789012345678901234567890";
    static final String JSON_DOC = "{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": \"\uD83D\uDE00\"}}";
    private static final String JSON_EDGE = "{\"zz\": 1e300, \"a\": -0.5, \"big\": 18446744073709551615, \"neg\": -9223372036854775808, "
            + "\"esc\": \"q\\\" b\\\\ n\\n t\\t c\\u0001 s/\", \"nested\": [[], {}, [1.0, 0.1, 100]], \"f\": false}";
    static final byte[] ARBITRARY = HexFormat.of().parseHex("00ff7f80015c27220a0d1a");

    static final String ROW1 = "INSERT INTO %s VALUES (1, 127, 255, 32767, 65535, 8388607, 16777215, 2147483647, "
            + "4294967295, 9223372036854775807, 18446744073709551615, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', "
            + DEC1 + ", 12.30, 3.40282e38, 1234.567, 1.7976931348623157e308, '9999-12-31', '838:59:59', '-838:59:59.000000', "
            + "'-00:00:01.500', '9999-12-31 23:59:59', '2024-02-29 12:34:56.789012', '2038-01-19 03:14:07', "
            + "'2024-01-01 00:00:00.000001', 2155, ?, ?, ?, 'abc', x'0102', x'00ff7f80', 'tiny', 'text', 'medium', ?, "
            + "x'00ff', ?, ?, ?, 'c', 'x,z', ?, ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('POINT(-1.5 3e10)'))";
    static final String ROW2 = "INSERT INTO %s VALUES (2, -128, 0, -32768, 0, -8388608, 0, -2147483648, 0, "
            + "-9223372036854775808, 0, b'0', b'0', -0.000000000000000000000000000001, -99999999.99, -1.5, -9999.999, "
            + "-2.2250738585072014e-308, '0000-00-00', '-838:59:59', '00:00:00', '00:00:00', '0000-00-00 00:00:00', "
            + "'1000-01-01 00:00:00.000000', '0000-00-00 00:00:00', '1970-01-01 00:00:01.999999', 0, '', '', '', '', "
            + "x'', x'', '', '', '', '', x'', x'', x'', x'', 'a', '', '[]', ST_GeomFromText('LINESTRING(0 0,1 1)'), "
            + "ST_GeomFromText('POINT(0 0)'))";
    private static final String ROW4 = "INSERT INTO %s (id, f, f2, d, dec2, tm3, tm6, dtm6, ts6, b64, ch, bin, e, s, j, yr) VALUES "
            + "(4, 1.0000001, 0.001, 0.1, 0.00, '-00:00:00.001', '12:00:00.5', '2000-01-01 00:00:00.5', '2001-02-03 04:05:06.000007', "
            + "b'101', 'a  ', x'01', 'b', 'x,y,z', ?, 1901)";
    /** JSON from unsigned values (MySQL stores UINT32 in the binary JSON, not INT64) and a non-ASCII key. */
    private static final String ROW6 = "INSERT INTO %s (id, j) VALUES (6, JSON_OBJECT('u32', CAST(4294967295 AS UNSIGNED), "
            + "'u31', CAST(2147483648 AS UNSIGNED), 'cl\u00e9', CAST(7 AS UNSIGNED), 'arr', JSON_ARRAY(CAST(3000000000 AS UNSIGNED))))";
    private static final String ROW5 = "INSERT INTO %s (id, f, d, j, c_utf8, s) VALUES (5, 16777217, 123456789.123456789, "
            + "'\"just a string\"', 'trailing  ', '')";

    /** Rows 1-3 of the type matrix: maxima, minima and zero values, all NULL (session: sql_mode='', UTC). */
    static void insertEdgeRows(Connection c, String table, String longText, byte[] blob) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(ROW1.formatted(table))) {
            ps.setString(1, "\uD83D\uDE00 \u00fcn\u00ef");
            ps.setString(2, "caf\u00e9");
            ps.setString(3, "\u4e2d\u6587");
            ps.setString(4, longText);
            ps.setBytes(5, ARBITRARY);
            ps.setBytes(6, ARBITRARY);
            ps.setBytes(7, blob);
            ps.setString(8, JSON_DOC);
            ps.executeUpdate();
        }
        c.createStatement().execute(ROW2.formatted(table));
        c.createStatement().execute("INSERT INTO " + table + " (id) VALUES (3)");
    }

    static void insert(MySqlServer server, String table) throws Exception {
        String longText = "long \uD83D\uDE00 ".repeat(2_000);
        byte[] blob = new byte[30_000];
        for (int k = 0; k < blob.length; k++) blob[k] = (byte) (k * 31 + 7);
        try (Connection c = server.root()) {
            c.createStatement().execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'");
            insertEdgeRows(c, table, longText, blob);
            try (PreparedStatement ps = c.prepareStatement(ROW4.formatted(table))) {
                ps.setString(1, JSON_EDGE);
                ps.executeUpdate();
            }
            c.createStatement().execute(ROW5.formatted(table));
            c.createStatement().execute(ROW6.formatted(table));
        }
    }
}
