package io.sluice.it;

import io.sluice.it.support.MySqlServer;

import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table of NOT NULL columns of every type family of the type matrix, some with DEFAULT values,
 * and its rows: zero dates and zero-ish values (inserted with sql_mode=''), ordinary values, and a
 * row of defaults (explicit ones, and MySQL's implicit ones for NOT NULL columns without).
 */
final class NotNullRows {

    static final int ROWS = 3;

    private NotNullRows() {}

    static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("id", "INT NOT NULL PRIMARY KEY");
        c.put("ti", "TINYINT NOT NULL"); c.put("tiu", "TINYINT UNSIGNED NOT NULL DEFAULT 7");
        c.put("si", "SMALLINT NOT NULL"); c.put("miu", "MEDIUMINT UNSIGNED NOT NULL");
        c.put("i", "INT NOT NULL DEFAULT -1"); c.put("iu", "INT UNSIGNED NOT NULL");
        c.put("bi", "BIGINT NOT NULL DEFAULT 0"); c.put("biu", "BIGINT UNSIGNED NOT NULL");
        c.put("b1", "BIT(1) NOT NULL DEFAULT b'1'"); c.put("b64", "BIT(64) NOT NULL");
        c.put("dec2", "DECIMAL(10,2) NOT NULL DEFAULT 1.50");
        c.put("f", "FLOAT NOT NULL"); c.put("d", "DOUBLE NOT NULL DEFAULT 2.5");
        c.put("dt", "DATE NOT NULL"); c.put("dtd", "DATE NOT NULL DEFAULT '2000-01-01'");
        c.put("tm", "TIME NOT NULL"); c.put("tm6", "TIME(6) NOT NULL DEFAULT '00:00:01.500000'");
        c.put("dtm", "DATETIME NOT NULL"); c.put("dtm3", "DATETIME(3) NOT NULL");
        c.put("dtm6", "DATETIME(6) NOT NULL DEFAULT '2000-01-01 00:00:00.000000'");
        c.put("ts", "TIMESTAMP NOT NULL DEFAULT '0000-00-00 00:00:00'");
        c.put("ts6", "TIMESTAMP(6) NOT NULL DEFAULT '2001-02-03 04:05:06.000007'");
        c.put("yr", "YEAR NOT NULL");
        c.put("c", "VARCHAR(20) NOT NULL DEFAULT 'dflt'"); c.put("ch", "CHAR(4) NOT NULL"); c.put("tx", "TEXT NOT NULL");
        c.put("bin", "BINARY(4) NOT NULL"); c.put("vbin", "VARBINARY(8) NOT NULL"); c.put("bl", "BLOB NOT NULL");
        c.put("e", "ENUM('a','b') NOT NULL"); c.put("ed", "ENUM('a','b') NOT NULL DEFAULT 'b'"); c.put("s", "SET('x','y') NOT NULL");
        c.put("j", "JSON NOT NULL");
        c.put("g", "GEOMETRY NOT NULL"); c.put("pt", "POINT NOT NULL");
        c.put("later", "INT NULL"); // made NOT NULL by ALTER TABLE ... MODIFY while streaming
        return c;
    }

    private static final String ZEROS = "INSERT INTO %s VALUES (1, 0, 0, 0, 0, 0, 0, 0, 0, b'0', b'0', 0, 0, 0, "
            + "'0000-00-00', '0000-00-00', '00:00:00', '00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', "
            + "'0000-00-00 00:00:00', '0000-00-00 00:00:00', '0000-00-00 00:00:00', 0, '', '', '', x'', x'', x'', "
            + "'', 'a', '', '{}', ST_GeomFromText('POINT(0 0)'), ST_GeomFromText('POINT(0 0)'), NULL)";
    private static final String VALUES = "INSERT INTO %s VALUES (2, -5, 200, -300, 70000, -7, 4000000000, "
            + "-9000000000000000000, 18446744073709551615, b'1', b'101', -12.34, 1.5, -2.25, '2024-02-29', '1999-12-31', "
            + "'-12:00:00', '838:59:59.000000', '2024-02-29 12:34:56', '2024-02-29 12:34:56.789', '9999-12-31 23:59:59.999999', "
            + "'2038-01-19 03:14:07', '1970-01-01 00:00:01.000001', 2024, 'h\u00e9llo', 'ab', 'text', x'01020304', x'ff', x'00', "
            + "'b', 'a', 'x,y', '{\"k\": [1, \"v\"]}', ST_GeomFromText('LINESTRING(0 0,1 1)'), ST_GeomFromText('POINT(1 2)'), 1)";
    /** Only the columns MySQL cannot give a default (JSON, GEOMETRY): the others take theirs, explicit or implicit. */
    private static final String DEFAULTS = "INSERT INTO %s (id, j, g, pt) VALUES (3, '[]', ST_GeomFromText('POINT(3 4)'), "
            + "ST_GeomFromText('POINT(5 6)'))";

    static void insert(MySqlServer server, String table) throws Exception {
        try (Connection c = server.root()) {
            c.createStatement().execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'");
            c.createStatement().execute(ZEROS.formatted(table));
            c.createStatement().execute(VALUES.formatted(table));
            c.createStatement().execute(DEFAULTS.formatted(table));
        }
    }
}
