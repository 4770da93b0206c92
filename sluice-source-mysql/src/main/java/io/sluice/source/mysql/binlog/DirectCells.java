package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Column;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.value.ValueConverter;

import java.io.IOException;

/**
 * Binlog cells read straight into the {@link Value} of their column, for the binlog types whose
 * client cell is a boxed number ({@code TINY}, {@code SHORT}, {@code INT24}, {@code LONG},
 * {@code LONGLONG}, {@code FLOAT}, {@code DOUBLE}, {@code ENUM}) or a {@code BigDecimal}
 * ({@code NEWDECIMAL}): the bytes are read as the client's {@code deserializeTiny} …
 * {@code deserializeEnum} (and {@link BinlogDecimals}) read them, and the value is what
 * {@link ValueConverter#convert} makes of that cell, without the cell. Only where the column's type
 * is the one the binlog type stands for (so {@code convert} could not refuse the cell); anything
 * else is left to the client ({@code null}, nothing read).
 */
final class DirectCells {

    private DirectCells() {}

    static Value read(int typeCode, int meta, int length, Column c, ByteArrayInputStream in) throws IOException {
        switch (typeCode) {
            case 1, 2, 9, 3, 8 -> { // TINY, SHORT, INT24, LONG, LONGLONG
                if (!integer(c)) return null;
                long v = switch (typeCode) {
                    case 1 -> (byte) in.readInteger(1);
                    case 2 -> (short) in.readInteger(2);
                    case 9 -> (in.readInteger(3) << 8) >> 8;
                    case 3 -> in.readInteger(4);
                    default -> in.readLong(8);
                };
                return ValueConverter.integer(c, v);
            }
            case 5 -> { // DOUBLE
                if (c.type() != io.sluice.core.model.ColumnType.DOUBLE) return null;
                return ValueConverter.doubleValue(c, Double.longBitsToDouble(in.readLong(8)));
            }
            case 4 -> { // FLOAT
                if (c.type() != io.sluice.core.model.ColumnType.FLOAT) return null;
                return ValueConverter.floatValue(c, Float.intBitsToFloat(in.readInteger(4)));
            }
            case 246 -> { // NEWDECIMAL: its plain text without the BigDecimal
                if (c.type() != io.sluice.core.model.ColumnType.DECIMAL) return null;
                return new Value.DecimalValue(BinlogDecimals.plainText(meta, in), c.precision(), c.scale());
            }
            case 247 -> { // ENUM (a STRING column's real type, from its metadata)
                if (c.type() != io.sluice.core.model.ColumnType.ENUM) return null;
                return ValueConverter.enumValue(c, in.readInteger(length));
            }
            default -> {
                return null;
            }
        }
    }

    private static boolean integer(Column c) {
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> true;
            default -> false;
        };
    }
}
