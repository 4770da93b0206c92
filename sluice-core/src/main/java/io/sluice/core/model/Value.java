package io.sluice.core.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * A non-null column value, already in the shape of one branch of the DTS Avro value union.
 * SQL NULL is a Java {@code null} in the image arrays.
 */
public sealed interface Value extends java.io.Serializable {

    /**
     * Integer types and BIT: exact decimal text (unsigned columns as their unsigned value).
     * A value that fits a {@code long} can be held as that number ({@link #of}): the binlog
     * gives numbers, and an encoder can write their digits without building the text first.
     * Equal when precision and text are equal, however each was made.
     */
    final class IntegerValue implements Value {
        private final int precision;
        private final long number;
        private final boolean isNumber;
        /** The text: given, or made from {@code number} when first asked for. */
        private String text;

        public IntegerValue(int precision, String value) {
            this.precision = precision;
            this.number = 0;
            this.isNumber = false;
            this.text = Objects.requireNonNull(value);
        }

        private IntegerValue(int precision, long number) {
            this.precision = precision;
            this.number = number;
            this.isNumber = true;
        }

        /** The value {@code number} (signed). */
        public static IntegerValue of(int precision, long number) {
            return new IntegerValue(precision, number);
        }

        public int precision() { return precision; }

        /** Whether the value is held as a number ({@link #number()}) rather than only as text. */
        public boolean isNumber() { return isNumber; }

        /** The number; only meaningful when {@link #isNumber()}. */
        public long number() { return number; }

        /** The exact decimal text. */
        public String value() {
            String t = text;
            if (t == null) text = t = Long.toString(number); // a benign race: any thread computes the same String
            return t;
        }

        @Override public boolean equals(Object o) {
            if (this == o) return true;
            if (!(o instanceof IntegerValue i) || i.precision != precision) return false;
            return isNumber && i.isNumber ? i.number == number : i.value().equals(value());
        }
        @Override public int hashCode() { return 31 * Integer.hashCode(precision) + value().hashCode(); }
        @Override public String toString() { return "IntegerValue[precision=" + precision + ", value=" + value() + "]"; }
    }

    /** CHAR/VARCHAR/TEXT/BINARY/VARBINARY: raw bytes in the column's charset ("binary" for binary types). */
    record CharacterValue(String charset, byte[] value) implements Value {
        @Override public boolean equals(Object o) {
            return o instanceof CharacterValue c && c.charset.equals(charset) && Arrays.equals(c.value, value);
        }
        @Override public int hashCode() { return Objects.hash(charset, Arrays.hashCode(value)); }
        @Override public String toString() { return "CharacterValue[" + charset + ", " + Arrays.toString(value) + "]"; }
    }

    record DecimalValue(String value, int precision, int scale) implements Value {}

    record FloatValue(double value, int precision, int scale) implements Value {}

    /** TIMESTAMP: seconds since the epoch (UTC) and microseconds in {@code millis} (the format's name). */
    record TimestampValue(long timestamp, int millis) implements Value {}

    /** DATE, TIME, DATETIME, YEAR: the parts the type has, others null. {@code millis} holds microseconds. */
    record DateTimeValue(Integer year, Integer month, Integer day,
                         Integer hour, Integer minute, Integer second, Integer millis) implements Value {
        public static DateTimeValue date(int y, int m, int d) { return new DateTimeValue(y, m, d, null, null, null, null); }
        public static DateTimeValue year(int y) { return new DateTimeValue(y, null, null, null, null, null, null); }
        public static DateTimeValue time(int h, int mi, int s, int micros) { return new DateTimeValue(null, null, null, h, mi, s, micros); }
        public static DateTimeValue dateTime(int y, int m, int d, int h, int mi, int s, int micros) {
            return new DateTimeValue(y, m, d, h, mi, s, micros);
        }
    }

    /** GEOMETRY and subtypes: MySQL's stored bytes (4-byte SRID, then WKB). */
    record BinaryGeometryValue(String type, byte[] value) implements Value {
        @Override public boolean equals(Object o) {
            return o instanceof BinaryGeometryValue g && g.type.equals(type) && Arrays.equals(g.value, value);
        }
        @Override public int hashCode() { return Objects.hash(type, Arrays.hashCode(value)); }
    }

    /** BLOB types ({@code type = "BLOB"}). */
    record BinaryObjectValue(String type, byte[] value) implements Value {
        @Override public boolean equals(Object o) {
            return o instanceof BinaryObjectValue b && b.type.equals(type) && Arrays.equals(b.value, value);
        }
        @Override public int hashCode() { return Objects.hash(type, Arrays.hashCode(value)); }
    }

    /** ENUM, SET, JSON as text. */
    record TextObjectValue(String type, String value) implements Value {}
}
