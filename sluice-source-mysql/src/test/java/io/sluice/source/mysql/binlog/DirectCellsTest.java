package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.source.mysql.value.OldTemporalColumns;
import io.sluice.source.mysql.value.ValueConverter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Row images of a table whose definition the reader gave with its TABLE_MAP ({@link OldTemporalColumns#schema})
 * hold, for every cell, the {@link Value} {@link ValueConverter} makes of the client's cell: 20,000 random
 * images of up to 80 columns (every integer binlog type under every integer column type, signed and
 * unsigned, FLOAT, DOUBLE with NaN payloads, DECIMAL of every precision and scale, ENUM in its STRING encoding with indexes past its labels,
 * VARCHAR, binlog types under a column of another type, NULLs) equal the client's decoding, cell by
 * cell and by final position; images read without a definition, after another event, or under
 * another TABLE_MAP instance stay the client's cells.
 */
class DirectCellsTest {

    private static final ColumnType[] INTEGERS = {ColumnType.TINYINT, ColumnType.SMALLINT, ColumnType.MEDIUMINT, ColumnType.INT, ColumnType.BIGINT};

    @Test
    void directValuesEqualTheConvertersValuesOfTheClientsCells() throws IOException {
        SplittableRandom rnd = new SplittableRandom(55);
        Map<Long, TableMapEventData> maps = new HashMap<>();
        RowImagesTest.Client client = new RowImagesTest.Client(maps);
        OldTemporalColumns schemas = new OldTemporalColumns();
        int direct = 0, raw = 0, unbound = 0;
        for (int run = 0; run < 20_000; run++) {
            int columns = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 80 : 20);
            byte[] types = new byte[columns];
            int[] meta = new int[columns];
            List<Column> defs = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                boolean unsigned = rnd.nextBoolean();
                switch (rnd.nextInt(9)) {
                    case 0, 1 -> {
                        int[] codes = {1, 2, 9, 3, 8};
                        types[c] = (byte) codes[rnd.nextInt(codes.length)];
                        // mostly the matching column type, sometimes another integer type or none
                        ColumnType t = rnd.nextInt(4) > 0 ? INTEGERS[indexOf(codes, types[c])] : rnd.nextInt(3) > 0
                                ? INTEGERS[rnd.nextInt(INTEGERS.length)] : ColumnType.VARCHAR;
                        defs.add(new Column("c" + c, t, unsigned, rnd.nextInt(1, 21), 0, t == ColumnType.VARCHAR ? "utf8mb4" : null, 0, List.of(), null));
                    }
                    case 2 -> {
                        types[c] = 5;
                        meta[c] = 8;
                        ColumnType t = rnd.nextInt(5) > 0 ? ColumnType.DOUBLE : ColumnType.FLOAT;
                        defs.add(new Column("c" + c, t, unsigned, rnd.nextInt(-1, 30), rnd.nextInt(-1, 10), null, 0, List.of(), null));
                    }
                    case 3 -> {
                        types[c] = 4;
                        meta[c] = 4;
                        ColumnType t = rnd.nextInt(5) > 0 ? ColumnType.FLOAT : ColumnType.DOUBLE;
                        defs.add(new Column("c" + c, t, unsigned, rnd.nextInt(-1, 30), rnd.nextInt(-1, 10), null, 0, List.of(), null));
                    }
                    case 4, 5 -> {
                        int size = rnd.nextBoolean() ? 1 : 2;
                        types[c] = (byte) 254;
                        meta[c] = 247 << 8 | size;
                        List<String> labels = new ArrayList<>();
                        for (int l = rnd.nextInt(0, 6); l > 0; l--) labels.add("l" + rnd.nextInt(100));
                        ColumnType t = rnd.nextInt(6) > 0 ? ColumnType.ENUM : ColumnType.SET;
                        defs.add(new Column("c" + c, t, false, -1, -1, null, 0, labels, null));
                    }
                    case 6 -> {
                        int precision = 1 + rnd.nextInt(rnd.nextBoolean() ? 18 : 65), scale = rnd.nextInt(Math.min(30, precision) + 1);
                        types[c] = (byte) 246;
                        meta[c] = scale << 8 | precision;
                        ColumnType t = rnd.nextInt(6) > 0 ? ColumnType.DECIMAL : ColumnType.DOUBLE;
                        defs.add(new Column("c" + c, t, unsigned, precision, scale, null, 0, List.of(), null));
                    }
                    default -> {
                        types[c] = 15;
                        meta[c] = rnd.nextInt(1, 255);
                        defs.add(new Column("c" + c, ColumnType.VARCHAR, false, -1, -1, "latin1", meta[c], List.of(), null));
                    }
                }
            }
            TableMapEventData map = new TableMapEventData();
            map.setTableId(run % 7);
            map.setColumnTypes(types);
            map.setColumnMetadata(meta);
            maps.put((long) (run % 7), map);
            TableSchema schema = new TableSchema(new TableId("db", "t" + run), defs, Map.of());
            int mode = rnd.nextInt(8); // 0: not selected, 1: another event since, 2: another TABLE_MAP instance, else bound
            schemas.onTableMap(mode == 2 ? copy(map) : map, mode == 0 ? null : schema);
            if (mode == 1) schemas.forgetSchemas();
            BitSet included = new BitSet();
            boolean all = rnd.nextInt(8) > 0;
            for (int c = 0; c < columns; c++) if (all || rnd.nextBoolean()) included.set(c);
            byte[] bytes = RowImageBytes.image(rnd, included, types, meta, 5, DirectCellsTest::cell, new int[1]);

            ByteArrayInputStream a = new ByteArrayInputStream(bytes);
            EventByteStream b = new EventByteStream(bytes);
            Serializable[] expected = client.row(run % 7, included, a);
            Serializable[] actual = RowImages.read(maps, run % 7, included, b, client::cell, schemas);
            assertEquals(expected.length, actual.length);
            boolean bound = mode > 2 && included.cardinality() == columns; // every column in the image (also when picked at random)
            for (int i = 0, c = -1; i < expected.length; i++) {
                c = included.nextSetBit(c + 1);
                Column def = defs.get(c);
                if (actual[i] instanceof Value) {
                    assertTrue(bound, "run " + run + ": a Value without the table's definition");
                    direct++;
                } else if (actual[i] != null) {
                    if (!bound) unbound++; else raw++;
                }
                if (!bound) {
                    assertFalse(actual[i] instanceof Value);
                    continue;
                }
                Value want = convertOrNull(def, expected[i]);
                Value got = convertOrNull(def, actual[i]);
                assertEquals(want, got, "run " + run + " cell " + i + " " + def);
                if (want instanceof Value.FloatValue f) {
                    assertEquals(Double.doubleToRawLongBits(f.value()), Double.doubleToRawLongBits(((Value.FloatValue) got).value()));
                }
                if (want instanceof Value.IntegerValue n) assertEquals(n.value(), ((Value.IntegerValue) got).value());
            }
            assertEquals(a.getPosition(), b.getPosition(), "run " + run);
            schemas.forgetSchemas();
        }
        assertTrue(direct > 50_000 && raw > 10_000 && unbound > 10_000, direct + " " + raw + " " + unbound);
    }

    @Test
    void aRowsEventAfterItsTableMapReadsValuesAndAnyOtherEventEndsThat() {
        OldTemporalColumns schemas = new OldTemporalColumns();
        TableMapEventData a = new TableMapEventData(), b = new TableMapEventData();
        a.setTableId(1);
        a.setColumnTypes(new byte[] {3});
        a.setColumnMetadata(new int[1]);
        b.setTableId(2);
        b.setColumnTypes(new byte[] {3});
        b.setColumnMetadata(new int[1]);
        TableSchema sa = new TableSchema(new TableId("d", "a"), List.of(Column.of("x", ColumnType.INT)), Map.of());
        TableSchema sb = new TableSchema(new TableId("d", "b"), List.of(Column.of("x", ColumnType.INT)), Map.of());
        schemas.onTableMap(a, sa);
        schemas.onTableMap(b, sb);
        assertEquals(sa, schemas.schema(1, a));
        assertEquals(sb, schemas.schema(2, b));
        assertEquals(null, schemas.schema(1, b));
        schemas.onTableMap(a, null); // the same id, now not selected
        assertEquals(null, schemas.schema(1, a));
        assertEquals(sb, schemas.schema(2, b));
        schemas.forgetSchemas();
        assertEquals(null, schemas.schema(2, b));
        List<TableMapEventData> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // more tables than the initial room
            many.add(tableMap(100 + i));
            schemas.onTableMap(many.get(i), i % 2 == 0 ? sa : sb);
        }
        for (int i = 0; i < 10; i++) assertEquals(i % 2 == 0 ? sa : sb, schemas.schema(100 + i, many.get(i)));
    }

    private static TableMapEventData tableMap(long id) {
        TableMapEventData m = new TableMapEventData();
        m.setTableId(id);
        m.setColumnTypes(new byte[] {3});
        m.setColumnMetadata(new int[1]);
        return m;
    }

    private static Value convertOrNull(Column c, Serializable cell) {
        try {
            return ValueConverter.convert(c, cell);
        } catch (RuntimeException e) { // a cell the column's type refuses: both must refuse it
            return new Value.TextObjectValue("refused", e.getClass().getName());
        }
    }

    private static TableMapEventData copy(TableMapEventData m) {
        TableMapEventData c = new TableMapEventData();
        c.setTableId(m.getTableId());
        c.setColumnTypes(m.getColumnTypes());
        c.setColumnMetadata(m.getColumnMetadata());
        return c;
    }

    private static int indexOf(int[] codes, byte code) {
        for (int i = 0; i < codes.length; i++) if (codes[i] == (code & 0xFF)) return i;
        throw new IllegalArgumentException();
    }

    private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

    static void cell(ByteArrayOutputStream out, int type, int meta, SplittableRandom rnd) {
        if (type == 246) { // valid digit groups of both signs (BinlogDecimalsTest's), now and then random bytes
            int precision = meta & 0xFF, scale = meta >> 8, x = precision - scale;
            byte[] bytes = new byte[(x / 9 << 2) + DIG_TO_BYTES[x % 9] + (scale / 9 << 2) + DIG_TO_BYTES[scale % 9]];
            if (rnd.nextInt(10) == 0) {
                rnd.nextBytes(bytes);
            } else {
                int kind = rnd.nextInt(4), at = 0;
                at = BinlogDecimalsTest.group(bytes, at, x % 9, kind, rnd);
                for (int i = 0; i < x / 9; i++) at = BinlogDecimalsTest.group(bytes, at, 9, kind, rnd);
                for (int i = 0; i < scale / 9; i++) at = BinlogDecimalsTest.group(bytes, at, 9, kind, rnd);
                BinlogDecimalsTest.group(bytes, at, scale % 9, kind, rnd);
                bytes[0] ^= (byte) 0x80;
                if (rnd.nextBoolean()) for (int i = 0; i < bytes.length; i++) bytes[i] ^= (byte) 0xFF;
            }
            out.write(bytes, 0, bytes.length);
            return;
        }
        int size = switch (type) {
            case 1 -> 1;
            case 2 -> 2;
            case 9 -> 3;
            case 3, 4 -> 4;
            case 8, 5 -> 8;
            case 15 -> -1;
            default -> meta & 0xFF; // ENUM of 1 or 2 bytes
        };
        if (size < 0) {
            int n = rnd.nextInt(0, Math.min(meta & 0xFF, 30) + 1);
            out.write(n);
            for (int i = 0; i < n; i++) out.write('a' + rnd.nextInt(26));
        } else if (type == 5 && rnd.nextInt(10) == 0) { // NaN with a payload, infinities
            long bits = 0x7FF0000000000000L | (rnd.nextLong() & 0x800FFFFFFFFFFFFFL);
            for (int i = 0; i < 8; i++) out.write((int) (bits >>> (8 * i)));
        } else {
            for (int i = 0; i < size; i++) out.write(size <= 2 && type == 254 ? rnd.nextInt(8) >> (i * 8) : rnd.nextInt(256));
        }
    }
}
