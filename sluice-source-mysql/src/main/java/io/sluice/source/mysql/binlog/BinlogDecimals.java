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
        int precision = meta & 0xFF, scale = meta >> 8, x = precision - scale;
        int ipd = x / DIG_PER_DEC, fpd = scale / DIG_PER_DEC;
        int length = (ipd << 2) + DIG_TO_BYTES[x - ipd * DIG_PER_DEC] + (fpd << 2) + DIG_TO_BYTES[scale - fpd * DIG_PER_DEC];
        byte[] value = in.read(length);
        if (precision > 18 || x < 0 || scale > 18) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value);
        boolean positive = (value[0] & 0x80) != 0;
        int flip = positive ? 0 : 0xFF;
        long unscaled = 0;
        int offset = 0;
        int lead = x - ipd * DIG_PER_DEC; // digits of the integer part's first, short group
        if (DIG_TO_BYTES[lead] > 0) {
            long g = group(value, 0, DIG_TO_BYTES[lead], flip);
            if (g >= POW10[lead]) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value);
            unscaled = g;
            offset = DIG_TO_BYTES[lead];
        }
        for (int i = 0; i < ipd; i++, offset += 4) {
            long g = group(value, offset, 4, flip);
            if (g >= POW10[9]) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value);
            unscaled = unscaled * POW10[9] + g;
        }
        for (int i = 0; i < fpd; i++, offset += 4) {
            long g = group(value, offset, 4, flip);
            if (g >= POW10[9]) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value);
            unscaled = unscaled * POW10[9] + g;
        }
        int tail = scale - fpd * DIG_PER_DEC;
        if (tail > 0) {
            long g = group(value, offset, DIG_TO_BYTES[tail], flip);
            if (g >= POW10[tail]) return AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, value);
            unscaled = unscaled * POW10[tail] + g;
        }
        return BigDecimal.valueOf(positive ? unscaled : -unscaled, scale);
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
