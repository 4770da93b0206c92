package io.sluice.source.mysql.value;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Value;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Cells as the binlog client produces them (signed Java numbers, BitSet, byte[]) to DTS values. */
class ValueConverterTest {

    private static Column integer(ColumnType type, boolean unsigned, int precision) {
        return new Column("c", type, unsigned, precision, 0, null, 0, List.of(), null);
    }

    private static Column col(ColumnType type, int precision, int scale) {
        return new Column("c", type, false, precision, scale, null, 0, List.of(), null);
    }

    private static Value.IntegerValue convertInt(Column c, Serializable cell) {
        return assertInstanceOf(Value.IntegerValue.class, ValueConverter.convert(c, cell));
    }

    @Test
    void unsignedMaximaFromTheSignedCellsOfTheClient() {
        // The client reads TINYINT/SMALLINT/MEDIUMINT/INT as sign-extended ints and BIGINT as a signed long,
        // so the all-ones maxima arrive as -1.
        assertEquals(new Value.IntegerValue(3, "255"), ValueConverter.convert(integer(ColumnType.TINYINT, true, 3), -1));
        assertEquals(new Value.IntegerValue(5, "65535"), ValueConverter.convert(integer(ColumnType.SMALLINT, true, 5), -1));
        assertEquals(new Value.IntegerValue(8, "16777215"), ValueConverter.convert(integer(ColumnType.MEDIUMINT, true, 8), -1));
        assertEquals(new Value.IntegerValue(10, "4294967295"), ValueConverter.convert(integer(ColumnType.INT, true, 10), -1));
        assertEquals(new Value.IntegerValue(20, "18446744073709551615"), ValueConverter.convert(integer(ColumnType.BIGINT, true, 20), -1L));
        // values with the top bit set, but not all ones
        assertEquals("128", convertInt(integer(ColumnType.TINYINT, true, 3), -128).value());
        assertEquals("8388608", convertInt(integer(ColumnType.MEDIUMINT, true, 8), -8388608).value());
        assertEquals("2147483648", convertInt(integer(ColumnType.INT, true, 10), Integer.MIN_VALUE).value());
        assertEquals("9223372036854775808", convertInt(integer(ColumnType.BIGINT, true, 20), Long.MIN_VALUE).value());
        // small unsigned values are unchanged
        assertEquals("7", convertInt(integer(ColumnType.INT, true, 10), 7).value());
        assertEquals("0", convertInt(integer(ColumnType.BIGINT, true, 20), 0L).value());
    }

    /** The text the converter gave before integers were held as numbers (Long.toString of the masked cell). */
    private static String previousIntegerText(Column c, long v) {
        if (!c.unsigned()) return Long.toString(v);
        return switch (c.type()) {
            case TINYINT -> Long.toString(v & 0xFFL);
            case SMALLINT -> Long.toString(v & 0xFFFFL);
            case MEDIUMINT -> Long.toString(v & 0xFFFFFFL);
            case INT -> Long.toString(v & 0xFFFFFFFFL);
            default -> Long.toUnsignedString(v);
        };
    }

