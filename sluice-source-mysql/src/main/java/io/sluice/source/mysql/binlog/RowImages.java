package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.MissingTableMapEventException;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Column;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.ValueConverter;

import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One row image of a rows event, read as the client's {@code AbstractRowsEventDataDeserializer.deserializeRow}
 * reads it (same cells, same order, same exceptions), without its per-cell boxed map lookup of the
 * column type ({@code ColumnType.byCode}) and the null bitmap as a {@link BitSet}: the profile of
 * the mixed workload had a fifth of the client's row decoding in those two.
 * <p>
 * When the reader gave the selected table's definition with this TABLE_MAP ({@link OldTemporalColumns#schema})
 * and the image has every column, numeric, DECIMAL and ENUM cells become their {@link Value} here
 * ({@link DirectCells}), the same {@code Value} {@link ValueConverter} makes of the client's boxed cell,
 * which passes it through; the other cells stay the client's.
 */
final class RowImages {

    private RowImages() {}

    /** The subclass's cell decoding ({@code deserializeCell}). */
    interface Cells {
        Serializable read(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException;
    }

    private static final ColumnType[] BY_CODE = new ColumnType[256];

    static {
        for (ColumnType t : ColumnType.values()) BY_CODE[t.getCode()] = t;
    }

    static Serializable[] read(Map<Long, TableMapEventData> tableMaps, long tableId, BitSet included,
                               ByteArrayInputStream in, Cells cells) throws IOException {
        return read(tableMaps, tableId, included, in, cells, null);
    }

    static Serializable[] read(Map<Long, TableMapEventData> tableMaps, long tableId, BitSet included,
                               ByteArrayInputStream in, Cells cells, OldTemporalColumns schemas) throws IOException {
        return read(tableMaps.get(tableId), tableId, included, in, cells, schemas);
    }

    /** {@code tableMap}: the one registered for {@code tableId} (null if none), looked up by the caller. */
    static Serializable[] read(TableMapEventData tableMap, long tableId, BitSet included,
                               ByteArrayInputStream in, Cells cells, OldTemporalColumns schemas) throws IOException {
        if (tableMap == null) {
            throw new MissingTableMapEventException("No TableMapEventData has been found for table id:" + tableId +
                    ". Usually that means that you have started reading binary log 'within the logical event group'" +
                    " (e.g. from WRITE_ROWS and not proceeding TABLE_MAP");
        }
        byte[] types = tableMap.getColumnTypes();
        int[] metadata = tableMap.getColumnMetadata();
        int count = included.cardinality();
        boolean all = count == types.length && included.length() == count;
        TableSchema schema = all && schemas != null ? schemas.schema(tableId, tableMap) : null;
        List<Column> columns = schema != null && schema.columns().size() == count ? schema.columns() : null;
        Serializable[] result = new Serializable[count];
        // bit i of the image's included columns, little-endian bytes: up to 64 columns as one long
        int nullBytes = (count + 7) >> 3;
        long nullBits = nullBytes <= 8 ? in.readLong(nullBytes) : 0;
        byte[] nulls = nullBytes <= 8 ? null : in.read(nullBytes);
        for (int i = 0, skipped = 0; i < types.length; i++) {
            if (!all && !included.get(i)) {
                skipped++;
                continue;
            }
            int index = i - skipped;
            if (nulls == null ? (nullBits >>> index & 1) != 0 : (nulls[index >> 3] & (1 << (index & 7))) != 0) continue;
            // as the client (mysql-5.6.24 sql/log_event.cc log_event_print_value)
            int typeCode = types[i] & 0xFF, meta = metadata[i], length = 0;
            if (typeCode == 254) { // STRING
                if (meta >= 256) {
                    int meta0 = meta >> 8, meta1 = meta & 0xFF;
                    if ((meta0 & 0x30) != 0x30) {
                        typeCode = meta0 | 0x30;
                        length = meta1 | (((meta0 & 0x30) ^ 0x30) << 4);
                    } else {
                        if (meta0 == 247 || meta0 == 248) typeCode = meta0; // ENUM, SET
                        length = meta1;
                    }
                } else {
                    length = meta;
                }
            }
            if (columns != null) {
                Value direct = DirectCells.read(typeCode, meta, length, columns.get(index), in);
                if (direct != null) {
                    result[index] = direct;
                    continue;
                }
            }
            result[index] = cells.read(BY_CODE[typeCode], meta, length, in);
        }
        return result;
    }

    /**
     * Consumes the rest of a rows event's body without leaving its block: the rows loop runs while
     * the stream has bytes available, and outside the block those would include the event's CRC32
     * trailer, read as more rows forever ({@code skipToTheEndOfTheBlock} leaves the block).
     */
    static void skipRest(ByteArrayInputStream in) throws IOException {
        int left = in.available();
        if (left <= 0) return;
        if (in instanceof EventByteStream) in.skip(left);
        else in.read(left); // the client's stream counts the block down only as it reads
    }
}
