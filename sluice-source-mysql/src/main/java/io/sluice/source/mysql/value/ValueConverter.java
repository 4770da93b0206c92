package io.sluice.source.mysql.value;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.Value;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * Turns a binlog cell, as the row deserializers produce it, into the DTS value for its column.
 * The binlog knows storage types only; signedness, charsets, ENUM/SET labels and declared
 * precision come from the column definition.
 */
public final class ValueConverter {

    private ValueConverter() {}

    public static Value convert(Column c, Serializable cell) {
        return convert(c, cell, false);
    }

    /**
     * @param integralJsonDoublesAsIntegers the source is MySQL 5.7: a JSON document's doubles without a
     *        fractional part are written as integers, as 5.7 prints them (its SELECT, and so an
     *        initialization's records, cannot tell them from integers)
     */
    public static Value convert(Column c, Serializable cell, boolean integralJsonDoublesAsIntegers) {
        if (cell == null) return null;
        if (cell instanceof Value v) return v; // temporal, decoded exactly by TemporalCells
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> integer(c, cell);
            case BIT -> new Value.IntegerValue(c.precision(), bits((BitSet) cell).toString());
            case DECIMAL -> new Value.DecimalValue(((BigDecimal) cell).toPlainString(), c.precision(), c.scale());
            case FLOAT -> floatValue(c, (Float) cell);
            case DOUBLE -> doubleValue(c, (Double) cell);
            case CHAR, VARCHAR, TEXT, VARBINARY -> new Value.CharacterValue(charset(c), (byte[]) cell);
            case BINARY -> new Value.CharacterValue("binary", padBinary((byte[]) cell, c.length()));
            case TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> new Value.BinaryObjectValue("BLOB", (byte[]) cell);
            case ENUM -> enumValue(c, ((Number) cell).intValue());
            case SET -> new Value.TextObjectValue("SET", setLabels(c, ((Number) cell).longValue()));
            case JSON -> new Value.TextObjectValue("JSON", json((byte[]) cell, integralJsonDoublesAsIntegers));
            case GEOMETRY -> new Value.BinaryGeometryValue(c.subtype(), (byte[]) cell);
            default -> throw new SluiceException("column " + c.name() + " of type " + c.type()
                    + " got an unexpected binlog value " + cell.getClass().getSimpleName(),
                    "report this with the table definition");
        };
    }

    /** The cell as a number (unsigned columns as their unsigned value); only an unsigned BIGINT from 2^63 up is text. */
    static Value.IntegerValue integer(Column c, Serializable cell) {
        return integer(c, ((Number) cell).longValue());
    }

    /** An integer column's value from the binlog's signed number {@code v} (of the column's storage size). */
    public static Value.IntegerValue integer(Column c, long v) {
        if (c.unsigned()) {
            switch (c.type()) {
                case TINYINT -> v &= 0xFFL;
                case SMALLINT -> v &= 0xFFFFL;
                case MEDIUMINT -> v &= 0xFFFFFFL;
                case INT -> v &= 0xFFFFFFFFL;
                default -> {
                    if (v < 0) return new Value.IntegerValue(c.precision(), Long.toUnsignedString(v));
                }
            }
        }
        return Value.IntegerValue.of(c.precision(), v);
    }

    /** A FLOAT is written as the double of its shortest decimal form (what MySQL shows), not its binary widening. */
    public static Value.FloatValue floatValue(Column c, float v) {
        return new Value.FloatValue(shortestDecimal(v), c.precision(), c.scale());
    }

    /**
     * {@code Double.parseDouble(Float.toString(v))}: at most 9 significant digits, so nearly always
     * {@link JdbcValues#parseDouble}'s exact fast path, without a String to parse.
     */
    static double shortestDecimal(float v) {
        return JdbcValues.parseDouble(Float.toString(v).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    public static Value.FloatValue doubleValue(Column c, double v) {
        return new Value.FloatValue(v, c.precision(), c.scale());
    }

    /** An ENUM column's label for the binlog's index. */
    public static Value.TextObjectValue enumValue(Column c, int index) {
        return new Value.TextObjectValue("ENUM", enumLabel(c, index));
    }

    static BigInteger bits(BitSet bits) {
        BigInteger v = BigInteger.ZERO;
        for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
            v = v.setBit(i);
        }
        return v;
    }

    private static String charset(Column c) {
        return c.charset() == null ? "binary" : c.charset();
    }

    /** MySQL drops trailing 0x00 of BINARY(n) values in row events; a SELECT returns them. */
    static byte[] padBinary(byte[] value, int length) {
        return value.length >= length ? value : Arrays.copyOf(value, length);
    }

    static String enumLabel(Column c, int index) {
        List<String> labels = c.labels();
        // index 0 is the empty string MySQL stores for an invalid value in non-strict mode
        return index <= 0 || index > labels.size() ? "" : labels.get(index - 1);
    }

    static String setLabels(Column c, long mask) {
        StringBuilder sb = new StringBuilder();
        List<String> labels = c.labels();
        for (int i = 0; i < labels.size() && i < 64; i++) {
            if ((mask & (1L << i)) != 0) {
                if (sb.length() > 0) sb.append(',');
                sb.append(labels.get(i));
            }
        }
        return sb.toString();
    }

    static String json(byte[] binary, boolean integralDoublesAsIntegers) {
        if (binary.length == 0) return "null";
        try {
            return BinaryJsonText.text(binary, integralDoublesAsIntegers);
        } catch (IOException e) {
            throw new SluiceException("cannot decode a binary JSON value: " + e.getMessage(),
                    "report this with the value's text (SELECT the row)", e);
        }
    }
}
