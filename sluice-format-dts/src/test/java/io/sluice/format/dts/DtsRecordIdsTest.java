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
}
