package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Value;
import io.sluice.core.model.Value.DateTimeValue;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Feeds binlog cells built per MySQL's storage formats (my_time.cc) through TemporalCells.
 * The byte builders below mirror MySQL's writers (TIME_to_longlong_time_packed +
 * my_time_packed_to_binary, TIME_to_longlong_datetime_packed + my_datetime_packed_to_binary,
 * my_timestamp_to_binary), not Sluice's reader, so they are an independent check.
 */
class TemporalCellsTest {

    // ------------------------------------------------------------------ MySQL's writers

    /** mi_intNstore: big-endian, the low {@code n} bytes of {@code v}. */
    private static void storeBE(byte[] b, int off, int n, long v) {
        for (int i = n - 1; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>= 8;
        }
    }

    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;

    /** TIME_to_longlong_time_packed (month = day = 0): +-(((h<<12)|(m<<6)|s) << 24 + micros). */
    private static long timePacked(boolean neg, int h, int m, int s, int micros) {
        long hms = ((long) h << 12) | ((long) m << 6) | s;
        long tmp = (hms << 24) + micros;
        return neg ? -tmp : tmp;
    }

    /**
     * my_time_packed_to_binary. MY_PACKED_TIME_GET_INT_PART is an arithmetic shift ({@code nr >> 24}),
     * MY_PACKED_TIME_GET_FRAC_PART is C's {@code %} (sign of the dividend), and the fraction byte(s) are
     * stored as the low byte(s) of the (possibly negative) quotient.
     */
    private static byte[] time2(long nr, int dec) {
        long intPart = nr >> 24;
        long frac = nr % (1L << 24);
        return switch (dec) {
            case 0 -> {
                byte[] b = new byte[3];
                storeBE(b, 0, 3, TIMEF_INT_OFS + intPart);
                yield b;
            }
            case 1, 2 -> {
                byte[] b = new byte[4];
                storeBE(b, 0, 3, TIMEF_INT_OFS + intPart);
                b[3] = (byte) (frac / 10000);
                yield b;
            }
            case 3, 4 -> {
                byte[] b = new byte[5];
                storeBE(b, 0, 3, TIMEF_INT_OFS + intPart);
                storeBE(b, 3, 2, frac / 100);
                yield b;
            }
            default -> {
                byte[] b = new byte[6];
                storeBE(b, 0, 6, nr + TIMEF_OFS);
                yield b;
            }
        };
    }

    /** TIME_to_longlong_datetime_packed for a non-negative datetime. */
    private static long dateTimePacked(int y, int mo, int d, int h, int mi, int s, int micros) {
        long ymd = ((long) (y * 13 + mo) << 5) | d;
        long hms = ((long) h << 12) | ((long) mi << 6) | s;
        return (((ymd << 17) | hms) << 24) + micros;
    }

    /** my_datetime_packed_to_binary. */
    private static byte[] dateTime2(long nr, int dec) {
        int fracBytes = (dec + 1) / 2;
        byte[] b = new byte[5 + fracBytes];
        storeBE(b, 0, 5, (nr >> 24) + DATETIMEF_INT_OFS);
        long frac = nr % (1L << 24);
        switch (dec) {
            case 1, 2 -> b[5] = (byte) (frac / 10000);
            case 3, 4 -> storeBE(b, 5, 2, frac / 100);
            case 5, 6 -> storeBE(b, 5, 3, frac);
            default -> { }
        }
        return b;
    }

    /** my_timestamp_to_binary. */
    private static byte[] timestamp2(long sec, int micros, int dec) {
        int fracBytes = (dec + 1) / 2;
        byte[] b = new byte[4 + fracBytes];
        storeBE(b, 0, 4, sec);
        switch (dec) {
            case 1, 2 -> b[4] = (byte) (micros / 10000);
            case 3, 4 -> storeBE(b, 4, 2, micros / 100);
            case 5, 6 -> storeBE(b, 4, 3, micros);
            default -> { }
        }
        return b;
    }

    /** DATE: 3 bytes little-endian of day + month*32 + year*16*32. */
    private static byte[] date(int y, int m, int d) {
        int v = d + m * 32 + y * 16 * 32;
        return new byte[]{(byte) v, (byte) (v >> 8), (byte) (v >> 16)};
    }

    // ------------------------------------------------------------------ helpers

