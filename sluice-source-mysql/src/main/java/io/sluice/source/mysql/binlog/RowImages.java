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
        return read(tableMap, tableId, included, in, cells, schemas, null, null);
    }

    /**
     * An UPDATE row's before image as it lies in the event: where each cell's bytes are, and the
     * cell read from them. The after image's cells whose bytes are the same are the same cells.
     * Why that holds: a cell's encoding says its own length (fixed by the type and metadata, or
     * a length prefix), so an after cell that starts with all of a before cell's bytes, in the
     * same column, is exactly those bytes, and reads as the same value. One per deserializer,
     * reused row after row; it holds cells of the current event only ({@link #forget}).
     */
    static final class BeforeImage {
        private Serializable[] cells;
        private TableMapEventData tableMap;
        private byte[] event;
        /** Per image column: where its cell's bytes start and end in {@code event}; -1 for NULL. */
        private int[] from = new int[16], to = new int[16];

        /** Forgets the image: the next event may reuse the array its bytes were in. */
        void forget() {
            cells = null;
            event = null;
            tableMap = null;
        }

        private void start(TableMapEventData map, byte[] bytes, int count) {
            cells = null;
            tableMap = map;
            event = bytes;
            if (from.length < count) {
                from = new int[Math.max(count, 2 * from.length)];
                to = new int[from.length];
            }
        }

        private boolean pairs(TableMapEventData map, byte[] bytes, int count) {
            return cells != null && tableMap == map && event == bytes && cells.length == count;
        }
    }

    /**
     * {@link #read} that records the image in {@code recordInto} (an UPDATE's before image), or takes
     * each cell whose bytes are those of the same column's cell in {@code sameAs} as that cell,
     * without decoding it again (the after image: most columns of an UPDATE keep their value). Only
     * for images of every column read from an {@link EventByteStream}; otherwise both are ignored.
     */
    static Serializable[] read(TableMapEventData tableMap, long tableId, BitSet included, ByteArrayInputStream in,
                               Cells cells, OldTemporalColumns schemas, BeforeImage recordInto, BeforeImage sameAs) throws IOException {
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
        EventByteStream event = all && (recordInto != null || sameAs != null) && in instanceof EventByteStream e ? e : null;
        if (recordInto != null) {
            if (event != null) recordInto.start(tableMap, event.array(), count);
            else recordInto.forget();
        }
        BeforeImage recording = event != null ? recordInto : null;
        BeforeImage same = event != null && sameAs != null && sameAs.pairs(tableMap, event.array(), count) ? sameAs : null;
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
            if (nulls == null ? (nullBits >>> index & 1) != 0 : (nulls[index >> 3] & (1 << (index & 7))) != 0) {
                if (recording != null) recording.from[index] = -1;
                continue;
            }
            if (same != null && same.from[index] >= 0 && event.skipIfNext(same.from[index], same.to[index])) {
                result[index] = same.cells[index];
                continue;
            }
            int start = recording != null ? event.offset() : 0;
            result[index] = cell(types[i] & 0xFF, metadata[i], columns == null ? null : columns.get(index), in, cells);
            if (recording != null) {
                recording.from[index] = start;
                recording.to[index] = event.offset();
            }
        }
        if (recording != null) recording.cells = result;
        return result;
    }

    /** One non-null cell of binlog type {@code typeCode}: its {@link Value} when {@code column} is known and {@link DirectCells} reads it, else the client's. */
    private static Serializable cell(int typeCode, int meta, Column column, ByteArrayInputStream in, Cells cells) throws IOException {
        // as the client (mysql-5.6.24 sql/log_event.cc log_event_print_value)
        int length = 0;
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
        if (column != null) {
            Value direct = DirectCells.read(typeCode, meta, length, column, in);
            if (direct != null) return direct;
        }
        return cells.read(BY_CODE[typeCode], meta, length, in);
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
