package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Value;

import java.io.IOException;

/**
 * Decodes MySQL's binlog temporal cells into exact parts, including what java.time cannot hold:
 * zero dates, TIME beyond 24 h or negative, and YEAR 0000. The binlog client's own decoding turns
 * these into nulls or clamped values, so its row deserializers delegate temporal cells here.
 *
 * <p>Layouts follow MySQL's my_time.cc ({@code my_time_packed_from_binary},
 * {@code my_datetime_packed_from_binary}, {@code my_timestamp_from_binary}).
 */
public final class TemporalCells {

    private static final long TIMEF_INT_OFS = 0x800000L;
    private static final long TIMEF_OFS = 0x800000000000L;
    private static final long DATETIMEF_INT_OFS = 0x8000000000L;

    // MariaDB's 5.3 formats of TIME(n), DATETIME(n), TIMESTAMP(n), n > 0 (sql/field.h, sql-common/my_time.c)
    private static final int[] TIME_HIRES_BYTES = {3, 4, 4, 5, 5, 5, 6};
    private static final int[] DATETIME_HIRES_BYTES = {5, 6, 6, 7, 7, 7, 8};
    private static final int[] SEC_PART_BYTES = {0, 1, 1, 2, 2, 3, 3};
    private static final long[] POW10 = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};
    private static final long TIME_MAX_SECONDS = 838 * 3600 + 59 * 60 + 59;

    private TemporalCells() {}

    /** The decoded value, or null when the type is not temporal (then the caller decodes it). */
    public static Value decode(ColumnType type, int meta, ByteArrayInputStream in) throws IOException {
        return switch (type) {
            case DATE -> date(in.readInteger(3));
            case TIME -> meta > 0 ? mariaDbTime(meta, in) : oldTime(in.readInteger(3));
            case TIME_V2 -> time2(meta, in);
            case DATETIME -> meta > 0 ? mariaDbDateTime(meta, in) : oldDateTime(in.readLong(8));
            case DATETIME_V2 -> dateTime2(meta, in);
            case TIMESTAMP -> meta > 0
                    ? new Value.TimestampValue(bigEndian(in, 4), (int) (bigEndian(in, SEC_PART_BYTES[meta]) * POW10[6 - meta]))
                    : new Value.TimestampValue(in.readLong(4), 0);
            case TIMESTAMP_V2 -> new Value.TimestampValue(bigEndian(in, 4), fraction(meta, in));
            case YEAR -> {
                int y = in.readInteger(1);
                yield Value.DateTimeValue.year(y == 0 ? 0 : 1900 + y);
            }
            default -> null;
        };
    }

    static Value.DateTimeValue date(int packed) {
        return Value.DateTimeValue.date(packed >>> 9, (packed >> 5) & 15, packed & 31);
    }

    /** Pre-5.6.4 TIME: signed HHMMSS in 3 bytes. */
    static Value.DateTimeValue oldTime(int raw) {
        int v = (raw << 8) >> 8; // sign-extend 24 bits
        int sign = v < 0 ? -1 : 1;
        v = Math.abs(v);
        return signedTime(sign, v / 10000, (v / 100) % 100, v % 100, 0);
    }

    static Value.DateTimeValue time2(int fsp, ByteArrayInputStream in) throws IOException {
        long packed;
        switch (fsp) {
            case 0 -> packed = (bigEndian(in, 3) - TIMEF_INT_OFS) << 24;
            case 1, 2 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                long frac = bigEndian(in, 1);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x100;
                }
                packed = (intPart << 24) + frac * 10000;
            }
            case 3, 4 -> {
                long intPart = bigEndian(in, 3) - TIMEF_INT_OFS;
                long frac = bigEndian(in, 2);
                if (intPart < 0 && frac != 0) {
                    intPart++;
                    frac -= 0x10000;
                }
                packed = (intPart << 24) + frac * 100;
            }
            default -> packed = bigEndian(in, 6) - TIMEF_OFS;
        }
        int sign = packed < 0 ? -1 : 1;
        packed = Math.abs(packed);
        long hms = packed >> 24;
        int micros = (int) (packed & 0xFFFFFF);
        return signedTime(sign, (int) ((hms >> 12) & 0x3FF), (int) ((hms >> 6) & 0x3F), (int) (hms & 0x3F), micros);
    }

    /**
     * A negative TIME carries its sign on every non-zero part, so that
     * hour*3600 + minute*60 + second + millis/1e6 is the exact value (and -00:00:01 stays negative).
     */
    private static Value.DateTimeValue signedTime(int sign, int h, int m, int s, int micros) {
        return Value.DateTimeValue.time(sign * h, sign * m, sign * s, sign * micros);
    }

    /**
     * MariaDB 5.3 TIME(n) (OldTemporalColumns puts n in the metadata): big-endian signed microseconds
     * cut to n digits, plus an offset (838:59:59 + 1 s) that makes them unsigned.
     */
    static Value.DateTimeValue mariaDbTime(int fsp, ByteArrayInputStream in) throws IOException {
        long scale = POW10[6 - fsp];
        long zero = (TIME_MAX_SECONDS + 1) * 1_000_000L / scale;
        long micros = (bigEndian(in, TIME_HIRES_BYTES[fsp]) - zero) * scale;
        int sign = micros < 0 ? -1 : 1;
        micros = Math.abs(micros);
        long seconds = micros / 1_000_000L;
        return signedTime(sign, (int) (seconds / 3600), (int) (seconds / 60 % 60), (int) (seconds % 60), (int) (micros % 1_000_000L));
    }

    /** MariaDB 5.3 DATETIME(n): big-endian ((((year*13+month)*32+day)*24+hour)*60+minute)*60+second in microseconds, cut to n digits. */
    static Value.DateTimeValue mariaDbDateTime(int fsp, ByteArrayInputStream in) throws IOException {
        long v = bigEndian(in, DATETIME_HIRES_BYTES[fsp]) * POW10[6 - fsp];
        int micros = (int) (v % 1_000_000L);
        v /= 1_000_000L;
        int second = (int) (v % 60);
        v /= 60;
        int minute = (int) (v % 60);
        v /= 60;
        int hour = (int) (v % 24);
        v /= 24;
        int day = (int) (v % 32);
        v /= 32;
        return Value.DateTimeValue.dateTime((int) (v / 13), (int) (v % 13), day, hour, minute, second, micros);
    }

    /** Pre-5.6.4 DATETIME: YYYYMMDDhhmmss as a little-endian 8-byte number. */
    static Value.DateTimeValue oldDateTime(long v) {
        long date = v / 1_000_000L;
        long time = v % 1_000_000L;
        return Value.DateTimeValue.dateTime((int) (date / 10000), (int) (date / 100 % 100), (int) (date % 100),
                (int) (time / 10000), (int) (time / 100 % 100), (int) (time % 100), 0);
    }

    static Value.DateTimeValue dateTime2(int fsp, ByteArrayInputStream in) throws IOException {
        long intPart = bigEndian(in, 5) - DATETIMEF_INT_OFS;
        int micros = fraction(fsp, in);
        long ymd = intPart >> 17;
        long ym = ymd >> 5;
        long hms = intPart & 0x1FFFF;
        return Value.DateTimeValue.dateTime((int) (ym / 13), (int) (ym % 13), (int) (ymd & 31),
                (int) (hms >> 12), (int) ((hms >> 6) & 63), (int) (hms & 63), micros);
    }

    /** Fractional seconds of DATETIME2/TIMESTAMP2 as microseconds: 1, 2 or 3 big-endian bytes by fsp. */
    private static int fraction(int fsp, ByteArrayInputStream in) throws IOException {
        return switch (fsp) {
            case 0 -> 0;
            case 1, 2 -> (int) bigEndian(in, 1) * 10000;
            case 3, 4 -> (int) bigEndian(in, 2) * 100;
            default -> (int) bigEndian(in, 3);
        };
    }

    private static long bigEndian(ByteArrayInputStream in, int length) throws IOException {
        long v = 0;
        for (int i = 0; i < length; i++) {
            v = (v << 8) | in.read();
        }
        return v;
    }
}
