package io.sluice.source.mysql.binlog;

import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.TemporalCells;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
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

    SluiceUpdateRowsDeserializer(Map<Long, TableMapEventData> tableMaps, OldTemporalColumns oldTemporals) {
        super(tableMaps);
        this.oldTemporals = oldTemporals;
        this.tableMaps = tableMaps;
    }

    @Override
    protected Serializable[] deserializeRow(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
        TableMapEventData map = tableMaps.get(tableId); // once per image: a boxed id and a hash look-up
        if (oldTemporals.skipRows(tableId, map)) { // see OldTemporalColumns: of a table the reader does not select
            RowImages.skipRest(in);
            return new Serializable[0];
        }
        return RowImages.read(map, tableId, included, in, cells, oldTemporals);
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
