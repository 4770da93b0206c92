package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableSchema;

import java.util.HashSet;
import java.util.Set;

/**
 * Temporal columns in the pre-5.6.4 formats (binlog types TIMESTAMP 7, TIME 11, DATETIME 12), which
 * tables created before an upgrade keep. MySQL's have no fractional seconds and a fixed size; MariaDB
 * still creates them with mysql56_temporal_format=OFF, and with fractional seconds (its 5.3 "hires"
 * format) their size depends on the precision, which the TABLE_MAP event does not carry. So the
 * precision comes from the schema history, put into the event's column metadata for
 * {@link TemporalCells}; the rows of tables that are not selected (no history) are not decoded at
 * all, since a wrong size would misread the rest of the event.
 *
 * <p>Used on the binlog client's thread only: the reader sees each TABLE_MAP before the client
 * deserializes the rows event after it.
 */
public final class OldTemporalColumns {

    private final Set<Long> undecodable = new HashSet<>();

    /** {@code schema}: the selected table's definition, or null when the table is not selected. */
    public void onTableMap(TableMapEventData map, TableSchema schema) {
        byte[] types = map.getColumnTypes();
        int[] meta = map.getColumnMetadata();
        boolean old = false;
        for (int i = 0; i < types.length; i++) {
            int type = types[i] & 0xFF;
            if (type != 7 && type != 11 && type != 12) continue;
            old = true;
            if (schema != null && i < schema.columns().size() && meta[i] == 0) meta[i] = fractionalDigits(schema.columns().get(i));
        }
        if (old && schema == null) undecodable.add(map.getTableId());
        else undecodable.remove(map.getTableId());
    }

    /** Rows of this table are skipped, not decoded (it is not selected and has old temporal columns). */
    public boolean skipRows(long tableId) {
        return undecodable.contains(tableId);
    }

    private static int fractionalDigits(Column c) {
        boolean temporal = c.type() == ColumnType.TIME || c.type() == ColumnType.DATETIME || c.type() == ColumnType.TIMESTAMP;
        return temporal && c.precision() > 0 ? Math.min(c.precision(), 6) : 0;
    }
}
