package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * A binlog DECIMAL cell as the client's {@code deserializeNewDecimal} gives it (the same
 * {@link BigDecimal}: unscaled value and scale {@code scale}), computed as a long up to 18 digits
 * instead of the client's {@code BigDecimal} sum per group of 9 digits; longer ones, and bytes no
 * server writes (a group over 999,999,999), go to the client's {@code asBigDecimal}.
 */
final class BinlogDecimals {

    private BinlogDecimals() {}

    private static final int DIG_PER_DEC = 9;
    private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) POW10[i] = POW10[i - 1] * 10;
    }

    static BigDecimal read(int meta, ByteArrayInputStream in) throws IOException {
        int precision = meta & 0xFF, scale = meta >> 8;
        byte[] value = in.read(length(precision, scale));
        long unscaled = unscaled(precision, scale, value);
        return unscaled == UNREADABLE ? AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value)
                : BigDecimal.valueOf(unscaled, scale);
    }

    /**
     * {@code read(meta, in).toPlainString()}, written from the long without a {@code BigDecimal} (up to
     * 18 digits, as {@code BigDecimal.toPlainString} writes a compact value of scale 0 or more).
     */
    static String plainText(int meta, ByteArrayInputStream in) throws IOException {
        int precision = meta & 0xFF, scale = meta >> 8;
        byte[] value = in.read(length(precision, scale));
        long unscaled = unscaled(precision, scale, value);
        if (unscaled == UNREADABLE) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value).toPlainString();
        if (scale == 0) return Long.toString(unscaled);
        String digits = Long.toString(Math.abs(unscaled));
        int point = digits.length() - scale;
        StringBuilder sb = new StringBuilder(digits.length() + 3 + Math.max(0, -point));
        if (unscaled < 0) sb.append('-');
        if (point > 0) {
            sb.append(digits, 0, point).append('.').append(digits, point, digits.length());
        } else {
            sb.append("0.");
            for (int i = point; i < 0; i++) sb.append('0');
            sb.append(digits);
        }
        return sb.toString();
    }

    private static int length(int precision, int scale) {
        int x = precision - scale;
        int ipd = x / DIG_PER_DEC, fpd = scale / DIG_PER_DEC;
        return (ipd << 2) + DIG_TO_BYTES[x - ipd * DIG_PER_DEC] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * DIG_PER_DEC];
    }

    /** No value of up to 18 digits: the cell is left to the client's code. */
    private static final long UNREADABLE = Long.MIN_VALUE;

    /** The unscaled value, or {@link #UNREADABLE} when it is longer than 18 digits or has a group no server writes. */
    private static long unscaled(int precision, int scale, byte[] value) {
        int x = precision - scale;
        if (precision > 18 || x < 0 || scale > 18) return UNREADABLE;
        int ipd = x / DIG_PER_DEC, fpd = scale / DIG_PER_DEC;
        boolean positive = (value[0] & 0x80) != 0;
        int flip = positive ? 0 : 0xFF;
        long unscaled = 0;
        int offset = 0;
        int lead = x - ipd * DIG_PER_DEC; // digits of the integer part's first, short group
        if (DIG_TO_BYTES[lead] > 0) {
            long g = group(value, 0, DIG_TO_BYTES[lead], flip);
            if (g >= POW10[lead]) return UNREADABLE;
            unscaled = g;
            offset = DIG_TO_BYTES[lead];
        }
        for (int i = 0; i < ipd; i++, offset += 4) {
            long g = group(value, offset, 4, flip);
            if (g >= POW10[9]) return UNREADABLE;
            unscaled = unscaled * POW10[9] + g;
        }
        for (int i = 0; i < fpd; i++, offset += 4) {
            long g = group(value, offset, 4, flip);
            if (g >= POW10[9]) return UNREADABLE;
            unscaled = unscaled * POW10[9] + g;
        }
        int tail = scale - fpd * DIG_PER_DEC;
        if (tail > 0) {
            long g = group(value, offset, DIG_TO_BYTES[tail], flip);
            if (g >= POW10[tail]) return UNREADABLE;
            unscaled = unscaled * POW10[tail] + g;
        }
        return positive ? unscaled : -unscaled;
    }

    /** A big-endian group of digits; the first byte's sign bit is the value's sign, negatives are stored inverted. */
    private static long group(byte[] value, int offset, int length, int flip) {
        long g = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = (value[i] ^ flip) & 0xFF;
            if (i == 0) b ^= 0x80;
            g = g << 8 | b;
        }
        return g;
    }
}
