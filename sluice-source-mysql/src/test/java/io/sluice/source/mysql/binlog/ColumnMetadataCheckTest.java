package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** TABLE_MAP metadata as binlog_row_metadata=FULL writes it, against the history's columns. */
class ColumnMetadataCheckTest {

    static final TableId T = new TableId("shop", "t");
    /** id INT UNSIGNED, v VARCHAR(10) utf8mb4, tx TEXT latin1, e ENUM('a','b'), bl BLOB */
    static final List<Column> COLUMNS = List.of(
            new Column("id", ColumnType.INT, true, 10, 0, null, 0, List.of(), null),
            new Column("v", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", 40, List.of(), null),
            new Column("tx", ColumnType.TEXT, false, -1, -1, "latin1", 65_535, List.of(), null),
            new Column("e", ColumnType.ENUM, false, -1, -1, null, 0, List.of("a", "b"), null),
            Column.of("bl", ColumnType.BLOB));

    ColumnMetadataCheck check;
    int lookups;

    @BeforeEach
    void setUp() {
        lookups = 0;
        check = new ColumnMetadataCheck(id -> {
            lookups++;
            return Map.of(45, "utf8mb4", 8, "latin1", 33, "utf8").get(id);
        }, false);
    }

    /** The event for COLUMNS, with the given names, unsigned bits and collations of v, tx, bl. */
    static TableMapEventData event(long tableId, List<String> names, boolean idUnsigned, List<Integer> collations, String... labels) {
        TableMapEventData d = new TableMapEventData();
        d.setTableId(tableId);
        d.setDatabase("shop");
        d.setTable("t");
        d.setColumnTypes(new byte[] {3, 15, (byte) 252, (byte) 254, (byte) 252});
        d.setColumnMetadata(new int[] {0, 40, 2, (247 << 8) | 1, 2});
        TableMapEventMetadata m = new TableMapEventMetadata();
        m.setColumnNames(names);
        BitSet unsigned = new BitSet();
        unsigned.set(0, idUnsigned);
        m.setSignedness(unsigned);
        m.setColumnCharsets(collations);
        m.setEnumStrValues(List.<String[]>of(labels));
        d.setEventMetadata(m);
        return d;
    }

    static TableMapEventData agreeing(long tableId) {
        return event(tableId, List.of("id", "v", "tx", "e", "bl"), true, List.of(45, 8, 63), "a", "b");
    }

    String mismatch(List<Column> columns, TableMapEventData map) {
        return check.mismatch(new TableSchema(T, columns, Map.of()), map);
    }

    @Test
    void agreeingMetadataPassesAndIsCheckedOncePerDefinition() {
        TableSchema schema = new TableSchema(T, COLUMNS, Map.of());
        assertNull(check.mismatch(schema, agreeing(7)));
        int after = lookups;
        assertNull(check.mismatch(schema, agreeing(7)));
        assertEquals(after, lookups, "same definition, same server table id: not compared again");
        assertNull(check.mismatch(schema, agreeing(8)));
        assertEquals(2 * after, lookups, "a new server table id (after an ALTER) is compared again");
    }

    @Test
    void aMismatchIsReportedOncePerDefinitionSoAWarningIsNotRepeatedPerRowEvent() {
        TableSchema schema = new TableSchema(T, COLUMNS, Map.of());
        TableMapEventData renamed = event(7, List.of("id", "w", "tx", "e", "bl"), true, List.of(45, 8, 63), "a", "b");
        assertNotNull(check.mismatch(schema, renamed));
        assertNull(check.mismatch(schema, renamed));
    }

    @Test
    void eventsWithoutColumnNamesAreNotChecked() {
        TableMapEventData minimal = event(7, null, false, List.of(33, 33, 33), "z");
        assertNull(mismatch(COLUMNS, minimal));
        minimal.setEventMetadata(null);
        assertNull(mismatch(COLUMNS, minimal));
    }

    @Test
    void eachKindOfDifferenceIsNamed() {
        assertEquals("column 2 is w in the binlog but v in the history",
                mismatch(COLUMNS, event(7, List.of("id", "w", "tx", "e", "bl"), true, List.of(45, 8, 63), "a", "b")));
        assertEquals("the binlog has 5 columns, the history 4", mismatch(COLUMNS.subList(0, 4), agreeing(7)));
        assertEquals("column id is signed in the binlog but not in the history",
                mismatch(COLUMNS, event(7, List.of("id", "v", "tx", "e", "bl"), false, List.of(45, 8, 63), "a", "b")));
        assertEquals("column tx has charset utf8mb4 in the binlog but latin1 in the history",
                mismatch(COLUMNS, event(7, List.of("id", "v", "tx", "e", "bl"), true, List.of(45, 45, 63), "a", "b")));
        assertEquals("column e has labels [a, c] in the binlog but [a, b] in the history",
                mismatch(COLUMNS, event(7, List.of("id", "v", "tx", "e", "bl"), true, List.of(45, 8, 63), "a", "c")));
        List<Column> mediumText = List.of(COLUMNS.get(0), COLUMNS.get(1),
                new Column("tx", ColumnType.TEXT, false, -1, -1, "latin1", 16_777_215, List.of(), null), COLUMNS.get(3), COLUMNS.get(4));
        assertEquals("column tx is of binlog type 252 (metadata 2) but TEXT(16777215 bytes) in the history", mismatch(mediumText, agreeing(7)));
        List<Column> bigint = List.of(new Column("id", ColumnType.BIGINT, true, 20, 0, null, 0, List.of(), null),
                COLUMNS.get(1), COLUMNS.get(2), COLUMNS.get(3), COLUMNS.get(4));
        assertEquals("column id is of binlog type 3 but BIGINT in the history", mismatch(bigint, agreeing(7)));
    }

    @Test
    void aDefaultCollationWithExceptions() {
        TableMapEventData d = agreeing(7);
        d.getEventMetadata().setColumnCharsets(null);
        TableMapEventMetadata.DefaultCharset def = new TableMapEventMetadata.DefaultCharset();
        def.setDefaultCharsetCollation(45);
        def.setCharsetCollations(Map.of(1, 8, 2, 63));
        d.getEventMetadata().setDefaultCharset(def);
        assertNull(mismatch(COLUMNS, d));
    }

    @Test
    void anUnknownCollationIsNotADifference() {
        assertNull(mismatch(COLUMNS, event(7, List.of("id", "v", "tx", "e", "bl"), true, List.of(45, 999, 63), "a", "b")));
    }
}
