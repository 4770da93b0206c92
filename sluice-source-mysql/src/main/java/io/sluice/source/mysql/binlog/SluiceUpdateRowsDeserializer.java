package io.sluice.source.mysql.binlog;

import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.TemporalCells;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.UpdateRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.Map;

/** The client's update rows deserializer with exact temporal decoding ({@link TemporalCells}). */
final class SluiceUpdateRowsDeserializer extends UpdateRowsEventDataDeserializer {

    private final OldTemporalColumns oldTemporals;
    private final Map<Long, TableMapEventData> tableMaps;
    private final RowImages.Cells cells = this::deserializeCell;
    /** The current row's before image: the after image's unchanged cells are its cells. */
    private final RowImages.BeforeImage before = new RowImages.BeforeImage();
    /**
     * Whether the next image is an after image: the client reads each row as its before image, then
     * its after image ({@code deserializeRows}), so the images of an event alternate from a before image.
     */
    private boolean afterNext;

    SluiceUpdateRowsDeserializer(Map<Long, TableMapEventData> tableMaps, OldTemporalColumns oldTemporals) {
        super(tableMaps);
        this.oldTemporals = oldTemporals;
        this.tableMaps = tableMaps;
    }

    @Override
    public UpdateRowsEventData deserialize(ByteArrayInputStream in) throws IOException {
        before.forget(); // its cells are the last event's, and the event's array may be reused
        afterNext = false;
        return super.deserialize(in);
    }

    @Override
    protected Serializable[] deserializeRow(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
        boolean after = afterNext;
        afterNext = !after;
        TableMapEventData map = tableMaps.get(tableId); // once per image: a boxed id and a hash look-up
        if (oldTemporals.skipRows(tableId, map)) { // see OldTemporalColumns: of a table the reader does not select
            RowImages.skipRest(in);
            return new Serializable[0];
        }
        return after ? RowImages.read(map, tableId, included, in, cells, oldTemporals, null, before)
                : RowImages.read(map, tableId, included, in, cells, oldTemporals, before, null);
    }

    @Override
    protected Serializable deserializeCell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
        Serializable temporal = TemporalCells.decode(type, meta, in);
        return temporal != null ? temporal : super.deserializeCell(type, meta, length, in);
    }

    @Override
    protected Serializable deserializeNewDecimal(int meta, ByteArrayInputStream in) throws IOException {
        return BinlogDecimals.read(meta, in);
    }
}