    @Test
    void integersHeldAsNumbersGiveThePreviousTextForRandomCells() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261202);
        ColumnType[] types = {ColumnType.TINYINT, ColumnType.SMALLINT, ColumnType.MEDIUMINT, ColumnType.INT, ColumnType.BIGINT};
        int[] bits = {8, 16, 24, 32, 64};
        for (int n = 0; n < 50_000; n++) {
            int t = rnd.nextInt(types.length);
            boolean unsigned = rnd.nextBoolean();
            Column c = integer(types[t], unsigned, 3 + t * 4);
            // a signed cell of the type's width (as the client sign-extends it), of any magnitude
            long v = rnd.nextLong() >> (64 - bits[t]) >> rnd.nextInt(bits[t]);
            if (rnd.nextInt(10) == 0) v = rnd.nextBoolean() ? -1L >>> (64 - bits[t] + 1) : -1L << (bits[t] - 1); // max, min
            Serializable cell = types[t] == ColumnType.BIGINT ? (Serializable) v : (Serializable) (int) v;
            Value.IntegerValue got = convertInt(c, cell);
            String expected = previousIntegerText(c, v);
            assertEquals(expected, got.value(), c + " " + v);
            assertEquals(new Value.IntegerValue(c.precision(), expected), got);
            assertEquals(new Value.IntegerValue(c.precision(), expected).hashCode(), got.hashCode());
            if (got.isNumber()) assertEquals(expected, Long.toString(got.number()));
        }
    }

    @Test
    void signedExtremes() {
        assertEquals("-128", convertInt(integer(ColumnType.TINYINT, false, 3), -128).value());
        assertEquals("127", convertInt(integer(ColumnType.TINYINT, false, 3), 127).value());
        assertEquals("-32768", convertInt(integer(ColumnType.SMALLINT, false, 5), -32768).value());
        assertEquals("-8388608", convertInt(integer(ColumnType.MEDIUMINT, false, 7), -8388608).value());
        assertEquals("-2147483648", convertInt(integer(ColumnType.INT, false, 10), Integer.MIN_VALUE).value());
        assertEquals("-9223372036854775808", convertInt(integer(ColumnType.BIGINT, false, 19), Long.MIN_VALUE).value());
        assertEquals("9223372036854775807", convertInt(integer(ColumnType.BIGINT, false, 19), Long.MAX_VALUE).value());
        assertEquals("-1", convertInt(integer(ColumnType.BIGINT, false, 19), -1L).value());
        assertEquals(19, convertInt(integer(ColumnType.BIGINT, false, 19), 1L).precision());
    }

    @Test
    void bits() {
        BitSet all = new BitSet(64);
        all.set(0, 64);
        assertEquals(new Value.IntegerValue(64, "18446744073709551615"), ValueConverter.convert(col(ColumnType.BIT, 64, -1), all));
        BitSet one = new BitSet();
        one.set(0);
        assertEquals(new Value.IntegerValue(1, "1"), ValueConverter.convert(col(ColumnType.BIT, 1, -1), one));
        assertEquals(new Value.IntegerValue(1, "0"), ValueConverter.convert(col(ColumnType.BIT, 1, -1), new BitSet()));
        BitSet b = new BitSet(); // b'101' with bit 0 the least significant
        b.set(0);
        b.set(2);
        assertEquals("5", convertInt(col(ColumnType.BIT, 3, -1), b).value());
        BitSet top = new BitSet();
        top.set(63);
        assertEquals("9223372036854775808", convertInt(col(ColumnType.BIT, 64, -1), top).value());
    }

    @Test
    void decimalsKeepTheirScale() {
        String max = "9".repeat(35) + "." + "9".repeat(30); // DECIMAL(65,30) maximum
        assertEquals(new Value.DecimalValue(max, 65, 30),
                ValueConverter.convert(col(ColumnType.DECIMAL, 65, 30), new BigDecimal(max)));
        assertEquals(new Value.DecimalValue("-" + max, 65, 30),
                ValueConverter.convert(col(ColumnType.DECIMAL, 65, 30), new BigDecimal("-" + max)));
        assertEquals("0." + "0".repeat(29) + "1",
                ((Value.DecimalValue) ValueConverter.convert(col(ColumnType.DECIMAL, 65, 30), new BigDecimal("1E-30"))).value(),
                "plain text, never exponent notation");
        assertEquals("0." + "0".repeat(30),
                ((Value.DecimalValue) ValueConverter.convert(col(ColumnType.DECIMAL, 65, 30), new BigDecimal("0E-30"))).value());
        assertEquals(new Value.DecimalValue("12.30", 5, 2), ValueConverter.convert(col(ColumnType.DECIMAL, 5, 2), new BigDecimal("12.30")));
        assertEquals(new Value.DecimalValue("100", 10, 0), ValueConverter.convert(col(ColumnType.DECIMAL, 10, 0), new BigDecimal("100")));
    }

    @Test
    void floatsAsTheirShortestDecimal() {
        Value.FloatValue max = assertInstanceOf(Value.FloatValue.class,
                ValueConverter.convert(col(ColumnType.FLOAT, -1, -1), 3.4028235E38f));
        assertEquals(3.4028235E38, max.value(), 0.0, "not the widened 3.4028234663852886E38");
        assertEquals(-1, max.precision());
        assertEquals(-1, max.scale());
        assertEquals(0.1, ((Value.FloatValue) ValueConverter.convert(col(ColumnType.FLOAT, -1, -1), 0.1f)).value(), 0.0);
        assertEquals(new Value.FloatValue(1.234, 7, 3), ValueConverter.convert(col(ColumnType.FLOAT, 7, 3), 1.234f));
        assertEquals(new Value.FloatValue(-0.0, -1, -1), ValueConverter.convert(col(ColumnType.FLOAT, -1, -1), -0.0f));
        // DOUBLE is exact already
        assertEquals(new Value.FloatValue(0.1, -1, -1), ValueConverter.convert(col(ColumnType.DOUBLE, -1, -1), 0.1));
        assertEquals(new Value.FloatValue(Double.MAX_VALUE, 10, 2), ValueConverter.convert(col(ColumnType.DOUBLE, 10, 2), Double.MAX_VALUE));
    }

    private static Column labelled(ColumnType type, String... labels) {
        return new Column("c", type, false, -1, -1, null, 0, List.of(labels), null);
    }

    @Test
    void enumIndexToLabel() {
        Column e = labelled(ColumnType.ENUM, "new", "paid", "it's");
        assertEquals(new Value.TextObjectValue("ENUM", "new"), ValueConverter.convert(e, 1));
        assertEquals(new Value.TextObjectValue("ENUM", "it's"), ValueConverter.convert(e, 3));
        assertEquals(new Value.TextObjectValue("ENUM", ""), ValueConverter.convert(e, 0), "index 0 is the error value ''");
    }

    @Test
    void setMaskToLabels() {
        Column s = labelled(ColumnType.SET, "a", "b", "c");
        assertEquals(new Value.TextObjectValue("SET", "a,c"), ValueConverter.convert(s, 5L));
        assertEquals(new Value.TextObjectValue("SET", "a,b,c"), ValueConverter.convert(s, 7L));
        assertEquals(new Value.TextObjectValue("SET", ""), ValueConverter.convert(s, 0L));
        assertEquals("b", ((Value.TextObjectValue) ValueConverter.convert(s, 2)).value(), "an Integer mask works too");
        String[] many = new String[64];
        for (int i = 0; i < 64; i++) many[i] = "l" + i;
        assertEquals("l0,l63", ((Value.TextObjectValue) ValueConverter.convert(labelled(ColumnType.SET, many), Long.MIN_VALUE | 1L)).value());
    }

    @Test
    void binaryIsPaddedToItsDeclaredLength() {
        Column bin4 = new Column("c", ColumnType.BINARY, false, -1, -1, "binary", 4, List.of(), null);
        Value.CharacterValue v = assertInstanceOf(Value.CharacterValue.class, ValueConverter.convert(bin4, new byte[]{'a', 'b'}));
        assertEquals("binary", v.charset());
        assertArrayEquals(new byte[]{'a', 'b', 0, 0}, v.value());
        assertArrayEquals(new byte[]{0, 0, 0, 0}, ((Value.CharacterValue) ValueConverter.convert(bin4, new byte[0])).value());
        assertArrayEquals(new byte[]{1, 2, 3, 4}, ((Value.CharacterValue) ValueConverter.convert(bin4, new byte[]{1, 2, 3, 4})).value());
        // VARBINARY keeps its length
        Column varbin = new Column("c", ColumnType.VARBINARY, false, -1, -1, "binary", 0, List.of(), null);
        assertEquals(new Value.CharacterValue("binary", new byte[]{'a', 0}), ValueConverter.convert(varbin, new byte[]{'a', 0}));
    }

    @Test
    void charactersKeepTheirBytesAndCharset() {
        byte[] gbk = {(byte) 0xC4, (byte) 0xE3};
        Column c = new Column("c", ColumnType.VARCHAR, false, -1, -1, "gbk", 0, List.of(), null);
        assertEquals(new Value.CharacterValue("gbk", gbk), ValueConverter.convert(c, gbk));
        Column text = new Column("c", ColumnType.TEXT, false, -1, -1, "utf8mb4", 0, List.of(), null);
        byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
        assertEquals(new Value.CharacterValue("utf8mb4", emoji), ValueConverter.convert(text, emoji));
        Column chr = new Column("c", ColumnType.CHAR, false, -1, -1, "latin1", 0, List.of(), null);
        assertEquals(new Value.CharacterValue("latin1", new byte[]{'x'}), ValueConverter.convert(chr, new byte[]{'x'}));
    }

    @Test
    void blobs() {
        for (ColumnType t : List.of(ColumnType.TINYBLOB, ColumnType.BLOB, ColumnType.MEDIUMBLOB, ColumnType.LONGBLOB)) {
            byte[] b = {0, (byte) 0xff};
            assertEquals(new Value.BinaryObjectValue("BLOB", b), ValueConverter.convert(Column.of("c", t), b), t.name());
        }
    }

    @Test
    void jsonBinaryToText() {
        Column j = Column.of("c", ColumnType.JSON);
        assertEquals(new Value.TextObjectValue("JSON", "null"), ValueConverter.convert(j, new byte[0]), "empty JSON cell");
        // literal true: type 0x04, value 0x01
        assertEquals("true", text(j, new byte[]{0x04, 0x01}));
        // string: type 0x0c, length 3, "abc"
        assertEquals("\"abc\"", text(j, new byte[]{0x0c, 3, 'a', 'b', 'c'}));
        // small object {"a":1}: count 1, size 12, key entry (offset 11, length 1), value entry (int16 inline 1), key "a"
        assertEquals("{\"a\":1}", text(j, new byte[]{0x00, 1, 0, 12, 0, 11, 0, 1, 0, 0x05, 1, 0, 'a'}).replace(" ", ""));
        // small array [1,"x"]: count 2, size 12, int16 inline 1, string at offset 10, then length 1 "x"
        assertEquals("[1,\"x\"]", text(j, new byte[]{0x02, 2, 0, 12, 0, 0x05, 1, 0, 0x0c, 10, 0, 1, 'x'}).replace(" ", ""));
    }

    private static String text(Column c, byte[] cell) {
        Value.TextObjectValue v = assertInstanceOf(Value.TextObjectValue.class, ValueConverter.convert(c, cell));
        assertEquals("JSON", v.type());
        return v.value();
    }

    @Test
    void geometryPassesItsStoredBytes() {
        byte[] stored = {0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};
        Column point = new Column("c", ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), "POINT");
        Value.BinaryGeometryValue v = assertInstanceOf(Value.BinaryGeometryValue.class, ValueConverter.convert(point, stored));
        assertEquals("POINT", v.type());
        assertArrayEquals(stored, v.value());
        Column gc = new Column("c", ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), "GEOMETRYCOLLECTION");
        assertEquals("GEOMETRYCOLLECTION", ((Value.BinaryGeometryValue) ValueConverter.convert(gc, stored)).type());
    }

    @Test
    void nullAndTemporalCells() {
        for (ColumnType t : ColumnType.values()) {
            assertNull(ValueConverter.convert(Column.of("c", t), null), t.name());
        }
        Value.DateTimeValue d = Value.DateTimeValue.date(0, 0, 0);
        assertSame(d, ValueConverter.convert(Column.of("c", ColumnType.DATE), d), "temporal cells come decoded");
        Value.TimestampValue ts = new Value.TimestampValue(1, 2);
        assertSame(ts, ValueConverter.convert(Column.of("c", ColumnType.TIMESTAMP), ts));
    }

    @Test
    void anUndecodedTemporalCellIsAnActionableError() {
        SluiceException e = assertThrows(SluiceException.class,
                () -> ValueConverter.convert(Column.of("born", ColumnType.DATE), new java.util.Date(0)));
        assertEquals(true, e.problem().contains("born"), e.problem());
    }
}
