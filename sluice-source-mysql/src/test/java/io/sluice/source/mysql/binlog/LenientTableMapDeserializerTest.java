package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogFileReader;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

import io.sluice.source.mysql.value.OldTemporalColumns;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/** TABLE_MAP events parsed once per distinct event: the same result as the client's own parse of every event. */
class LenientTableMapDeserializerTest {

    private static final LegacyBinlogWriter.Col[] COLUMN_KINDS = {
            LegacyBinlogWriter.Col.of(1, false), LegacyBinlogWriter.Col.of(3, true), LegacyBinlogWriter.Col.of(8, false),
            LegacyBinlogWriter.Col.of(5, true, 8), LegacyBinlogWriter.Col.of(15, true, 0x40, 0x01),
            LegacyBinlogWriter.Col.of(246, false, 12, 2), LegacyBinlogWriter.Col.of(18, false, 3),
            LegacyBinlogWriter.Col.of(17, true, 6), LegacyBinlogWriter.Col.of(252, true, 2),
            LegacyBinlogWriter.Col.of(254, false, 247, 1), LegacyBinlogWriter.Col.of(245, true, 4)};
    /** Pre-5.6 TIMESTAMP, TIME, DATETIME: OldTemporalColumns writes into their parsed metadata. */
    private static final LegacyBinlogWriter.Col[] OLD_TEMPORALS = {
            LegacyBinlogWriter.Col.of(7, false), LegacyBinlogWriter.Col.of(11, true), LegacyBinlogWriter.Col.of(12, false)};

    /** The event's data (after the 19-byte v1 header), as the client hands it to a data deserializer. */
    private static byte[] tableMapData(long tableId, String table, List<LegacyBinlogWriter.Col> cols) {
        byte[] event = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 1).tableMap(tableId, "shop", table, cols);
        return Arrays.copyOfRange(event, 19, event.length);
    }

    private static List<LegacyBinlogWriter.Col> randomColumns(SplittableRandom rnd, boolean oldTemporal) {
        List<LegacyBinlogWriter.Col> cols = new ArrayList<>();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) cols.add(COLUMN_KINDS[rnd.nextInt(COLUMN_KINDS.length)]);
        if (oldTemporal) cols.add(rnd.nextInt(cols.size() + 1), OLD_TEMPORALS[rnd.nextInt(OLD_TEMPORALS.length)]);
        return cols;
    }

    @Test
    void repeatedEventsGiveTheClientsResultOnceParsedAndChangedOnesAFreshParse() throws Exception {
        SplittableRandom rnd = new SplittableRandom(1202);
        // a few tables, each with a definition that sometimes changes (same or new table id)
        byte[][] current = new byte[6][];
        boolean[] old = new boolean[current.length];
        for (int t = 0; t < current.length; t++) {
            old[t] = t == 5;
            current[t] = tableMapData(100 + t, "t" + t, randomColumns(rnd, old[t]));
        }
        LenientTableMapDeserializer cached = new LenientTableMapDeserializer();
        TableMapEventData[] previous = new TableMapEventData[current.length];
        int reused = 0;
        for (int k = 0; k < 5_000; k++) {
            int t = rnd.nextInt(current.length);
            boolean changed = rnd.nextInt(20) == 0;
            if (changed) {
                long id = rnd.nextBoolean() ? 100 + t : 1000 + k; // ALTER gives a new id; a reopened table may not
                current[t] = tableMapData(id, "t" + t, randomColumns(rnd, old[t]));
            }
            byte[] data = current[t];
            // as the client's stream, or (as WholeEventDeserializer hands it) an EventByteStream of the whole
            // event in a block of the data, a checksum after it: a repeat is compared there in place
            ByteArrayInputStream in = new ByteArrayInputStream(data.clone());
            if (rnd.nextBoolean()) {
                byte[] event = new byte[19 + data.length + 4];
                Arrays.fill(event, (byte) 0x77);
                System.arraycopy(data, 0, event, 19, data.length);
                EventByteStream whole = new EventByteStream(event);
                whole.skip(19);
                whole.enterBlock(data.length);
                in = whole;
            }
            TableMapEventData got = cached.deserialize(in);
            assertEquals(0, in.available(), "event " + k + " read to its end");
            TableMapEventData fresh = new TableMapEventDataDeserializer().deserialize(new ByteArrayInputStream(data.clone()));
            assertEquals(fresh.toString(), got.toString(), "event " + k);
            if (previous[t] != null && !changed && !old[t]) {
                assertSame(previous[t], got, "a repeated event is not parsed again");
                reused++;
            }
            if (old[t] && previous[t] != null) assertNotSame(previous[t], got, "old temporal columns are parsed each time");
            previous[t] = got;
        }
        assertEquals(true, reused > 3_000, "reused " + reused);
    }

    /**
     * Read as the binlog client reads (Sluice's event deserializer over a stream of events), a repeated
     * TABLE_MAP is recognised in the event's own array: through the client's wrapper the deserializer got
     * a copy of the bytes in a plain stream, where that path never ran. Listeners get the instance the
     * rows deserializers look up, and the rows after each TABLE_MAP (after its checksum, if any) still read.
     */
    @Test
    void repeatsReadThroughTheEventDeserializerAreComparedInPlace() throws Exception {
        List<LegacyBinlogWriter.Col> cols = List.of(LegacyBinlogWriter.Col.of(8, false), LegacyBinlogWriter.Col.of(3, true));
        for (boolean crc32 : new boolean[] {false, true}) {
            LegacyBinlogWriter w = new LegacyBinlogWriter(LegacyBinlogWriter.Server.MYSQL_55, 55);
            if (crc32) w.withCrc32();
            else w.formatDescription();
            for (int i = 0; i < 3; i++) {
                w.tableMap(7, "db", "t", cols);
                w.rows(LegacyBinlogWriter.WRITE_ROWS_V1, 7, cols, List.<Object[]>of(new Object[] {(long) i, i}));
            }
            w.xid(1);
            Map<Long, TableMapEventData> tableMaps = new HashMap<>();
            WholeEventDeserializer deserializer = (WholeEventDeserializer) BinlogEventDeserializers.create(new OldTemporalColumns(), tableMaps);
            if (crc32) deserializer.setChecksumType(ChecksumType.CRC32);
            List<TableMapEventData> maps = new ArrayList<>();
            List<String> rows = new ArrayList<>();
            try (BinaryLogFileReader reader = new BinaryLogFileReader(new java.io.ByteArrayInputStream(w.bytes()), deserializer)) {
                for (Event e; (e = reader.readEvent()) != null; ) {
                    Object data = e.getData() instanceof EventDeserializer.EventDataWrapper d ? d.getExternal() : e.getData();
                    if (data instanceof TableMapEventData t) {
                        assertSame(tableMaps.get(7L), t, "listeners get the registered instance");
                        maps.add(t);
                    } else if (data instanceof WriteRowsEventData r) {
                        for (Serializable[] row : r.getRows()) rows.add(String.valueOf(row[0]));
                    }
                }
            }
            assertEquals(3, maps.size(), "crc32 " + crc32);
            assertSame(maps.get(0), maps.get(2), "crc32 " + crc32);
            assertEquals(List.of("0", "1", "2"), rows, "crc32 " + crc32);
            assertEquals(2, deserializer.tableMapReader().repeatsInPlace(), "repeats compared in place, crc32 " + crc32);
        }
    }
}
