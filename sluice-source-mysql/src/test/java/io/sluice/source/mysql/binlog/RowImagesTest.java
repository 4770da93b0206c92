package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.WriteRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link RowImages} reads what the client's {@code deserializeRow} reads: 20,000 random row images
 * (integer, double, VARCHAR, CHAR in its STRING type code, ENUM and SET in their STRING encodings,
 * NULLs, full and partial column sets, more than 8 columns) give equal cells and leave the stream at
 * the same position; a rows event of an unmapped table fails with the client's exception.
 */
class RowImagesTest {

    /** The client's row decoding, its protected methods made callable. */
    static final class Client extends WriteRowsEventDataDeserializer {
        Client(Map<Long, TableMapEventData> tableMaps) { super(tableMaps); }

        Serializable[] row(long tableId, BitSet included, ByteArrayInputStream in) throws IOException {
            return deserializeRow(tableId, included, in);
        }

        Serializable cell(ColumnType type, int meta, int length, ByteArrayInputStream in) throws IOException {
            return deserializeCell(type, meta, length, in);
        }
    }

    @Test
    void readsTheClientsCells() throws IOException {
        SplittableRandom rnd = new SplittableRandom(15);
        Map<Long, TableMapEventData> maps = new HashMap<>();
        Client client = new Client(maps);
        int partial = 0, nulls = 0;
        for (int run = 0; run < 20_000; run++) {
            int columns = 1 + rnd.nextInt(20);
            byte[] types = new byte[columns];
            int[] meta = new int[columns];
            for (int c = 0; c < columns; c++) {
                switch (rnd.nextInt(7)) {
                    case 0 -> types[c] = 1; // TINY
                    case 1 -> types[c] = 3; // LONG
                    case 2 -> types[c] = 8; // LONGLONG
                    case 3 -> { types[c] = 5; meta[c] = 8; } // DOUBLE
                    case 4 -> { types[c] = 15; meta[c] = rnd.nextInt(1, 255); } // VARCHAR, 1-byte length
                    case 5 -> { types[c] = (byte) 254; meta[c] = 254 << 8 | rnd.nextInt(1, 255); } // CHAR
                    default -> { types[c] = (byte) 254; meta[c] = (rnd.nextBoolean() ? 247 : 248) << 8 | 1; } // ENUM, SET
                }
            }
            TableMapEventData map = new TableMapEventData();
            map.setTableId(run);
            map.setColumnTypes(types);
            map.setColumnMetadata(meta);
            maps.put((long) run, map);
            BitSet included = new BitSet();
            boolean all = rnd.nextInt(3) > 0;
            for (int c = 0; c < columns; c++) if (all || rnd.nextBoolean()) included.set(c);
            if (!all) partial++;
            int[] nullCount = {0};
            byte[] bytes = RowImageBytes.image(rnd, included, types, meta, 4, RowImagesTest::cell, nullCount);
            nulls += nullCount[0];

            ByteArrayInputStream a = new ByteArrayInputStream(bytes);
            EventByteStream b = new EventByteStream(bytes);
            Serializable[] expected = client.row(run, included, a);
            Serializable[] actual = RowImages.read(maps, run, included, b, client::cell);
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                if (expected[i] instanceof byte[] e) assertArrayEquals(e, (byte[]) actual[i], "run " + run + " cell " + i);
                else assertEquals(expected[i], actual[i], "run " + run + " cell " + i);
            }
            assertEquals(a.getPosition(), b.getPosition(), "run " + run);
        }
        assertTrue(partial > 1000 && nulls > 1000);

        BitSet one = new BitSet();
        one.set(0);
        IOException clients = null, ours = null;
        try { client.row(-1, one, new ByteArrayInputStream(new byte[8])); } catch (IOException e) { clients = e; }
        try { RowImages.read(maps, -1, one, new EventByteStream(new byte[8]), client::cell); } catch (IOException e) { ours = e; }
        assertEquals(clients.getClass(), ours.getClass());
        assertEquals(clients.getMessage(), ours.getMessage());
    }

    private static void cell(ByteArrayOutputStream out, int type, int meta, SplittableRandom rnd) {
        int size = switch (type) {
            case 1 -> 1;
            case 3 -> 4;
            case 8, 5 -> 8;
            case 15 -> -1;
            default -> (meta >> 8) == 254 ? -1 : 1; // CHAR has a length byte; ENUM/SET of 1 byte
        };
        if (size < 0) {
            int n = rnd.nextInt(0, Math.min(meta & 0xFF, 30) + 1);
            out.write(n);
            for (int i = 0; i < n; i++) out.write('a' + rnd.nextInt(26));
        } else {
            for (int i = 0; i < size; i++) out.write(rnd.nextInt(256));
        }
    }
}
