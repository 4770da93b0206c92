package io.sluice.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonEncodersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);
    /** A column named like the markers' fields, holding text that looks like them. */
    private static final TableSchema TABLE = new TableSchema(new TableId("shop.x", "orders"), List.of(
            Column.of("id", ColumnType.INT), new Column("sequence", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", 200, List.of(), null),
            new Column("amount", ColumnType.DECIMAL, false, 10, 2, null, 0, List.of(), null)), Map.of("PRIMARY", List.of("id")));
    private static final Route ROUTE = new Route("t", "shop\\u002Ex.orders", List.of("id", "sequence", "amount"));
    private static final SourcePosition POS = new SourcePosition("mysql-bin.000004", 1234, 1000,
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", 1_700_000_000);

    private static Value[] row(long id, String text) {
        return new Value[] {new Value.IntegerValue(11, Long.toString(id)),
                new Value.CharacterValue("utf8mb4", text.getBytes(StandardCharsets.UTF_8)), new Value.DecimalValue("12.30", 10, 2)};
    }

    @Test
    void withIdGivesTheBytesEncodingWithThatIdGives() {
        Random random = new Random(7);
        for (RecordEncoder encoder : List.of(new CanalJsonEncoder(CLOCK), new DebeziumJsonEncoder("src", true, CLOCK),
                new DebeziumJsonEncoder("src", false, CLOCK))) {
            for (int k = 0; k < 200; k++) {
                long id = k < 3 ? k : Math.abs(random.nextLong()) >>> random.nextInt(63);
                Value[] after = row(random.nextInt(1000), "{\"id\":9,\"sequence\":\"5\" " + k);
                RowChange change = new RowChange(TABLE, Operation.INIT, null, after, POS);
                // INIT readers encode with a provisional id (the dispatcher's hint), 0 before any record
                long provisional = k % 2 == 0 ? 0 : Math.abs(random.nextLong()) >>> random.nextInt(63);
                byte[] placeholder = encoder.encode(provisional, change, ROUTE);
                assertArrayEquals(encoder.encode(id, change, ROUTE), encoder.withId(id, placeholder), encoder.getClass() + " id " + id);
            }
        }
    }

    /** In place: the bytes of encoding with the id, in the input array itself exactly when both ids have as many digits. */
    @Test
    void withIdInPlaceGivesTheSameBytesAndReusesTheArrayWhenTheDigitCountsMatch() {
        long[] ids = {0, 1, 9, 10, 11, 99, 100, 8191, 8192, 9999, 10_000, 123_456_789, 999_999_999_999L, Long.MAX_VALUE};
        for (RecordEncoder encoder : List.of(new CanalJsonEncoder(CLOCK), new DebeziumJsonEncoder("src", true, CLOCK),
                new DebeziumJsonEncoder("src", false, CLOCK))) {
            for (long provisional : ids) {
                for (long id : ids) {
                    RowChange change = new RowChange(TABLE, Operation.INIT, null, row((int) (id % 1000), "{\"id\":1,\"sequence\":\"2\""), POS);
                    byte[] encoded = encoder.encode(provisional, change, ROUTE);
                    byte[] patched = encoder.withIdInPlace(id, encoded, ROUTE);
                    String what = encoder.getClass().getSimpleName() + " " + provisional + " -> " + id;
                    assertArrayEquals(encoder.encode(id, change, ROUTE), patched, what);
                    assertEquals(Long.toString(provisional).length() == Long.toString(id).length(), encoded == patched, what);
                }
            }
        }
    }

    @Test
    void integersHeldAsNumbersGiveTheBytesTheirTextGives() {
        ColumnType[] types = {ColumnType.TINYINT, ColumnType.SMALLINT, ColumnType.MEDIUMINT, ColumnType.INT, ColumnType.BIGINT};
        int[] bits = {8, 16, 24, 32, 64};
        List<Column> columns = new java.util.ArrayList<>();
        for (int t = 0; t < types.length; t++) {
            for (boolean unsigned : new boolean[] {false, true}) {
                columns.add(new Column("c" + t + unsigned, types[t], unsigned, 3 + 4 * t, 0, null, 0, List.of(), null));
            }
        }
        TableSchema table = new TableSchema(new TableId("shop", "ints"), columns, Map.of("PRIMARY", List.of(columns.get(0).name())));
        Route route = new Route("t", "shop.ints", columns.stream().map(Column::name).toList());
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int k = 0; k < 2_000; k++) {
            Value[][] asNumbers = new Value[2][columns.size()], asText = new Value[2][columns.size()];
            for (int image = 0; image < 2; image++) {
                for (int i = 0; i < columns.size(); i++) {
                    Column c = columns.get(i);
                    int width = bits[i / 2];
                    long v = random.nextLong() >>> (64 - width) >>> random.nextInt(width); // the unsigned range
                    if (!c.unsigned()) v = (v << (64 - width) >> (64 - width)); // the signed range
                    else if (width == 64 && v < 0) v >>>= 1; // unsigned BIGINT from 2^63 up is text either way
                    if (random.nextInt(5) == 0) {
                        asNumbers[image][i] = asText[image][i] = null;
                        continue;
                    }
                    asNumbers[image][i] = Value.IntegerValue.of(c.precision(), v);
                    asText[image][i] = new Value.IntegerValue(c.precision(), Long.toString(v));
                }
            }
            if (random.nextBoolean()) { // an unchanged column of an UPDATE (Canal's "old" leaves it out)
                asNumbers[1][3] = asNumbers[0][3];
                asText[1][3] = asText[0][3];
            }
            for (RecordEncoder encoder : List.of(new CanalJsonEncoder(CLOCK), new DebeziumJsonEncoder("src", true, CLOCK),
                    new DebeziumJsonEncoder("src", false, CLOCK))) {
                for (Operation op : new Operation[] {Operation.INSERT, Operation.UPDATE, Operation.DELETE}) {
                    RowChange numbers = change(table, op, asNumbers);
                    RowChange text = change(table, op, asText);
                    assertArrayEquals(encoder.encode(k, text, route), encoder.encode(k, numbers, route), encoder.getClass() + " " + op);
                }
            }
        }
    }

    private static RowChange change(TableSchema table, Operation op, Value[][] images) {
        return switch (op) {
            case UPDATE -> new RowChange(table, op, images[0], images[1], POS);
            case DELETE -> new RowChange(table, op, images[0], null, POS);
            default -> new RowChange(table, op, null, images[1], POS);
        };
    }

    @Test
    void theFormatsReadTheIdAndOriginBack() {
        RowChange change = new RowChange(TABLE, Operation.INSERT, null, row(1, "\"sequence\":\"77\""), POS);
        byte[] canal = new CanalJsonEncoder(CLOCK).encode(4711, change, ROUTE);
        assertEquals(4711, new CanalJsonFormat().id(canal));
        assertEquals(new RecordFormat.RecordOrigin("shop\\u002Ex.orders", null), new CanalJsonFormat().origin(canal));
        for (boolean schemas : new boolean[] {true, false}) {
            byte[] dbz = new DebeziumJsonEncoder("src", schemas, CLOCK).encode(4712, change, ROUTE);
            assertEquals(4712, new DebeziumJsonFormat(!schemas).id(dbz));
            assertEquals(new RecordFormat.RecordOrigin("shop\\u002Ex.orders", "src"), new DebeziumJsonFormat(schemas).origin(dbz));
        }
        assertNull(new CanalJsonFormat().origin("not json".getBytes(StandardCharsets.UTF_8)));
    }

    /** A topic holding another format's records is noticed at start: no id is read out of them (a column named id, Avro varints). */
    @Test
    void aFormatRefusesTheOthersRecords() {
        RowChange change = new RowChange(TABLE, Operation.INSERT, null, row(900, "x"), POS);
        byte[] canal = new CanalJsonEncoder(CLOCK).encode(5, change, ROUTE);
        byte[] dbz = new DebeziumJsonEncoder("src", false, CLOCK).encode(6, change, ROUTE);
        byte[] dts = new io.sluice.format.dts.DtsAvroEncoder("src", "5.7").encode(7, change, ROUTE);
        var canalFormat = new CanalJsonFormat();
        var dbzFormat = new DebeziumJsonFormat(false);
        var dtsFormat = new io.sluice.format.dts.DtsAvroFormat();
        assertEquals(7, dtsFormat.id(dts));
        assertEquals(6, dbzFormat.id(dbz));
        assertEquals(5, canalFormat.id(canal));
        // DDL records (Debezium's schema change events have no "op") are read back too
        for (boolean schemas : new boolean[] {true, false}) {
            byte[] ddl = new DebeziumJsonEncoder("src", schemas, CLOCK).encodeDdl(8, POS, "shop.orders", "DROP DATABASE shop", null, null);
            assertEquals(8, new DebeziumJsonFormat(schemas).id(ddl));
        }
        assertEquals(9, canalFormat.id(new CanalJsonEncoder(CLOCK).encodeDdl(9, POS, "shop.orders", "DROP DATABASE shop", null, null)));
        for (byte[] other : new byte[][] {dbz, dts}) org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> canalFormat.id(other));
        for (byte[] other : new byte[][] {canal, dts}) org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> dbzFormat.id(other));
        for (byte[] other : new byte[][] {canal, dbz}) org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> dtsFormat.id(other));
    }

    @Test
    void canalUpdateHoldsOnlyTheChangedColumnsInOld() throws Exception {
        RowChange update = new RowChange(TABLE, Operation.UPDATE, row(1, "a"), row(1, "b"), POS);
        JsonNode m = JSON.readTree(new CanalJsonEncoder(CLOCK).encode(9, update, ROUTE));
        assertEquals("UPDATE", m.get("type").asText());
        assertEquals("{\"sequence\":\"a\"}", m.get("old").get(0).toString());
        assertEquals("b", m.get("data").get(0).get("sequence").asText());
        assertEquals("shop.x", m.get("database").asText());
        assertEquals("orders", m.get("table").asText());
        assertEquals("[\"id\"]", m.get("pkNames").toString());
        assertEquals(1_700_000_000_000L, m.get("es").asLong());
        assertEquals(CLOCK.millis(), m.get("ts").asLong());
        assertEquals("decimal(10,2)", m.get("mysqlType").get("amount").asText());
        assertEquals(3, m.get("sqlType").get("amount").asInt());
        assertEquals("3e11fa47-71ca-11e1-9e33-c80aa9429562:23", m.get("gtid").asText());
    }

    @Test
    void canalDdlRecord() throws Exception {
        JsonNode m = JSON.readTree(new CanalJsonEncoder(CLOCK).encodeDdl(10, POS, "shop.orders", "ALTER TABLE orders ADD c INT", null, null));
        assertTrue(m.get("isDdl").asBoolean());
        assertEquals("ALTER", m.get("type").asText());
        assertEquals("ALTER TABLE orders ADD c INT", m.get("sql").asText());
        assertEquals("ERASE", CanalJsonEncoder.ddlType("drop table x"));
        assertEquals("CINDEX", CanalJsonEncoder.ddlType("CREATE UNIQUE INDEX i ON t (a)"));
        assertEquals("QUERY", CanalJsonEncoder.ddlType("CREATE DATABASE d"));
    }

    @Test
    void debeziumEnvelopeKeyAndTypes() throws Exception {
        DebeziumJsonEncoder encoder = new DebeziumJsonEncoder("src", false, CLOCK);
        RowChange delete = new RowChange(TABLE, Operation.DELETE, row(5, "x"), null, POS);
        JsonNode e = JSON.readTree(encoder.encode(11, delete, ROUTE));
        assertEquals("d", e.get("op").asText());
        assertTrue(e.get("after").isNull());
        assertEquals("BM4=", e.get("before").get("amount").asText(), "DECIMAL 12.30: unscaled 1230 as big-endian bytes, base64");
        JsonNode source = e.get("source");
        assertEquals("mysql", source.get("connector").asText());
        assertEquals("src", source.get("name").asText());
        assertEquals("shop.x", source.get("db").asText());
        assertEquals("11", source.get("sequence").asText());
        assertEquals("mysql-bin.000004", source.get("file").asText());
        assertEquals(1000, source.get("pos").asLong());
        assertEquals("{\"id\":5}", new String(encoder.key(delete, ROUTE), StandardCharsets.UTF_8));
        JsonNode withSchema = JSON.readTree(new DebeziumJsonEncoder("src", true, CLOCK).key(delete, ROUTE));
        assertEquals("src.shop.x.orders.Key", withSchema.get("schema").get("name").asText());
        assertEquals(5, withSchema.get("payload").get("id").asInt());
    }

    /** The dispatcher splits a key-changing UPDATE when the keys of its before and after images differ. */
    @Test
    void debeziumSplitsKeyChangesAndKeysEachImage() {
        DebeziumJsonEncoder encoder = new DebeziumJsonEncoder("src", false, CLOCK);
        assertTrue(encoder.splitsKeyChanges());
        assertTrue(!new CanalJsonEncoder(CLOCK).splitsKeyChanges());
        RowChange delete = new RowChange(TABLE, Operation.DELETE, row(900, "x"), null, POS);
        RowChange create = new RowChange(TABLE, Operation.INSERT, null, row(901, "x"), POS);
        assertEquals("{\"id\":900}", new String(encoder.key(delete, ROUTE), StandardCharsets.UTF_8));
        assertEquals("{\"id\":901}", new String(encoder.key(create, ROUTE), StandardCharsets.UTF_8));
    }

    /**
     * As Debezium's MySQL connector: a NOT NULL column is a required field (optional: false), and a
     * zero date in it is the epoch (Debezium's fallback for a required field), null in a nullable one.
     */
    @Test
    void debeziumNotNullColumnsAreRequiredAndTheirZeroDatesTheEpoch() throws Exception {
        List<Column> columns = List.of(new Column("id", ColumnType.INT, false, 10, 0, null, 0, List.of(), null),
                Column.of("d", ColumnType.DATE).withNullable(false), Column.of("dn", ColumnType.DATE),
                new Column("dt", ColumnType.DATETIME, false, -1, -1, null, 0, List.of(), null, false),
                new Column("dt6", ColumnType.DATETIME, false, 6, -1, null, 0, List.of(), null, false),
                new Column("dtn", ColumnType.DATETIME, false, -1, -1, null, 0, List.of(), null),
                new Column("ts", ColumnType.TIMESTAMP, false, 3, -1, null, 0, List.of(), null, false),
                new Column("tsn", ColumnType.TIMESTAMP, false, -1, -1, null, 0, List.of(), null),
                new Column("v", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", 40, List.of(), null, false));
        TableSchema table = new TableSchema(new TableId("shop", "nn"), columns, Map.of("PRIMARY", List.of("id")));
        Route route = new Route("t", "shop.nn", columns.stream().map(Column::name).toList());
        Value.DateTimeValue zeroDate = Value.DateTimeValue.date(0, 0, 0);
        Value.DateTimeValue zeroDateTime = Value.DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0);
        Value.TimestampValue zeroTimestamp = new Value.TimestampValue(0, 0);
        Value[] row = {new Value.IntegerValue(10, "1"), zeroDate, zeroDate, zeroDateTime, zeroDateTime, zeroDateTime,
                zeroTimestamp, zeroTimestamp, new Value.CharacterValue("utf8mb4", new byte[0])};
        JsonNode e = JSON.readTree(new DebeziumJsonEncoder("src", true, CLOCK).encode(3, new RowChange(table, Operation.INIT, null, row, POS), route));

        Map<String, Boolean> optional = new java.util.LinkedHashMap<>();
        for (JsonNode f : e.get("schema").get("fields").get(1).get("fields")) optional.put(f.get("field").asText(), f.get("optional").asBoolean());
        assertEquals(Map.of("id", false, "d", false, "dn", true, "dt", false, "dt6", false, "dtn", true, "ts", false, "tsn", true, "v", false),
                optional);
        JsonNode after = e.get("payload").get("after");
        assertEquals(0, after.get("d").asInt());
        assertTrue(after.get("d").isInt());
        assertTrue(after.get("dn").isNull());
        assertEquals(0, after.get("dt").asLong());
        assertTrue(after.get("dt").isNumber());
        assertEquals(0, after.get("dt6").asLong());
        assertTrue(after.get("dt6").isNumber());
        assertTrue(after.get("dtn").isNull());
        assertEquals("1970-01-01T00:00:00.000Z", after.get("ts").asText());
        assertTrue(after.get("tsn").isNull());
        assertEquals("", after.get("v").asText());
    }

    /**
     * A history wrong about NOT NULL (the reviewer's case: a TIMESTAMP the history thinks NOT NULL
     * holds NULL) must not make a record JsonConverter rejects ("Invalid null value for required
     * field"): a null value's field is optional in that record, other records keep the table's schema.
     */
    @Test
    void debeziumNeverDeclaresRequiredAFieldThatIsNullInTheRecord() throws Exception {
        List<Column> columns = List.of(new Column("id", ColumnType.INT, false, 10, 0, null, 0, List.of(), null),
                new Column("ts", ColumnType.TIMESTAMP, false, -1, -1, null, 0, List.of(), null, false),
                new Column("d", ColumnType.DATE, false, -1, -1, null, 0, List.of(), null, false));
        TableSchema table = new TableSchema(new TableId("shop", "tsnull"), columns, Map.of("PRIMARY", List.of("id")));
        Route route = new Route("t", "shop.tsnull", List.of("id", "ts", "d"));
        DebeziumJsonEncoder encoder = new DebeziumJsonEncoder("src", true, CLOCK);
        Value.DateTimeValue zeroDate = Value.DateTimeValue.date(0, 0, 0);
        Value[] withNull = {new Value.IntegerValue(10, "1"), null, zeroDate};
        Value[] withValue = {new Value.IntegerValue(10, "1"), new Value.TimestampValue(1_700_000_000, 0), zeroDate};

        JsonNode e = JSON.readTree(encoder.encode(1, new RowChange(table, Operation.UPDATE, withValue, withNull, POS), route));
        for (int image = 0; image < 2; image++) {
            assertEquals(Map.of("id", false, "ts", true, "d", false), optional(e.get("schema").get("fields").get(image)));
        }
        assertTrue(e.get("payload").get("after").get("ts").isNull());
        assertEquals(0, e.get("payload").get("after").get("d").asInt()); // still required: its zero date is the epoch
        assertEquals("2023-11-14T22:13:20Z", e.get("payload").get("before").get("ts").asText());

        JsonNode next = JSON.readTree(encoder.encode(2, new RowChange(table, Operation.INSERT, null, withValue, POS), route));
        assertEquals(Map.of("id", false, "ts", false, "d", false), optional(next.get("schema").get("fields").get(1)));
        assertArrayEquals(encoder.encode(5, new RowChange(table, Operation.INSERT, null, withNull, POS), route),
                encoder.withId(5, encoder.encode(0, new RowChange(table, Operation.INSERT, null, withNull, POS), route)));

        // the key: a null in a primary key column (a history wrong about the key) is optional too
        JsonNode key = JSON.readTree(encoder.key(new RowChange(table, Operation.INSERT, null,
                new Value[] {null, withValue[1], zeroDate}, POS), route));
        assertEquals(Map.of("id", true), optional(key.get("schema")));
        assertTrue(key.get("payload").get("id").isNull());
        assertEquals(Map.of("id", false), optional(JSON.readTree(encoder.key(new RowChange(table, Operation.INSERT, null, withValue, POS), route))
                .get("schema")));
    }

    private static Map<String, Boolean> optional(JsonNode struct) {
        Map<String, Boolean> optional = new java.util.LinkedHashMap<>();
        for (JsonNode f : struct.get("fields")) optional.put(f.get("field").asText(), f.get("optional").asBoolean());
        return optional;
    }
}
