package io.sluice.format.dts;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class DtsRecordIdsTest {

    private static final TableSchema T = new TableSchema(new TableId("db", "t"),
            List.of(Column.of("id", ColumnType.INT), new Column("s", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", 0, List.of(), null)),
            Map.of("PRIMARY", List.of("id")));
    private static final Route ROUTE = new Route("topic", "db.t", List.of("id", "s"));

    @Test
    void replacingTheIdGivesTheBytesOfEncodingWithThatId() {
        DtsAvroEncoder encoder = new DtsAvroEncoder("src", "5.7.22");
        RowChange change = new RowChange(T, Operation.INIT, null,
                new Value[] {new Value.IntegerValue(11, "7"), new Value.CharacterValue("utf8mb4", "ü".getBytes(StandardCharsets.UTF_8))},
                new SourcePosition("mysql-bin.000003", 4242, 4242, "", 1_700_000_000L));
        byte[] withZero = encoder.encode(0, change, ROUTE);
        for (long id : new long[] {0, 1, 63, 64, 127, 128, 8191, 8192, 1L << 35, Long.MAX_VALUE, -1, Long.MIN_VALUE}) {
            byte[] direct = encoder.encode(id, change, ROUTE);
            assertArrayEquals(direct, DtsRecordIds.withId(id, withZero), "id " + id);
            assertArrayEquals(direct, DtsRecordIds.withId(id, encoder.encode(id == 5 ? 6 : 5, change, ROUTE)), "from another id, " + id);
            assertEquals(id, DtsRecordIds.id(DtsRecordIds.withId(id, withZero)));
        }
    }

    /**
     * In place: every pair of provisional and final ids around the varint lengths' edges gives the
     * bytes of encoding with the final id, the input array itself exactly when both ids are as long.
     */
    @Test
    void replacingTheIdInPlaceGivesTheSameBytesAndReusesTheArrayWhenTheLengthsMatch() {
        DtsAvroEncoder encoder = new DtsAvroEncoder("src", "5.7.22");
        RowChange change = new RowChange(T, Operation.INIT, null,
                new Value[] {new Value.IntegerValue(11, "9"), new Value.CharacterValue("utf8mb4", "x".getBytes(StandardCharsets.UTF_8))},
                new SourcePosition("mysql-bin.000009", 77, 77, "", 1_700_000_001L));
        long[] ids = {0, 1, 62, 63, 64, 65, 8190, 8191, 8192, 8193, (1L << 20) - 1, 1L << 20, (1L << 27) - 1, 1L << 27,
                1L << 40, Long.MAX_VALUE};
        for (long provisional : ids) {
            for (long id : ids) {
                byte[] encoded = encoder.encode(provisional, change, ROUTE);
                byte[] patched = encoder.withIdInPlace(id, encoded, ROUTE);
                assertArrayEquals(encoder.encode(id, change, ROUTE), patched, provisional + " -> " + id);
                if (AvroBytes.longSize(provisional) == AvroBytes.longSize(id)) assertSame(encoded, patched, provisional + " -> " + id);
                else assertNotSame(encoded, patched, provisional + " -> " + id);
            }
        }
    }
}
