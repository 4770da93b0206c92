package io.sluice.source.mysql;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Catalog's static helpers, fed with what information_schema.COLUMNS returns
 * (DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_SET_NAME, CHARACTER_OCTET_LENGTH).
 */
class CatalogTest {

    private static final TableId T = new TableId("shop", "orders");

    private static Column column(String dataType, String columnType, Integer precision, Integer scale,
                                 String charset, Long octetLength) {
        return Catalog.column(T, "c", dataType, columnType, precision, scale, charset, octetLength);
    }

    @Test
    void enumAndSetLabels() {
        assertEquals(List.of("a", "it's", "x,y"), Catalog.labels("enum('a','it''s','x,y')"));
        assertEquals(List.of("", "a"), Catalog.labels("enum('','a')"));
        assertEquals(List.of("a(b)", "c)"), Catalog.labels("set('a(b)','c)')"));
        assertEquals(List.of("''", "'"), Catalog.labels("enum('''''','''')"));
        assertEquals(List.of("with space", "中文"), Catalog.labels("set('with space','中文')"));
    }

    @Test
    void enumColumnsCarryTheirLabels() {
        Column e = column("enum", "enum('new','paid')", null, null, "utf8mb4", 16L);
        assertEquals(ColumnType.ENUM, e.type());
        assertEquals(List.of("new", "paid"), e.labels());
        Column s = column("set", "set('a','b','c')", null, null, "utf8mb4", 20L);
        assertEquals(ColumnType.SET, s.type());
        assertEquals(List.of("a", "b", "c"), s.labels());
        assertNull(s.charset(), "ENUM/SET values are labels, not Character values");
    }

    @Test
    void floatPrecisionOnlyWhenDeclared() {
        // float(7,3): information_schema gives 7 and 3
        Column f = column("float", "float(7,3)", 7, 3, null, null);
        assertEquals(ColumnType.FLOAT, f.type());
        assertEquals(7, f.precision());
        assertEquals(3, f.scale());
        // plain double: information_schema gives NUMERIC_PRECISION 22, scale NULL; FORMAT.md wants -1/-1
        Column d = column("double", "double", 22, null, null, null);
        assertEquals(ColumnType.DOUBLE, d.type());
        assertEquals(-1, d.precision());
        assertEquals(-1, d.scale());
        // plain float: precision 12 in information_schema, still "none given"
        Column pf = column("float", "float", 12, null, null, null);
        assertEquals(-1, pf.precision());
        assertEquals(-1, pf.scale());
        Column du = column("double", "double(10,2) unsigned", 10, 2, null, null);
        assertEquals(10, du.precision());
        assertEquals(2, du.scale());
        assertTrue(du.unsigned());
    }

    @Test
    void integersAndDecimals() {
        Column u = column("int", "int unsigned", 10, 0, null, null);
        assertEquals(ColumnType.INT, u.type());
        assertTrue(u.unsigned());
        assertEquals(10, u.precision());
        assertTrue(column("bigint", "bigint(20) unsigned zerofill", 20, 0, null, null).unsigned());
        assertTrue(column("tinyint", "TINYINT(3) UNSIGNED", 3, 0, null, null).unsigned(), "case-insensitive");
        Column s = column("bigint", "bigint", 19, 0, null, null);
        assertFalse(s.unsigned());
        assertEquals(19, s.precision());
        assertEquals(ColumnType.MEDIUMINT, column("mediumint", "mediumint", 7, 0, null, null).type());

        Column dec = column("decimal", "decimal(65,30)", 65, 30, null, null);
        assertEquals(ColumnType.DECIMAL, dec.type());
        assertEquals(65, dec.precision());
        assertEquals(30, dec.scale());

        Column bit = column("bit", "bit(64)", 64, null, null, null);
        assertEquals(ColumnType.BIT, bit.type());
        assertEquals(64, bit.precision());
        assertEquals(-1, bit.scale());
    }

    @Test
    void charsetsAndByteLengths() {
        Column v = column("varchar", "varchar(20)", null, null, "utf8mb4", 80L);
        assertEquals(ColumnType.VARCHAR, v.type());
        assertEquals("utf8mb4", v.charset());
        assertEquals(80, v.length(), "bytes, for CONVERT TO CHARACTER SET and the binlog cross-check");
        assertEquals("latin1", column("text", "text", null, null, "latin1", 65535L).charset());
        Column lt = column("longtext", "longtext", null, null, "gbk", 4294967295L);
        assertEquals(ColumnType.TEXT, lt.type());
        assertEquals(Integer.MAX_VALUE, lt.length(), "capped");
        assertEquals(0, column("blob", "blob", null, null, null, 65535L).length(), "BLOB types tell their size by type");

        Column b = column("binary", "binary(16)", null, null, null, 16L);
        assertEquals(ColumnType.BINARY, b.type());
        assertEquals("binary", b.charset());
        assertEquals(16, b.length());
        Column vb = column("varbinary", "varbinary(16)", null, null, null, 16L);
        assertEquals("binary", vb.charset());
        assertEquals(16, vb.length());
        assertNull(column("blob", "blob", null, null, null, 65535L).charset());
        assertNull(column("int", "int", 10, 0, null, null).charset());
    }

    @Test
    void geometrySubtypes() {
        Column gc = column("geomcollection", "geomcollection", null, null, null, null);
        assertEquals(ColumnType.GEOMETRY, gc.type());
        assertEquals("GEOMETRYCOLLECTION", gc.subtype());
        assertEquals("GEOMETRYCOLLECTION", column("geometrycollection", "geometrycollection", null, null, null, null).subtype());
        assertEquals("POINT", column("point", "point", null, null, null, null).subtype());
        assertEquals("MULTIPOLYGON", column("multipolygon", "multipolygon", null, null, null, null).subtype());
        assertEquals("GEOMETRY", column("geometry", "geometry", null, null, null, null).subtype());
        assertNull(column("int", "int", 10, 0, null, null).subtype());
    }

    @Test
    void temporalColumns() {
        assertEquals(ColumnType.DATETIME, column("datetime", "datetime(6)", null, null, null, null).type());
        assertEquals(ColumnType.TIMESTAMP, column("timestamp", "timestamp", null, null, null, null).type());
        assertEquals(ColumnType.YEAR, column("year", "year", null, null, null, null).type());
        assertEquals(ColumnType.JSON, column("json", "json", null, null, null, null).type());
    }

    @Test
    void unsupportedTypeNamesTheColumn() {
        SluiceException e = assertThrows(SluiceException.class,
                () -> Catalog.column(T, "embedding", "vector", "vector(3)", null, null, null, null));
        assertTrue(e.problem().contains("shop.orders.embedding"), e.problem());
        assertTrue(e.problem().contains("vector(3)"), e.problem());
        assertTrue(e.fix().contains("objects.exclude"), e.fix());
    }
}
