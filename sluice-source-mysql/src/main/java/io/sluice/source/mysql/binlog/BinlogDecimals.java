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
        long unscaled = unscaled(precision, scale, value, 0);
        return unscaled == UNREADABLE ? AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value)
                : BigDecimal.valueOf(unscaled, scale);
    }

    /**
     * {@code read(meta, in).toPlainString()}, written from the long without a {@code BigDecimal} (up to
     * 18 digits, as {@code BigDecimal.toPlainString} writes a compact value of scale 0 or more). From an
     * {@link EventByteStream} the cell is read in place; the text is one Latin-1 String made from one
     * array (no {@code Long.toString} and {@code StringBuilder} per cell).
     */
    static String plainText(int meta, ByteArrayInputStream in) throws IOException {
        int precision = meta & 0xFF, scale = meta >> 8;
        int length = length(precision, scale);
        byte[] value;
        int at;
        if (in instanceof EventByteStream e) {
            at = e.advance(length);
            value = e.array();
        } else {
            value = in.read(length);
            at = 0;
        }
        long unscaled = unscaled(precision, scale, value, at);
        if (unscaled == UNREADABLE) {
            byte[] cell = at == 0 && value.length == length ? value : java.util.Arrays.copyOfRange(value, at, at + length);
            return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, cell).toPlainString();
        }
        return plainText(unscaled, scale);
    }

    /** {@code BigDecimal.valueOf(unscaled, scale).toPlainString()} for 0 <= scale <= 18 and |unscaled| < 10^18. */
    static String plainText(long unscaled, int scale) {
        long magnitude = Math.abs(unscaled);
        int digits = digitCount(magnitude);
        // "-" + integer digits + "." + fraction, or "-0." + zeros + digits when the value is below 1
        int intDigits = digits - scale;
        int size = (unscaled < 0 ? 1 : 0) + (scale == 0 ? digits : intDigits > 0 ? digits + 1 : scale + 2);
        byte[] text = new byte[size];
        int i = size;
        for (int n = 0; n < scale; n++) { // the fraction: exactly scale digits
            text[--i] = (byte) ('0' + magnitude % 10);
            magnitude /= 10;
        }
        if (scale > 0) text[--i] = '.';
        do {
            text[--i] = (byte) ('0' + magnitude % 10);
            magnitude /= 10;
        } while (magnitude != 0);
        if (unscaled < 0) text[--i] = '-';
        return new String(text, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Decimal digits of a non-negative long below 10^18 (1 for 0). */
    private static int digitCount(long v) {
        int n = 1;
        while (n < 19 && v >= POW10[n]) n++;
        return n;
    }

    private static int length(int precision, int scale) {
        int x = precision - scale;
        int ipd = x / DIG_PER_DEC, fpd = scale / DIG_PER_DEC;
        return (ipd << 2) + DIG_TO_BYTES[x - ipd * DIG_PER_DEC] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * DIG_PER_DEC];
    }

    /** No value of up to 18 digits: the cell is left to the client's code. */
    private static final long UNREADABLE = Long.MIN_VALUE;

    /** The unscaled value, or {@link #UNREADABLE} when it is longer than 18 digits or has a group no server writes. */
    private static long unscaled(int precision, int scale, byte[] value, int at) {
        int x = precision - scale;
        if (precision > 18 || x < 0 || scale > 18) return UNREADABLE;
        int ipd = x / DIG_PER_DEC, fpd = scale / DIG_PER_DEC;
        boolean positive = (value[at] & 0x80) != 0;
        int flip = positive ? 0 : 0xFF;
        long unscaled = 0;
        int offset = at;
        int lead = x - ipd * DIG_PER_DEC; // digits of the integer part's first, short group
        if (DIG_TO_BYTES[lead] > 0) {
            long g = group(value, at, DIG_TO_BYTES[lead], flip, at);
            if (g >= POW10[lead]) return UNREADABLE;
            unscaled = g;
            offset = at + DIG_TO_BYTES[lead];
        }
        for (int i = 0; i < ipd; i++, offset += 4) {
            long g = group(value, offset, 4, flip, at);
            if (g >= POW10[9]) return UNREADABLE;
            unscaled = unscaled * POW10[9] + g;
        }
        for (int i = 0; i < fpd; i++, offset += 4) {
            long g = group(value, offset, 4, flip, at);
            if (g >= POW10[9]) return UNREADABLE;
            unscaled = unscaled * POW10[9] + g;
        }
        int tail = scale - fpd * DIG_PER_DEC;
        if (tail > 0) {
            long g = group(value, offset, DIG_TO_BYTES[tail], flip, at);
            if (g >= POW10[tail]) return UNREADABLE;
            unscaled = unscaled * POW10[tail] + g;
        }
        return positive ? unscaled : -unscaled;
    }

    /** A big-endian group of digits; the first byte's sign bit is the value's sign, negatives are stored inverted. */
    private static long group(byte[] value, int offset, int length, int flip, int cellStart) {
        long g = 0;
        for (int i = offset; i < offset + length; i++) {
            int b = (value[i] ^ flip) & 0xFF;
            if (i == cellStart) b ^= 0x80;
            g = g << 8 | b;
        }
        return g;
    }
}
