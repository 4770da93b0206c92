package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableSchema;

import java.util.Arrays;
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
 * <p>It also remembers the selected table's definition given with each TABLE_MAP ({@link #schema}), so
 * the rows deserializers can decode the rows events right after it straight into {@link io.sluice.core.model.Value}s
 * where that saves boxing; {@link #forgetSchemas} at every other event keeps those definitions from
 * outliving the statement (a DDL, say). The events of a compressed transaction come the same way: each is
 * deserialized only when the reader takes it, after the TABLE_MAP before it.
 *
 * <p>Used on the binlog client's thread only: the reader sees each TABLE_MAP before the client
 * deserializes the rows event after it.
 */
public final class OldTemporalColumns {

    private final Set<Long> undecodable = new HashSet<>();
    /**
     * The definition given with the TABLE_MAP event (the instance) of each table id since the last other
     * event: a statement's few tables, in arrays (no boxed ids or entries per event).
     */
    private long[] boundIds = new long[4];
    private TableMapEventData[] boundMaps = new TableMapEventData[4];
    private TableSchema[] boundSchemas = new TableSchema[4];
    private boolean[] boundUnselected = new boolean[4];
    private int bound;

    /** {@code schema}: the selected table's definition, or null when the table is not selected. */
    public void onTableMap(TableMapEventData map, TableSchema schema) {
        onTableMap(map, schema != null, schema);
    }

    /**
     * {@code selected}: whether the job selects the table now (its rows events right after this
     * TABLE_MAP are then decoded, else skipped, see {@link #skipRows}); {@code schema}: its definition
     * (null when not selected, or when the history has none).
     */
    public void onTableMap(TableMapEventData map, boolean selected, TableSchema schema) {
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
        else if (!undecodable.isEmpty()) undecodable.remove(map.getTableId());
        bind(map.getTableId(), map, selected, schema);
    }

    private void bind(long tableId, TableMapEventData map, boolean selected, TableSchema schema) {
        boolean keep = schema != null || !selected;
        int i = 0;
        while (i < bound && boundIds[i] != tableId) i++;
        if (i == bound) {
            if (!keep) return;
            if (bound == boundIds.length) {
                boundIds = Arrays.copyOf(boundIds, bound * 2);
                boundMaps = Arrays.copyOf(boundMaps, bound * 2);
                boundSchemas = Arrays.copyOf(boundSchemas, bound * 2);
                boundUnselected = Arrays.copyOf(boundUnselected, bound * 2);
            }
            bound++;
        }
        boundIds[i] = tableId;
        boundMaps[i] = keep ? map : null;
        boundSchemas[i] = schema;
        boundUnselected[i] = !selected;
    }

    /**
     * The selected table's definition given with {@code map}, the TABLE_MAP event now registered for
     * {@code tableId}, when no other event than TABLE_MAP and rows events came since; else null.
     */
    public TableSchema schema(long tableId, TableMapEventData map) {
        for (int i = 0; i < bound; i++) {
            if (boundIds[i] == tableId) return boundMaps[i] == map ? boundSchemas[i] : null;
        }
        return null;
    }

    /** An event other than TABLE_MAP and rows events: the definitions given so far may be out of date after it. */
    public void forgetSchemas() {
        if (bound == 0) return;
        Arrays.fill(boundMaps, 0, bound, null);
        Arrays.fill(boundSchemas, 0, bound, null);
        Arrays.fill(boundUnselected, 0, bound, false);
        bound = 0;
    }

    /**
     * Rows of this table are skipped, not decoded: it is not selected and has old temporal columns,
     * or {@code map} (the TABLE_MAP now registered for {@code tableId}) is the one the reader said is
     * of a table it does not select, with no other event since (the reader drops those rows without
     * looking at them).
     */
    public boolean skipRows(long tableId, TableMapEventData map) {
        if (!undecodable.isEmpty() && undecodable.contains(tableId)) return true;
        for (int i = 0; i < bound; i++) {
            if (boundIds[i] == tableId) return boundUnselected[i] && map != null && boundMaps[i] == map;
        }
        return false;
    }

    private static int fractionalDigits(Column c) {
        boolean temporal = c.type() == ColumnType.TIME || c.type() == ColumnType.DATETIME || c.type() == ColumnType.TIMESTAMP;
        return temporal && c.precision() > 0 ? Math.min(c.precision(), 6) : 0;
    }
}
