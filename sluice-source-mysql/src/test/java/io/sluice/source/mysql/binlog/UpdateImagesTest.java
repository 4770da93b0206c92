package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.value.OldTemporalColumns;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An UPDATE's after image takes the before image's cell wherever the cell's bytes are the same
 * ({@link RowImages.BeforeImage}): 5,000 random UPDATE_ROWS events (integers, DOUBLE, DECIMAL,
 * ENUM, VARCHAR, BLOB, DATETIME(n); with and without the table's definition; NULLs; cells kept,
 * replaced, changed in one byte with their length kept; full and partial images; one to four rows;
 * every event written over the previous one in one reused array, now and then after a truncated
 * event) read as the same deserializer reads them without that (from the client's stream), and
 * the kept cells are the before image's instances.
 */
class UpdateImagesTest {

    private static final int TABLE = 42;

    @Test
    void afterImagesTakeTheBeforeImagesUnchangedCells() throws IOException {
        SplittableRandom rnd = new SplittableRandom(2026);
        Map<Long, TableMapEventData> maps = new HashMap<>();
        OldTemporalColumns schemas = new OldTemporalColumns();
        SluiceUpdateRowsDeserializer reusing = new SluiceUpdateRowsDeserializer(maps, schemas);
        EventByteStream stream = new EventByteStream(new byte[0]);
        byte[] shared = new byte[1 << 16];
        int kept = 0, checkedKept = 0, truncated = 0;
        TableMapEventData map = null;
        List<Column> defs = null;
        byte[] types = null;
        int[] meta = null;
        for (int run = 0; run < 5_000; run++) {
            if (map == null || rnd.nextInt(4) == 0) { // a new table now and then; else the same TABLE_MAP instance again
                int columns = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 70 : 16);
                types = new byte[columns];
                meta = new int[columns];
                defs = new ArrayList<>();
                for (int c = 0; c < columns; c++) defs.add(column(c, rnd, types, meta));
                map = new TableMapEventData();
                map.setTableId(TABLE);
                map.setColumnTypes(types);
                map.setColumnMetadata(meta);
                maps.put((long) TABLE, map);
            }
            boolean bound = rnd.nextInt(4) > 0;
            schemas.onTableMap(map, true, bound ? new TableSchema(new TableId("db", "t"), defs, Map.of()) : null);
            int columns = types.length;
            boolean full = rnd.nextInt(6) > 0;
            BitSet included = new BitSet();
            for (int c = 0; c < columns; c++) if (full || rnd.nextBoolean()) included.set(c);
            if (included.isEmpty()) included.set(rnd.nextInt(columns)); // an image of no column has no bytes: no row to read
            int rows = 1 + rnd.nextInt(4);
            List<boolean[]> same = new ArrayList<>();
            ByteArrayOutputStream event = new ByteArrayOutputStream();
            header(event, columns, included);
            for (int r = 0; r < rows; r++) {
                byte[][] before = cells(rnd, included, types, meta, null, null);
                boolean[] keptHere = new boolean[before.length];
                byte[][] after = cells(rnd, included, types, meta, before, keptHere);
                image(event, before);
                image(event, after);
                same.add(keptHere);
            }
            byte[] bytes = event.toByteArray();

            if (rnd.nextInt(50) == 0 && bytes.length > 20) { // an event that ends in the middle of a row, into the same array
                int cut = bytes.length - 1 - rnd.nextInt(Math.min(8, bytes.length - 16));
                byte[] into = shared;
                System.arraycopy(bytes, 0, into, 0, cut);
                assertThrows(IOException.class, () -> reusing.deserialize(stream.reset(into, 0, cut)));
                truncated++;
            }
            UpdateRowsEventData expected = new SluiceUpdateRowsDeserializer(maps, schemas).deserialize(new ByteArrayInputStream(bytes));
            if (shared.length < bytes.length) shared = new byte[bytes.length];
            System.arraycopy(bytes, 0, shared, 0, bytes.length);
            UpdateRowsEventData actual = reusing.deserialize(stream.reset(shared, 0, bytes.length));

            assertEquals(rows, expected.getRows().size(), "run " + run + " expected");
            assertEquals(rows, actual.getRows().size(), "run " + run);
            for (int r = 0; r < rows; r++) {
                Map.Entry<Serializable[], Serializable[]> want = expected.getRows().get(r), got = actual.getRows().get(r);
                assertArrayEquals(want.getKey(), got.getKey(), "run " + run + " row " + r + " before");
                assertArrayEquals(want.getValue(), got.getValue(), "run " + run + " row " + r + " after");
                if (!full) continue;
                boolean[] keptHere = same.get(r);
                for (int i = 0; i < keptHere.length; i++) {
                    if (!keptHere[i]) continue;
                    assertSame(got.getKey()[i], got.getValue()[i], "run " + run + " row " + r + " cell " + i);
                    checkedKept++;
                }
            }
            for (boolean[] k : same) for (boolean b : k) if (b) kept++;
            schemas.forgetSchemas();
        }
        assertTrue(checkedKept > 10_000 && kept > checkedKept && truncated > 50, checkedKept + " " + kept + " " + truncated);
    }

    private static Column column(int c, SplittableRandom rnd, byte[] types, int[] meta) {
        switch (rnd.nextInt(8)) {
            case 0 -> {
                int[] codes = {1, 2, 9, 3, 8};
                ColumnType[] ints = {ColumnType.TINYINT, ColumnType.SMALLINT, ColumnType.MEDIUMINT, ColumnType.INT, ColumnType.BIGINT};
                int k = rnd.nextInt(codes.length);
                types[c] = (byte) codes[k];
                return new Column("c" + c, ints[k], rnd.nextBoolean(), 10, 0, null, 0, List.of(), null);
            }
            case 1 -> {
                types[c] = 5;
                meta[c] = 8;
                return new Column("c" + c, ColumnType.DOUBLE, false, -1, -1, null, 0, List.of(), null);
            }
            case 2 -> {
                int precision = 1 + rnd.nextInt(30), scale = rnd.nextInt(Math.min(10, precision) + 1);
                types[c] = (byte) 246;
                meta[c] = scale << 8 | precision;
                return new Column("c" + c, ColumnType.DECIMAL, false, precision, scale, null, 0, List.of(), null);
            }
            case 3 -> {
                types[c] = (byte) 254;
                meta[c] = 247 << 8 | 1;
                return new Column("c" + c, ColumnType.ENUM, false, -1, -1, null, 0, List.of("a", "b", "c"), null);
            }
            case 4 -> {
                types[c] = (byte) 252;
                meta[c] = 2;
                return new Column("c" + c, ColumnType.BLOB, false, -1, -1, null, 0, List.of(), null);
            }
            case 5 -> {
                types[c] = 18;
                meta[c] = rnd.nextInt(7);
                return new Column("c" + c, ColumnType.DATETIME, false, meta[c], 0, null, 0, List.of(), null);
            }
            default -> {
                types[c] = 15;
                meta[c] = rnd.nextInt(1, 255);
                return new Column("c" + c, ColumnType.VARCHAR, false, -1, -1, "latin1", meta[c], List.of(), null);
            }
        }
    }

    /** Table id, flags, column count and the two images' column sets (the same set for both). */
    private static void header(ByteArrayOutputStream out, int columns, BitSet included) {
        for (int i = 0; i < 6; i++) out.write((int) ((long) TABLE >>> (8 * i)));
        out.write(0);
        out.write(0);
        out.write(columns); // fewer than 251: one byte
        byte[] set = new byte[(columns + 7) >> 3];
        for (int c = included.nextSetBit(0); c >= 0; c = included.nextSetBit(c + 1)) set[c >> 3] |= (byte) (1 << (c & 7));
        out.write(set, 0, set.length);
        out.write(set, 0, set.length);
    }

    /**
     * One image's cells (null for NULL). With {@code before}: each cell is kept (its bytes, flagged in
     * {@code kept}), changed in one byte with its length kept, new, or NULL.
     */
    private static byte[][] cells(SplittableRandom rnd, BitSet included, byte[] types, int[] meta, byte[][] before, boolean[] kept) {
        byte[][] cells = new byte[included.cardinality()][];
        for (int c = included.nextSetBit(0), i = 0; c >= 0; c = included.nextSetBit(c + 1), i++) {
            int type = types[c] & 0xFF;
            int choice = rnd.nextInt(8);
            if (choice == 0) continue; // NULL
            if (before != null && before[i] != null && choice <= 4) {
                cells[i] = before[i].clone();
                if (choice == 4 && changeable(type, before[i])) { // one byte of the value changed, the length kept
                    int from = type == 15 ? 1 : type == 252 ? 2 : 0;
                    int at = from + rnd.nextInt(before[i].length - from);
                    cells[i][at] = (byte) (type == 15 || type == 252 ? 'a' + (cells[i][at] - 'a' + 1 + rnd.nextInt(25)) % 26
                            : cells[i][at] ^ (1 + rnd.nextInt(255)));
                } else {
                    kept[i] = true;
                }
                continue;
            }
            ByteArrayOutputStream cell = new ByteArrayOutputStream();
            switch (type) {
                case 252 -> {
                    int n = rnd.nextInt(0, 40);
                    cell.write(n);
                    cell.write(0);
                    for (int k = 0; k < n; k++) cell.write('a' + rnd.nextInt(26));
                }
                case 18 -> dateTime2(cell, meta[c], rnd);
                default -> DirectCellsTest.cell(cell, type, meta[c], rnd);
            }
            cells[i] = cell.toByteArray();
        }
        return cells;
    }

    private static boolean changeable(int type, byte[] cell) {
        return switch (type) {
            case 1, 2, 9, 3, 8 -> true;
            case 15 -> cell.length > 1;
            case 252 -> cell.length > 2;
            default -> false;
        };
    }

    /** A valid DATETIME2 of {@code fsp} fractional digits: 5 packed bytes, then the fraction. */
    private static void dateTime2(ByteArrayOutputStream out, int fsp, SplittableRandom rnd) {
        long yearMonth = rnd.nextInt(1000, 9999) * 13L + rnd.nextInt(1, 13);
        long packed = 1L << 39 | yearMonth << 22 | (long) rnd.nextInt(1, 29) << 17 | (long) rnd.nextInt(24) << 12
                | (long) rnd.nextInt(60) << 6 | rnd.nextInt(60);
        for (int i = 4; i >= 0; i--) out.write((int) (packed >>> (8 * i)));
        int fractionBytes = (fsp + 1) / 2;
        int max = new int[] {1, 100, 10_000, 1_000_000}[fractionBytes];
        int fraction = rnd.nextInt(max);
        for (int i = fractionBytes - 1; i >= 0; i--) out.write(fraction >>> (8 * i));
    }

    /** The null bitmap of the image's columns, then the non-null cells. */
    private static void image(ByteArrayOutputStream out, byte[][] cells) {
        byte[] nulls = new byte[(cells.length + 7) >> 3];
        for (int i = 0; i < cells.length; i++) if (cells[i] == null) nulls[i >> 3] |= (byte) (1 << (i & 7));
        out.write(nulls, 0, nulls.length);
        for (byte[] cell : cells) if (cell != null) out.write(cell, 0, cell.length);
    }

    @Test
    void aCellWhoseBytesChangedIsReadAgain() throws IOException {
        // VARCHAR, then a BLOB: the after image keeps the VARCHAR's length byte but not its text
        TableMapEventData map = new TableMapEventData();
        map.setTableId(TABLE);
        map.setColumnTypes(new byte[] {15, (byte) 252});
        map.setColumnMetadata(new int[] {10, 2});
        Map<Long, TableMapEventData> maps = Map.of((long) TABLE, map);
        ByteArrayOutputStream event = new ByteArrayOutputStream();
        BitSet both = new BitSet();
        both.set(0, 2);
        header(event, 2, both);
        image(event, new byte[][] {{3, 'a', 'b', 'c'}, {1, 0, 'x'}});
        image(event, new byte[][] {{3, 'a', 'b', 'd'}, {1, 0, 'x'}});
        UpdateRowsEventData d = new SluiceUpdateRowsDeserializer(maps, new OldTemporalColumns())
                .deserialize(new EventByteStream(event.toByteArray()));
        Serializable[] before = d.getRows().get(0).getKey(), after = d.getRows().get(0).getValue();
        assertEquals("abd", after[0]); // the client's String (Sluice's EventDeserializer asks for bytes)
        assertEquals("abc", before[0]);
        assertSame(before[1], after[1]);
        assertTrue(Arrays.equals((byte[]) after[1], new byte[] {'x'}));
    }
}
