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

        /** The values 0..255 of precisions 0..31, made once each: flags, statuses, TINYINTs need no object per cell. */
        private static final IntegerValue[][] SMALL = new IntegerValue[32][];

        /** The value {@code number} (signed). */
        public static IntegerValue of(int precision, long number) {
            if ((number & ~0xFFL) != 0 || (precision & ~31) != 0) return new IntegerValue(precision, number);
            IntegerValue[] byNumber = SMALL[precision];
            if (byNumber == null) SMALL[precision] = byNumber = new IntegerValue[256]; // a racy start makes a spare array, no harm
            IntegerValue v = byNumber[(int) number];
            if (v == null) byNumber[(int) number] = v = new IntegerValue(precision, number);
            return v;
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

    /**
     * DATE, TIME, DATETIME, YEAR: the parts the type has, others null. {@code millis} holds microseconds.
     * The parts are kept as ints with a mask of those present (no boxed {@code Integer} per part:
     * a DATETIME made 7 references and up to 2 objects for its year and fraction); the accessors and
     * {@code equals}, {@code hashCode} and {@code toString} are those of the record this was.
     */
    final class DateTimeValue implements Value {
        /** Part indexes for {@link #has} and {@link #part}, in the format's order. */
        public static final int YEAR = 0, MONTH = 1, DAY = 2, HOUR = 3, MINUTE = 4, SECOND = 5, MILLIS = 6;

        private final int year, month, day, hour, minute, second, millis;
        /** Bit {@code i}: part {@code i} is present. */
        private final int present;

        public DateTimeValue(Integer year, Integer month, Integer day,
                             Integer hour, Integer minute, Integer second, Integer millis) {
            this(bit(year, YEAR) | bit(month, MONTH) | bit(day, DAY) | bit(hour, HOUR) | bit(minute, MINUTE)
                            | bit(second, SECOND) | bit(millis, MILLIS),
                    orZero(year), orZero(month), orZero(day), orZero(hour), orZero(minute), orZero(second), orZero(millis));
        }

        private DateTimeValue(int present, int year, int month, int day, int hour, int minute, int second, int millis) {
            this.present = present;
            this.year = year;
            this.month = month;
            this.day = day;
            this.hour = hour;
            this.minute = minute;
            this.second = second;
            this.millis = millis;
        }

        private static final int DATE = 1 << YEAR | 1 << MONTH | 1 << DAY, TIME = 1 << HOUR | 1 << MINUTE | 1 << SECOND | 1 << MILLIS;

        public static DateTimeValue date(int y, int m, int d) { return new DateTimeValue(DATE, y, m, d, 0, 0, 0, 0); }
        public static DateTimeValue year(int y) { return new DateTimeValue(1 << YEAR, y, 0, 0, 0, 0, 0, 0); }
        public static DateTimeValue time(int h, int mi, int s, int micros) { return new DateTimeValue(TIME, 0, 0, 0, h, mi, s, micros); }
        public static DateTimeValue dateTime(int y, int m, int d, int h, int mi, int s, int micros) {
            return new DateTimeValue(DATE | TIME, y, m, d, h, mi, s, micros);
        }

        private static int bit(Integer part, int index) { return part == null ? 0 : 1 << index; }
        private static int orZero(Integer part) { return part == null ? 0 : part; }

        /** Whether the type has part {@code index} ({@link #YEAR} .. {@link #MILLIS}). */
        public boolean has(int index) { return (present >>> index & 1) != 0; }

        /** Part {@code index}; 0 where the type does not have it. */
        public int part(int index) {
            return switch (index) {
                case YEAR -> year;
                case MONTH -> month;
                case DAY -> day;
                case HOUR -> hour;
                case MINUTE -> minute;
                case SECOND -> second;
                case MILLIS -> millis;
                default -> throw new IndexOutOfBoundsException(index);
            };
        }

        private Integer boxed(int index) { return has(index) ? part(index) : null; }

        public Integer year() { return boxed(YEAR); }
        public Integer month() { return boxed(MONTH); }
        public Integer day() { return boxed(DAY); }
        public Integer hour() { return boxed(HOUR); }
        public Integer minute() { return boxed(MINUTE); }
        public Integer second() { return boxed(SECOND); }
        public Integer millis() { return boxed(MILLIS); }

        @Override public boolean equals(Object o) {
            return o instanceof DateTimeValue d && d.present == present && d.year == year && d.month == month && d.day == day
                    && d.hour == hour && d.minute == minute && d.second == second && d.millis == millis;
        }
        @Override public int hashCode() {
            return Objects.hash(year(), month(), day(), hour(), minute(), second(), millis());
        }
        @Override public String toString() {
            return "DateTimeValue[year=" + year() + ", month=" + month() + ", day=" + day() + ", hour=" + hour()
                    + ", minute=" + minute() + ", second=" + second() + ", millis=" + millis() + "]";
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
