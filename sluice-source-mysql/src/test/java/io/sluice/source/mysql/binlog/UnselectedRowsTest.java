package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.binlog.LegacyBinlogWriter.Col;
import io.sluice.source.mysql.value.OldTemporalColumns;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The rows events of a table the reader said (at its TABLE_MAP) it does not select are not decoded:
 * here their bodies do not even fit the TABLE_MAP's column types (a LONGLONG column written with 4
 * bytes), which fails when decoded. The selected table's rows right after are decoded as before,
 * and an unselected table's rows are decoded again when another event came since its TABLE_MAP.
 */
class UnselectedRowsTest {

    private static final int LONGLONG = 8;
    private static final List<Col> DECLARED = List.of(Col.of(LONGLONG, false));
    private static final List<Col> WRITTEN_SHORT = List.of(Col.of(3, false)); // LONG: 4 of the 8 bytes
    private static final TableSchema SELECTED = new TableSchema(new TableId("db", "sel"), List.of(Column.of("x", ColumnType.BIGINT)), Map.of());

    @Test
    void rowsOfATableNotSelectedAreNotDecoded() throws IOException {
        LegacyBinlogWriter w = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 55);
        w.formatDescription();
        w.tableMap(1, "db", "other", DECLARED);
        w.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}));
        w.rows(LegacyBinlogWriter.UPDATE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}, new Object[] {6}));
        w.rows(LegacyBinlogWriter.DELETE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {6}));
        w.tableMap(2, "db", "sel", DECLARED);
        w.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 2, DECLARED, List.<Object[]>of(new Object[] {7L}, new Object[] {8L}));
        w.xid(1);

        List<String> rows = read(w.bytes(), new OldTemporalColumns());
        assertEquals(List.of("other:0", "other:0", "other:0", "sel:7", "sel:8"), rows);
    }

    @Test
    void rowsAreDecodedWhenAnotherEventCameSinceTheTableMapOrTheTableIsSelected() {
        LegacyBinlogWriter after = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 55);
        after.formatDescription();
        after.tableMap(1, "db", "other", DECLARED);
        after.query("db", "BEGIN");
        after.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}));
        assertThrows(Exception.class, () -> read(after.bytes(), new OldTemporalColumns()));

        LegacyBinlogWriter selected = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 55);
        selected.formatDescription();
        selected.tableMap(2, "db", "sel", DECLARED);
        selected.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 2, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}));
        assertThrows(Exception.class, () -> read(selected.bytes(), new OldTemporalColumns()));
    }

    /**
     * With binlog checksums (CRC32) every event ends in a 4-byte trailer after the rows: the skip must
     * stop at the rows' end. Skipping to the end of the stream's block counted the trailer as more
     * rows and the client's rows loop ran away (StreamingIT on 5.7 grew to 6 GB); the bound on rows
     * read turns such a loop into a failure at once.
     */
    @Test
    void rowsOfATableNotSelectedAreSkippedExactlyWithChecksums() throws IOException {
        LegacyBinlogWriter w = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 55).withCrc32();
        w.tableMap(1, "db", "other", DECLARED);
        w.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}, new Object[] {9}));
        w.rows(LegacyBinlogWriter.UPDATE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {5}, new Object[] {6}));
        w.rows(LegacyBinlogWriter.DELETE_ROWS_V1, 1, WRITTEN_SHORT, List.<Object[]>of(new Object[] {6}));
        w.tableMap(2, "db", "sel", DECLARED);
        w.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 2, DECLARED, List.<Object[]>of(new Object[] {7L}, new Object[] {8L}));
        w.xid(1);

        List<String> rows = read(w.bytes(), new OldTemporalColumns(), true);
        assertEquals(List.of("other:0", "other:0", "other:0", "sel:7", "sel:8"), rows);
    }

    private static List<String> read(byte[] file, OldTemporalColumns tables) throws IOException {
        return read(file, tables, false);
    }

    /** Each decoded row as "table:first cell" ("table:0" for a row without cells), as the reader sees them. */
    private static List<String> read(byte[] file, OldTemporalColumns tables, boolean crc32) throws IOException {
        List<String> rows = new ArrayList<>();
        Map<Long, String> names = new java.util.HashMap<>();
        EventDeserializer deserializer = BinlogEventDeserializers.create(tables, new RowBoundedTableMaps(file.length));
        if (crc32) deserializer.setChecksumType(com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType.CRC32);
        try (BinaryLogFileReader reader = new BinaryLogFileReader(new ByteArrayInputStream(file), deserializer)) {
            for (Event e; (e = reader.readEvent()) != null; ) {
                if (e.getData() instanceof EventDeserializer.EventDataWrapper d) e = new Event(e.getHeader(), d.getExternal());
                EventType type = e.getHeader().getEventType();
                if (type == EventType.TABLE_MAP) {
                    TableMapEventData t = e.getData();
                    names.put(t.getTableId(), t.getTable());
                    boolean selected = t.getTable().equals("sel");
                    tables.onTableMap(t, selected, selected ? SELECTED : null); // as BinlogReader does
                } else if (e.getData() instanceof WriteRowsEventData d) {
                    for (Serializable[] r : d.getRows()) rows.add(names.get(d.getTableId()) + ":" + cell(r));
                } else if (e.getData() instanceof UpdateRowsEventData d) {
                    for (var r : d.getRows()) rows.add(names.get(d.getTableId()) + ":" + cell(r.getValue()));
                } else if (e.getData() instanceof DeleteRowsEventData d) {
                    for (Serializable[] r : d.getRows()) rows.add(names.get(d.getTableId()) + ":" + cell(r));
                }
            }
        }
        return rows;
    }

    /**
     * The table-map cache, which the rows deserializers look up once per row (skipped or not): a
     * binlog of n bytes has fewer than n rows, so more look-ups than that mean the client's rows loop
     * runs without consuming its event (the skip left the event's block): fail then, instead of
     * growing the row list until the JVM runs out of memory.
     */
    private static final class RowBoundedTableMaps extends java.util.HashMap<Long, TableMapEventData> {
        private final int bound;
        private int lookups;

        RowBoundedTableMaps(int binlogBytes) {
            this.bound = binlogBytes;
        }

        @Override
        public TableMapEventData get(Object tableId) {
            if (++lookups > bound) {
                throw new AssertionError("the rows loop ran away: more than " + bound + " rows read from a binlog of "
                        + bound + " bytes (a skipped event's rows must be consumed inside its block)");
            }
            return super.get(tableId);
        }
    }

    private static String cell(Serializable[] row) {
        if (row.length == 0) return "0";
        Object v = row[0];
        return v instanceof io.sluice.core.model.Value.IntegerValue n ? String.valueOf(n.value()) : String.valueOf(v);
    }
}