    private static Value decode(ColumnType type, int meta, byte[] bytes) throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(bytes);
        Value v = TemporalCells.decode(type, meta, in);
        assertEquals(bytes.length, in.getPosition(), type + " should consume exactly its " + bytes.length + " bytes");
        return v;
    }

    private static DateTimeValue time(int h, int m, int s, int micros) {
        return DateTimeValue.time(h, m, s, micros);
    }

    // ------------------------------------------------------------------ DATE

    @Test
    void dates() throws IOException {
        assertEquals(DateTimeValue.date(0, 0, 0), decode(ColumnType.DATE, 0, new byte[]{0, 0, 0}), "zero date keeps zeros");
        assertEquals(DateTimeValue.date(9999, 12, 31), decode(ColumnType.DATE, 0, date(9999, 12, 31)));
        assertEquals(DateTimeValue.date(1000, 1, 1), decode(ColumnType.DATE, 0, date(1000, 1, 1)));
        assertEquals(DateTimeValue.date(2024, 2, 29), decode(ColumnType.DATE, 0, date(2024, 2, 29)));
        // partial zero dates allowed without NO_ZERO_IN_DATE
        assertEquals(DateTimeValue.date(2024, 0, 0), decode(ColumnType.DATE, 0, date(2024, 0, 0)));
        // 9999-12-31 spelled out: 31 + 12*32 + 9999*512 = 5119903 = 0x4E1F9F, stored little-endian
        assertArrayEquals(new byte[]{(byte) 0x9F, 0x1F, 0x4E}, date(9999, 12, 31));
    }

    // ------------------------------------------------------------------ TIME2

    @Test
    void timeWithoutFraction() throws IOException {
        assertEquals(time(0, 0, 0, 0), decode(ColumnType.TIME_V2, 0, time2(timePacked(false, 0, 0, 0, 0), 0)));
        assertEquals(time(838, 59, 59, 0), decode(ColumnType.TIME_V2, 0, time2(timePacked(false, 838, 59, 59, 0), 0)));
        assertEquals(time(-838, -59, -59, 0), decode(ColumnType.TIME_V2, 0, time2(timePacked(true, 838, 59, 59, 0), 0)));
        assertEquals(time(23, 0, 5, 0), decode(ColumnType.TIME_V2, 0, time2(timePacked(false, 23, 0, 5, 0), 0)));
        // -00:00:01 stays negative: the sign goes on the only non-zero part
        assertEquals(time(0, 0, -1, 0), decode(ColumnType.TIME_V2, 0, time2(timePacked(true, 0, 0, 1, 0), 0)));
        // '838:59:59' on disk: 0x800000 + (838<<12 | 59<<6 | 59) = 0x800000 + 0x346EFB
        assertArrayEquals(new byte[]{(byte) 0xB4, 0x6E, (byte) 0xFB}, time2(timePacked(false, 838, 59, 59, 0), 0));
    }

    @Test
    void negativeTimeWithOneFractionDigit() throws IOException {
        // '-00:00:01.5' TIME(1): packed = -(1<<24 | 500000); MySQL stores int part -2 and fraction byte -50 (0xCE)
        byte[] b = time2(timePacked(true, 0, 0, 1, 500_000), 1);
        assertArrayEquals(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFE, (byte) 0xCE}, b);
        assertEquals(time(0, 0, -1, -500_000), decode(ColumnType.TIME_V2, 1, b));
        // the rows of the table in my_time_packed_from_binary's comment
        assertEquals(time(0, 0, 0, -10_000), decode(ColumnType.TIME_V2, 1, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        assertEquals(time(0, 0, 0, -990_000), decode(ColumnType.TIME_V2, 2, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0x9D}));
        assertEquals(time(0, 0, -1, 0), decode(ColumnType.TIME_V2, 2, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, 0x00}));
        assertEquals(time(0, 0, -1, -10_000), decode(ColumnType.TIME_V2, 2, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFE, (byte) 0xFF}));
        assertEquals(time(0, 0, -1, -100_000), decode(ColumnType.TIME_V2, 2, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFE, (byte) 0xF6}));
        // and the same through the writer
        assertArrayEquals(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFE, (byte) 0xF6}, time2(timePacked(true, 0, 0, 1, 100_000), 2));
    }

    @Test
    void timeWithTwoFractionDigits() throws IOException {
        assertEquals(time(12, 34, 56, 780_000), decode(ColumnType.TIME_V2, 2, time2(timePacked(false, 12, 34, 56, 780_000), 2)));
        assertEquals(time(-12, -34, -56, -780_000), decode(ColumnType.TIME_V2, 2, time2(timePacked(true, 12, 34, 56, 780_000), 2)));
        assertEquals(time(-838, -59, -58, -990_000), decode(ColumnType.TIME_V2, 2, time2(timePacked(true, 838, 59, 58, 990_000), 2)));
    }

    @Test
    void timeWithThreeAndFourFractionDigits() throws IOException {
        assertEquals(time(1, 2, 3, 456_000), decode(ColumnType.TIME_V2, 3, time2(timePacked(false, 1, 2, 3, 456_000), 3)));
        assertEquals(time(-1, -2, -3, -456_000), decode(ColumnType.TIME_V2, 3, time2(timePacked(true, 1, 2, 3, 456_000), 3)));
        assertEquals(time(0, 0, 0, -1_000), decode(ColumnType.TIME_V2, 3, time2(timePacked(true, 0, 0, 0, 1_000), 3)));
        assertEquals(time(-100, 0, 0, 0), decode(ColumnType.TIME_V2, 3, time2(timePacked(true, 100, 0, 0, 0), 3)),
                "negative whole seconds with fsp 3: fraction bytes zero");
        assertEquals(time(-5, -6, -7, -123_400), decode(ColumnType.TIME_V2, 4, time2(timePacked(true, 5, 6, 7, 123_400), 4)));
        // '-00:00:00.001' TIME(3): int part -1 (0x7FFFFF), fraction -10 stored as 0xFFF6
        assertArrayEquals(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF6},
                time2(timePacked(true, 0, 0, 0, 1_000), 3));
    }

    @Test
    void timeWithSixFractionDigits() throws IOException {
        assertEquals(time(12, 34, 56, 789_012), decode(ColumnType.TIME_V2, 6, time2(timePacked(false, 12, 34, 56, 789_012), 6)));
        assertEquals(time(-1, 0, 0, -1), decode(ColumnType.TIME_V2, 6, time2(timePacked(true, 1, 0, 0, 1), 6)));
        assertEquals(time(838, 59, 59, 0), decode(ColumnType.TIME_V2, 5, time2(timePacked(false, 838, 59, 59, 0), 5)));
        assertEquals(time(-838, -59, -59, 0), decode(ColumnType.TIME_V2, 6, time2(timePacked(true, 838, 59, 59, 0), 6)));
        assertEquals(time(0, 0, 0, -999_999), decode(ColumnType.TIME_V2, 6, time2(timePacked(true, 0, 0, 0, 999_999), 6)));
        // '00:00:00.000000' is TIMEF_OFS itself
        assertArrayEquals(new byte[]{(byte) 0x80, 0, 0, 0, 0, 0}, time2(0, 6));
    }

    @Test
    void negativeTimePartsAddUpToTheValue() throws IOException {
        // the rule: hour*3600 + minute*60 + second + micros/1e6 is the signed value
        int[][] cases = {{0, 0, 1, 500_000}, {1, 0, 0, 1}, {10, 20, 30, 0}, {0, 59, 0, 999_999}, {838, 59, 59, 0}};
        for (int dec : new int[]{0, 1, 2, 3, 4, 5, 6}) {
            for (int[] c : cases) {
                int micros = truncate(c[3], dec);
                long expected = -(((long) c[0] * 3600 + c[1] * 60L + c[2]) * 1_000_000L + micros);
                DateTimeValue v = (DateTimeValue) decode(ColumnType.TIME_V2, dec, time2(timePacked(true, c[0], c[1], c[2], micros), dec));
                long actual = (v.hour() * 3600L + v.minute() * 60L + v.second()) * 1_000_000L + v.millis();
                assertEquals(expected, actual, "fsp " + dec + " " + java.util.Arrays.toString(c));
                assertNull(v.year());
            }
        }
    }

    private static int truncate(int micros, int dec) {
        int unit = (int) Math.pow(10, 6 - dec);
        return micros / unit * unit;
    }

    @Test
    void oldTime() throws IOException {
        // pre-5.6.4 TIME: signed HHMMSS in 3 little-endian bytes
        int v = -8385959; // -838:59:59
        assertEquals(time(-838, -59, -59, 0), decode(ColumnType.TIME, 0, new byte[]{(byte) v, (byte) (v >> 8), (byte) (v >> 16)}));
        int w = 123456;
        assertEquals(time(12, 34, 56, 0), decode(ColumnType.TIME, 0, new byte[]{(byte) w, (byte) (w >> 8), (byte) (w >> 16)}));
    }

    // ------------------------------------------------------------------ MariaDB 5.3 (mysql56_temporal_format=OFF)

    /** MariaDB's pack_time: ((((((y*13+mo)*32+d)*24+h)*60+mi)*60+s)*1e6+us), negated for negative TIME. */
    private static long mariaPack(boolean neg, int y, int mo, int d, int h, int mi, int s, int us) {
        long v = (((((y * 13L + mo) * 32 + d) * 24 + h) * 60 + mi) * 60 + s) * 1_000_000L + us;
        return neg ? -v : v;
    }

    private static byte[] be(int n, long v) {
        byte[] b = new byte[n];
        storeBE(b, 0, n, v);
        return b;
    }

    @Test
    void mariaDbHiresTime() throws IOException {
        // Field_time_hires::store: sec_part_shift(pack_time, dec) + zero point, big-endian in 3..6 bytes
        long zero6 = (838L * 3600 + 59 * 60 + 59 + 1) * 1_000_000L;
        assertEquals(time(-838, -59, -59, 0), decode(ColumnType.TIME, 6, be(6, zero6 + mariaPack(true, 0, 0, 0, 838, 59, 59, 0))));
        assertEquals(time(838, 59, 59, 999_999), decode(ColumnType.TIME, 6, be(6, zero6 + mariaPack(false, 0, 0, 0, 838, 59, 59, 999_999))));
        long zero3 = zero6 / 1000;
        assertEquals(time(0, 0, -1, -500_000), decode(ColumnType.TIME, 3, be(5, zero3 + mariaPack(true, 0, 0, 0, 0, 0, 1, 500_000) / 1000)));
    }

    @Test
    void mariaDbHiresDateTimeAndTimestamp() throws IOException {
        assertEquals(DateTimeValue.dateTime(2024, 2, 29, 12, 34, 56, 789_012),
                decode(ColumnType.DATETIME, 6, be(8, mariaPack(false, 2024, 2, 29, 12, 34, 56, 789_012))));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0), decode(ColumnType.DATETIME, 1, be(6, 0)));
        assertEquals(DateTimeValue.dateTime(9999, 12, 31, 23, 59, 59, 100_000),
                decode(ColumnType.DATETIME, 1, be(6, mariaPack(false, 9999, 12, 31, 23, 59, 59, 100_000) / 100_000)));
        // Field_timestamp_hires: big-endian seconds, then sec_part_shift(us, dec) in sec_part_bytes(dec)
        byte[] ts = new byte[7];
        storeBE(ts, 0, 4, 2147483647L);
        storeBE(ts, 4, 3, 999_999);
        assertEquals(new Value.TimestampValue(2147483647L, 999_999), decode(ColumnType.TIMESTAMP, 6, ts));
        byte[] ts2 = new byte[5];
        storeBE(ts2, 0, 4, 1L);
        storeBE(ts2, 4, 1, 99);
        assertEquals(new Value.TimestampValue(1L, 990_000), decode(ColumnType.TIMESTAMP, 2, ts2));
    }

    // ------------------------------------------------------------------ DATETIME2

    @Test
    void dateTimes() throws IOException {
        assertEquals(DateTimeValue.dateTime(2024, 2, 29, 23, 59, 59, 999_999),
                decode(ColumnType.DATETIME_V2, 6, dateTime2(dateTimePacked(2024, 2, 29, 23, 59, 59, 999_999), 6)));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0),
                decode(ColumnType.DATETIME_V2, 0, dateTime2(0, 0)), "zero datetime keeps zeros");
        assertArrayEquals(new byte[]{(byte) 0x80, 0, 0, 0, 0}, dateTime2(0, 0));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0),
                decode(ColumnType.DATETIME_V2, 6, dateTime2(0, 6)));
        assertEquals(DateTimeValue.dateTime(9999, 12, 31, 23, 59, 59, 0),
                decode(ColumnType.DATETIME_V2, 0, dateTime2(dateTimePacked(9999, 12, 31, 23, 59, 59, 0), 0)));
        assertEquals(DateTimeValue.dateTime(1000, 1, 1, 0, 0, 0, 120_000),
                decode(ColumnType.DATETIME_V2, 2, dateTime2(dateTimePacked(1000, 1, 1, 0, 0, 0, 120_000), 2)));
        assertEquals(DateTimeValue.dateTime(2001, 12, 3, 4, 5, 6, 789_000),
                decode(ColumnType.DATETIME_V2, 3, dateTime2(dateTimePacked(2001, 12, 3, 4, 5, 6, 789_000), 3)));
        assertEquals(DateTimeValue.dateTime(2001, 12, 3, 4, 5, 6, 789_100),
                decode(ColumnType.DATETIME_V2, 4, dateTime2(dateTimePacked(2001, 12, 3, 4, 5, 6, 789_100), 4)));
        assertEquals(DateTimeValue.dateTime(2020, 0, 0, 0, 0, 0, 0),
                decode(ColumnType.DATETIME_V2, 0, dateTime2(dateTimePacked(2020, 0, 0, 0, 0, 0, 0), 0)), "zero month/day");
    }

    @Test
    void oldDateTime() throws IOException {
        long v = 20240229235958L; // YYYYMMDDhhmmss as an 8-byte little-endian number
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) b[i] = (byte) (v >> (8 * i));
        assertEquals(DateTimeValue.dateTime(2024, 2, 29, 23, 59, 58, 0), decode(ColumnType.DATETIME, 0, b));
        assertEquals(DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0), decode(ColumnType.DATETIME, 0, new byte[8]));
    }

    // ------------------------------------------------------------------ TIMESTAMP2

    @Test
    void timestamps() throws IOException {
        long sec = Instant.parse("2024-02-29T23:59:59Z").getEpochSecond();
        assertEquals(new Value.TimestampValue(sec, 999_999), decode(ColumnType.TIMESTAMP_V2, 6, timestamp2(sec, 999_999, 6)));
        assertEquals(new Value.TimestampValue(sec, 123_000), decode(ColumnType.TIMESTAMP_V2, 3, timestamp2(sec, 123_000, 3)));
        assertEquals(new Value.TimestampValue(sec, 450_000), decode(ColumnType.TIMESTAMP_V2, 1, timestamp2(sec, 450_000, 1)));
        assertEquals(new Value.TimestampValue(sec, 0), decode(ColumnType.TIMESTAMP_V2, 0, timestamp2(sec, 0, 0)));
        assertEquals(new Value.TimestampValue(0, 0), decode(ColumnType.TIMESTAMP_V2, 0, new byte[4]), "zero timestamp");
        assertEquals(new Value.TimestampValue(0, 0), decode(ColumnType.TIMESTAMP_V2, 6, new byte[7]));
        // 2038-01-19 03:14:07 is the largest TIMESTAMP: 0x7FFFFFFF
        assertEquals(new Value.TimestampValue(2_147_483_647L, 499_900),
                decode(ColumnType.TIMESTAMP_V2, 4, new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x13, (byte) 0x87}));
        // pre-5.6.4 TIMESTAMP: 4 bytes little-endian
        assertEquals(new Value.TimestampValue(sec, 0),
                decode(ColumnType.TIMESTAMP, 0, new byte[]{(byte) sec, (byte) (sec >> 8), (byte) (sec >> 16), (byte) (sec >> 24)}));
    }

    // ------------------------------------------------------------------ YEAR and the rest

    @Test
    void years() throws IOException {
        assertEquals(DateTimeValue.year(0), decode(ColumnType.YEAR, 0, new byte[]{0}), "0 is year 0000");
        assertEquals(DateTimeValue.year(1901), decode(ColumnType.YEAR, 0, new byte[]{1}));
        assertEquals(DateTimeValue.year(2024), decode(ColumnType.YEAR, 0, new byte[]{124}));
        assertEquals(DateTimeValue.year(2155), decode(ColumnType.YEAR, 0, new byte[]{(byte) 255}));
    }

    @Test
    void nonTemporalTypesAreLeftToTheCaller() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream(new byte[]{1, 2, 3, 4});
        assertNull(TemporalCells.decode(ColumnType.LONG, 0, in));
        assertNull(TemporalCells.decode(ColumnType.VARCHAR, 10, in));
        assertEquals(0, in.getPosition(), "nothing consumed");
    }
}
