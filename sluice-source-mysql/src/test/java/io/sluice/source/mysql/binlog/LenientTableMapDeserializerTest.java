package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.TableMapEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
}
