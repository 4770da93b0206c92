package io.sluice.source.mysql.value;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Value;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JdbcValuesTest {

    private static Value conv(Column c, String text) {
        return JdbcValues.convert(c, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A JSON cell's text as the SELECT gives it: UTF-8 bytes. */
    private static String json(String text) {
        return JdbcValues.json(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void temporalTextMatchesTheBinlogDecoding() {
        assertEquals(Value.DateTimeValue.date(0, 0, 0), conv(Column.of("d", ColumnType.DATE), "0000-00-00"));
        assertEquals(Value.DateTimeValue.time(-838, -59, -59, 0), conv(Column.of("t", ColumnType.TIME), "-838:59:59"));
        assertEquals(Value.DateTimeValue.time(0, 0, -1, -500000), conv(Column.of("t", ColumnType.TIME), "-00:00:01.500"));
        assertEquals(Value.DateTimeValue.time(12, 0, 0, 500000), conv(Column.of("t", ColumnType.TIME), "12:00:00.5"));
        assertEquals(Value.DateTimeValue.dateTime(2024, 2, 29, 12, 34, 56, 789012),
                conv(Column.of("t", ColumnType.DATETIME), "2024-02-29 12:34:56.789012"));
        assertEquals(new Value.TimestampValue(2147483647L, 0), conv(Column.of("t", ColumnType.TIMESTAMP), "2038-01-19 03:14:07"));
        assertEquals(new Value.TimestampValue(1, 999999), conv(Column.of("t", ColumnType.TIMESTAMP), "1970-01-01 00:00:01.999999"));
        assertEquals(new Value.TimestampValue(0, 0), conv(Column.of("t", ColumnType.TIMESTAMP), "0000-00-00 00:00:00"));
        assertEquals(Value.DateTimeValue.year(0), conv(Column.of("y", ColumnType.YEAR), "0000"));
    }

    @Test
    void zerofillPaddingIsDroppedSoTheValueEqualsTheBinlogs() {
        Column zf = new Column("id", ColumnType.INT, true, 10, 0, null, 0, List.of(), null);
        Value fromSelect = JdbcValues.convert(zf, "000005".getBytes(StandardCharsets.US_ASCII));
        Value fromBinlog = Value.IntegerValue.of(10, 5);
        assertEquals(fromBinlog, fromSelect);
        assertEquals(fromBinlog.hashCode(), fromSelect.hashCode());
        assertEquals("5", ((Value.IntegerValue) fromSelect).value());
        assertEquals("0", ((Value.IntegerValue) JdbcValues.convert(zf, "0000".getBytes(StandardCharsets.US_ASCII))).value());
        assertEquals("-12", ((Value.IntegerValue) JdbcValues.convert(zf, "-12".getBytes(StandardCharsets.US_ASCII))).value());
    }

    /**
     * Integer cells of every shape the text protocol gives (a sign, ZEROFILL zeros, 1 to 19 digits):
     * the value equals the binlog's for the same number (equals, hashCode, text), which the
     * reconciliation and the partitioner rely on.
     */
    @Test
    void integerCellsEqualTheBinlogsForTheSameNumber() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        Column plain = new Column("i", ColumnType.BIGINT, false, 19, 0, null, 0, List.of(), null);
        for (int k = 0; k < 200_000; k++) {
            long n = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextLong(-100_000, 100_000);
                case 2 -> rnd.nextBoolean() ? Long.MAX_VALUE - rnd.nextInt(3) : Long.MIN_VALUE + rnd.nextInt(3);
                default -> rnd.nextLong(0, 1_000_000_000_000_000_000L);
            };
            String text = Long.toString(n);
            if (n >= 0 && rnd.nextInt(5) == 0) text = "0".repeat(1 + rnd.nextInt(6)) + text; // ZEROFILL
            Value v = JdbcValues.convert(plain, text.getBytes(StandardCharsets.US_ASCII));
            Value.IntegerValue binlog = Value.IntegerValue.of(19, n);
            String at = "cell " + text;
            assertEquals(binlog, v, at);
            assertEquals(binlog.hashCode(), v.hashCode(), at);
            assertEquals(Long.toString(n), ((Value.IntegerValue) v).value(), at);
        }
    }

    @Test
    void numbersBitsAndLabels() {
        Column biu = new Column("b", ColumnType.BIGINT, true, 20, 0, null, 0, List.of(), null);
        assertEquals(new Value.IntegerValue(20, "18446744073709551615"), conv(biu, "18446744073709551615"));
        Column bit = new Column("b", ColumnType.BIT, false, 64, -1, null, 0, List.of(), null);
        assertEquals(new Value.IntegerValue(64, "18446744073709551615"), JdbcValues.convert(bit, new byte[] {-1, -1, -1, -1, -1, -1, -1, -1}));
        Column dec = new Column("d", ColumnType.DECIMAL, false, 10, 2, null, 0, List.of(), null);
        assertEquals(new Value.DecimalValue("-99999999.99", 10, 2), conv(dec, "-99999999.99"));
        // FLOAT is selected as col+0e0: the exact double of the float, then the binlog path's shortest form
        Column f = Column.of("f", ColumnType.FLOAT);
        assertEquals(new Value.FloatValue(Double.parseDouble(Float.toString(1.0000001f)), -1, -1), conv(f, "1.00000011920928955"));
        Column e = new Column("e", ColumnType.ENUM, false, -1, -1, null, 0, List.of("a", "b"), null);
        assertEquals(new Value.TextObjectValue("ENUM", "b"), conv(e, "2"));
        Column s = new Column("s", ColumnType.SET, false, -1, -1, null, 0, List.of("x", "y", "z"), null);
        assertEquals(new Value.TextObjectValue("SET", "x,z"), conv(s, "5"));
        Column bin = new Column("b", ColumnType.BINARY, false, -1, -1, "binary", 4, List.of(), null);
        assertEquals(new Value.CharacterValue("binary", new byte[] {1, 0, 0, 0}), JdbcValues.convert(bin, new byte[] {1}));
        assertEquals("`a``b`+0e0", JdbcValues.selectExpression(Column.of("a`b", ColumnType.FLOAT)));
    }

    @Test
    void jsonTextIsWrittenLikeTheBinlogClientFormatsBinaryJson() {
        assertEquals("{\"a\":[1,2.5,\"x\",null,true],\"b\":{\"c\":\"\uD83D\uDE00\"}}",
                json("{\"a\": [1, 2.5, \"x\", null, true], \"b\": {\"c\": \"\uD83D\uDE00\"}}"));
        assertEquals("[[],{},[1.0,0.1,100],18446744073709551615,-0.5]", json("[[], {}, [1.0, 0.1, 100], 18446744073709551615, -0.5]"));
        assertEquals("\"q\\\" b\\\\ n\\n c\\u0001 s/\"", json("\"q\\\" b\\\\ n\\n c\\u0001 s/\""));
        assertEquals("100000000000000000000", json("1e20"));
        // a DECIMAL inside a document keeps its text where no double prints so (a trailing zero, > 17 digits)
        assertEquals("[1.50,3.00,100.0,12.34,123456789012345678.5,0.5,-0.0010]",
                json("[1.50, 3.00, 100.0, 12.34, 123456789012345678.5, 0.5, -0.0010]"));
        assertEquals(JdbcValues.parsedJson("[1.50, 3.00, 100.0, 12.34, 123456789012345678.5, 0.5, -0.0010]"),
                json("[1.50, 3.00, 100.0, 12.34, 123456789012345678.5, 0.5, -0.0010]"));
        assertEquals("null", json("null"));
    }
}
