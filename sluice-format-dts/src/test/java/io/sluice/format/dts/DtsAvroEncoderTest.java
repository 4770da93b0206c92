package io.sluice.format.dts;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the hand-written encoder against the published contract: bytes decode with the schema of
 * shared/dts-avro/Record.avsc, every field holds what FORMAT.md asks for, and the bytes equal what
 * Avro's GenericDatumWriter writes for a record built independently from the expected values.
 */
class DtsAvroEncoderTest {

    private static final String NS = "com.alibaba.dts.formats.avro.";
    private static final String SOURCE_NAME = "shop-db";
    private static final String SOURCE_VERSION = "8.0.36-log";

    private static Schema record;
    private static Map<String, Schema> named;

    /** binlog file mysql-bin.000004, event ends at 2196, its transaction started at 1800. */
    private static final SourcePosition POS = new SourcePosition("mysql-bin.000004", 2196, 1800,
            "3e11fa47-71ca-11e1-9e33-c80aa9429562:23", 1_700_000_123L);

    // ---------------------------------------------------------------- schema location

    /** The contract as published, kept in the repository at docs/format/Record.avsc (found from any module dir). */
    static Path contractSchema() {
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path p = d.resolve("docs/format/Record.avsc");
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalStateException("docs/format/Record.avsc not found above " + Paths.get("").toAbsolutePath());
    }

    private static byte[] bundledSchemaBytes() throws IOException {
        try (InputStream in = DtsAvroEncoder.class.getResourceAsStream("Record.avsc")) {
            assertNotNull(in, "bundled io/sluice/format/dts/Record.avsc is missing");
            return in.readAllBytes();
        }
    }

    @BeforeAll
    static void parseSchema() throws IOException {
        String text = Files.readString(contractSchema());
        Schema union = new Schema.Parser().parse(text);
        assertEquals(Schema.Type.UNION, union.getType(), "Record.avsc is a JSON array of types");
        named = new HashMap<>();
        for (Schema s : union.getTypes()) named.put(s.getFullName(), s);
        record = named.get(NS + "Record");
        assertNotNull(record, "no com.alibaba.dts.formats.avro.Record in Record.avsc");
    }

    @Test
    void bundledSchemaIsTheContract() throws IOException {
        Path shared = contractSchema();
        assertArrayEquals(Files.readAllBytes(shared), bundledSchemaBytes(),
                "src/main/resources/io/sluice/format/dts/Record.avsc differs from " + shared);
        assertEquals(Files.readString(shared), DtsAvroEncoder.schemaText());
    }

    // ---------------------------------------------------------------- the test table

    private static Column col(String name, ColumnType type, boolean unsigned, int precision, int scale,
                              String charset, String subtype) {
        return new Column(name, type, unsigned, precision, scale, charset, 0, List.of(), subtype);
    }

    /** One column per Value branch (and then some), with the type codes FORMAT.md lists. */
    private static final TableSchema ORDERS = new TableSchema(new TableId("shop", "orders"), List.of(
            col("id", ColumnType.BIGINT, true, 20, 0, null, null),
            col("flags", ColumnType.BIT, false, 3, -1, null, null),
            col("email", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", null),
            col("code", ColumnType.BINARY, false, -1, -1, "binary", null),
            col("amount", ColumnType.DECIMAL, false, 10, 2, null, null),
            col("ratio", ColumnType.FLOAT, false, 7, 3, null, null),
            col("score", ColumnType.DOUBLE, false, -1, -1, null, null),
            col("created", ColumnType.TIMESTAMP, false, -1, -1, null, null),
            col("day", ColumnType.DATE, false, -1, -1, null, null),
            col("dur", ColumnType.TIME, false, -1, -1, null, null),
            col("at", ColumnType.DATETIME, false, -1, -1, null, null),
            col("yr", ColumnType.YEAR, false, -1, -1, null, null),
            col("loc", ColumnType.GEOMETRY, false, -1, -1, null, "POINT"),
            col("payload", ColumnType.BLOB, false, -1, -1, null, null),
            col("status", ColumnType.ENUM, false, -1, -1, null, null),
            col("labels", ColumnType.SET, false, -1, -1, null, null),
            col("doc", ColumnType.JSON, false, -1, -1, null, null),
            col("note", ColumnType.TEXT, false, -1, -1, "latin1", null)),
            orderedKeys());

    private static Map<String, List<String>> orderedKeys() {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("PRIMARY", List.of("id"));
        keys.put("uk_email_code", List.of("email", "code"));
        return keys;
    }

    /** dataTypeNumber of each ORDERS column, straight from FORMAT.md's table. */
    private static final int[] ORDERS_TYPE_NUMBERS = {8, 16, 253, 254, 246, 4, 5, 7, 10, 11, 12, 13, 255, 252, 247, 248, 245, 253};

    private static final List<String> ORDERS_NAMES = List.of("id", "flags", "email", "code", "amount", "ratio",
            "score", "created", "day", "dur", "at", "yr", "loc", "payload", "status", "labels", "doc", "note");

    /** SRID 0 then WKB POINT(1 2), little-endian. */
    private static final byte[] POINT_BYTES = {0, 0, 0, 0, 1, 1, 0, 0, 0,
            0, 0, 0, 0, 0, 0, (byte) 0xf0, 0x3f, 0, 0, 0, 0, 0, 0, 0, 0x40};

    private static Value[] row1() {
        return new Value[]{
                new Value.IntegerValue(20, "18446744073709551615"),
                new Value.IntegerValue(3, "5"),
                new Value.CharacterValue("utf8mb4", "é@x.cn".getBytes(StandardCharsets.UTF_8)),
                new Value.CharacterValue("binary", new byte[]{1, 2, 0, 0}),
                new Value.DecimalValue("12.30", 10, 2),
                new Value.FloatValue(1.5, 7, 3),
                new Value.FloatValue(-0.1, -1, -1),
                new Value.TimestampValue(1_700_000_000L, 123_456),
                Value.DateTimeValue.date(2024, 2, 29),
                Value.DateTimeValue.time(0, 0, -1, -500_000),
                Value.DateTimeValue.dateTime(2024, 2, 29, 23, 59, 59, 999_999),
                Value.DateTimeValue.year(2155),
                new Value.BinaryGeometryValue("POINT", POINT_BYTES),
                new Value.BinaryObjectValue("BLOB", new byte[]{0, (byte) 0xff, 0x7f}),
                new Value.TextObjectValue("ENUM", "paid"),
                new Value.TextObjectValue("SET", "a,c"),
                new Value.TextObjectValue("JSON", "{\"a\":[1,true]}"),
                null};
    }

    /** row1 with other values, and nulls where row1 has values, to exercise null branches. */
    private static Value[] row2() {
        return new Value[]{
                new Value.IntegerValue(20, "7"),
                null,
                new Value.CharacterValue("utf8mb4", new byte[0]),
                null,
                new Value.DecimalValue("-0.05", 10, 2),
                null,
                new Value.FloatValue(Double.MAX_VALUE, -1, -1),
                new Value.TimestampValue(0, 0),
                Value.DateTimeValue.date(0, 0, 0),
                Value.DateTimeValue.time(838, 59, 59, 0),
                null,
                Value.DateTimeValue.year(0),
                null,
                new Value.BinaryObjectValue("BLOB", new byte[0]),
                new Value.TextObjectValue("ENUM", ""),
                new Value.TextObjectValue("SET", ""),
                null,
                new Value.CharacterValue("latin1", new byte[]{(byte) 0xe9})};
    }

    private static final Route ROUTE = new Route("shop-changes", "shop.orders", ORDERS_NAMES);

    // ---------------------------------------------------------------- expected records, built from the schema

    private static GenericRecord rec(String name, Object... kv) {
        Schema s = named.get(NS + name);
        assertNotNull(s, name);
        GenericRecord r = new GenericData.Record(s);
        for (int i = 0; i < kv.length; i += 2) r.put((String) kv[i], kv[i + 1]);
        return r;
    }

    private static GenericRecord integer(int precision, String value) { return rec("Integer", "precision", precision, "value", value); }
    private static GenericRecord character(String charset, byte[] v) { return rec("Character", "charset", charset, "value", ByteBuffer.wrap(v)); }
    private static GenericRecord decimal(String v, int p, int s) { return rec("Decimal", "value", v, "precision", p, "scale", s); }
    private static GenericRecord flt(double v, int p, int s) { return rec("Float", "value", v, "precision", p, "scale", s); }
    private static GenericRecord timestamp(long t, int micros) { return rec("Timestamp", "timestamp", t, "millis", micros); }
    private static GenericRecord dateTime(Integer y, Integer mo, Integer d, Integer h, Integer mi, Integer s, Integer us) {
        return rec("DateTime", "year", y, "month", mo, "day", d, "hour", h, "minute", mi, "second", s, "millis", us);
    }
    private static GenericRecord geometry(String type, byte[] v) { return rec("BinaryGeometry", "type", type, "value", ByteBuffer.wrap(v)); }
    private static GenericRecord blob(byte[] v) { return rec("BinaryObject", "type", "BLOB", "value", ByteBuffer.wrap(v)); }
    private static GenericRecord text(String type, String v) { return rec("TextObject", "type", type, "value", v); }

    /** The images of row1, written from the values above (not from the encoder). */
    private static List<Object> expectedRow1() {
        return Arrays.asList(
                integer(20, "18446744073709551615"),
                integer(3, "5"),
                character("utf8mb4", "é@x.cn".getBytes(StandardCharsets.UTF_8)),
                character("binary", new byte[]{1, 2, 0, 0}),
                decimal("12.30", 10, 2),
                flt(1.5, 7, 3),
                flt(-0.1, -1, -1),
                timestamp(1_700_000_000L, 123_456),
                dateTime(2024, 2, 29, null, null, null, null),
                dateTime(null, null, null, 0, 0, -1, -500_000),
                dateTime(2024, 2, 29, 23, 59, 59, 999_999),
                dateTime(2155, null, null, null, null, null, null),
                geometry("POINT", POINT_BYTES),
                blob(new byte[]{0, (byte) 0xff, 0x7f}),
                text("ENUM", "paid"),
                text("SET", "a,c"),
                text("JSON", "{\"a\":[1,true]}"),
                null);
    }

    private static List<Object> expectedRow2() {
        return Arrays.asList(
                integer(20, "7"),
                null,
                character("utf8mb4", new byte[0]),
                null,
                decimal("-0.05", 10, 2),
                null,
                flt(Double.MAX_VALUE, -1, -1),
                timestamp(0, 0),
                dateTime(0, 0, 0, null, null, null, null),
                dateTime(null, null, null, 838, 59, 59, 0),
                null,
                dateTime(0, null, null, null, null, null, null),
                null,
                blob(new byte[0]),
                text("ENUM", ""),
                text("SET", ""),
                null,
                character("latin1", new byte[]{(byte) 0xe9}));
    }

    private static List<GenericRecord> expectedFields(List<String> names, int[] typeNumbers) {
        List<GenericRecord> fields = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) fields.add(rec("Field", "name", names.get(i), "dataTypeNumber", typeNumbers[i]));
        return fields;
    }

    private static GenericRecord envelope(long id, SourcePosition pos, String position, String safePosition,
                                          String operation, String objectName, Map<String, String> tags,
                                          Object fields, Object before, Object after) {
        GenericRecord r = new GenericData.Record(record);
        r.put("version", 1);
        r.put("id", id);
        r.put("sourceTimestamp", pos.timestampSec());
        r.put("sourcePosition", position);
        r.put("safeSourcePosition", safePosition);
        r.put("sourceTxid", pos.txId());
        Schema sourceSchema = record.getField("source").schema();
        GenericRecord source = new GenericData.Record(sourceSchema);
        source.put("sourceType", new GenericData.EnumSymbol(sourceSchema.getField("sourceType").schema(), "MySQL"));
        source.put("version", SOURCE_VERSION);
        r.put("source", source);
        r.put("operation", new GenericData.EnumSymbol(record.getField("operation").schema(), operation));
        r.put("objectName", objectName);
        r.put("processTimestamps", null);
        r.put("tags", tags);
        r.put("fields", fields);
        r.put("beforeImages", before);
        r.put("afterImages", after);
        r.put("bornTimestamp", pos.timestampSec() * 1000L);
        return r;
    }

    private static Map<String, String> dmlTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("pk_uk_info", "{\"PRIMARY\":[\"id\"],\"uk_email_code\":[\"email\",\"code\"]}");
        tags.put("source", SOURCE_NAME);
        return tags;
    }

    private static byte[] avroWrite(GenericRecord r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(record).write(r, enc);
        enc.flush();
        return out.toByteArray();
    }

    /** Decodes with the published schema and checks that the message holds exactly one record. */
    private static GenericRecord decode(byte[] bytes) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, null);
        GenericRecord r = new GenericDatumReader<GenericRecord>(record).read(null, in);
        assertTrue(in.isEnd(), "trailing bytes after the record");
        return r;
    }

    // ---------------------------------------------------------------- comparison helpers

    private static Object norm(Object o) {
        if (o instanceof CharSequence cs) return cs.toString();
        if (o instanceof ByteBuffer bb) {
            ByteBuffer d = bb.duplicate();
            byte[] b = new byte[d.remaining()];
            d.get(b);
            return new String(b, StandardCharsets.ISO_8859_1); // byte-exact, comparable
        }
        if (o instanceof GenericData.EnumSymbol e) return e.toString();
        return o;
    }

    private static Map<String, String> tags(GenericRecord r) {
        Map<String, String> tags = new HashMap<>();
        ((Map<?, ?>) r.get("tags")).forEach((k, v) -> tags.put(k.toString(), v.toString()));
        return tags;
    }

    /** Compares a decoded image with the expected one: same branch (record name) and same field values. */
    private static void assertImage(List<Object> expected, Object actual, String what) {
        assertInstanceOf(List.class, actual, what + " should be the array branch");
        List<?> items = (List<?>) actual;
        assertEquals(expected.size(), items.size(), what + " length");
        for (int i = 0; i < expected.size(); i++) {
            Object e = expected.get(i);
            Object a = items.get(i);
            String at = what + "[" + i + "] (" + ORDERS_NAMES.get(i) + ")";
            if (e == null) {
                assertNull(a, at + " should be the null branch");
                continue;
            }
            GenericRecord er = (GenericRecord) e;
            assertInstanceOf(GenericRecord.class, a, at);
            GenericRecord ar = (GenericRecord) a;
            assertEquals(er.getSchema().getFullName(), ar.getSchema().getFullName(), at + " union branch");
            for (Schema.Field f : er.getSchema().getFields()) {
                assertEquals(norm(er.get(f.name())), norm(ar.get(f.name())), at + "." + f.name());
            }
        }
    }

    private static void assertFields(Object actual, List<String> names, int[] typeNumbers) {
        assertInstanceOf(List.class, actual, "fields should be the array branch");
        List<?> fields = (List<?>) actual;
        assertEquals(names.size(), fields.size());
        for (int i = 0; i < names.size(); i++) {
            GenericRecord f = (GenericRecord) fields.get(i);
            assertEquals(names.get(i), f.get("name").toString(), "fields[" + i + "].name");
            assertEquals(typeNumbers[i], f.get("dataTypeNumber"), "fields[" + i + "].dataTypeNumber (" + names.get(i) + ")");
        }
    }

    private static void assertEnvelope(GenericRecord r, long id, String op, String objectName) {
        assertEquals(1, r.get("version"));
        assertEquals(id, r.get("id"));
        assertEquals(1_700_000_123L, r.get("sourceTimestamp"));
        assertEquals("2196@4", r.get("sourcePosition").toString());
        assertEquals("1800@4", r.get("safeSourcePosition").toString());
        assertEquals("3e11fa47-71ca-11e1-9e33-c80aa9429562:23", r.get("sourceTxid").toString());
        GenericRecord source = (GenericRecord) r.get("source");
        assertEquals("MySQL", source.get("sourceType").toString());
        assertEquals(SOURCE_VERSION, source.get("version").toString());
        assertEquals(op, r.get("operation").toString());
        assertEquals(objectName, r.get("objectName") == null ? null : r.get("objectName").toString());
        assertNull(r.get("processTimestamps"));
        assertEquals(1_700_000_123_000L, r.get("bornTimestamp"));
    }

    // ---------------------------------------------------------------- DML

    @Test
    void insertDecodesWithThePublishedSchema() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] bytes = encoder.encode(42, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE);

        GenericRecord r = decode(bytes);
        assertEnvelope(r, 42, "INSERT", "shop.orders");
        Map<String, String> tags = tags(r);
        assertEquals(SOURCE_NAME, tags.get("source"));
        assertEquals(Map.of("PRIMARY", List.of("id"), "uk_email_code", List.of("email", "code")),
                new ObjectMapper().readValue(tags.get("pk_uk_info"), new TypeReference<Map<String, List<String>>>() {}));
        assertFields(r.get("fields"), ORDERS_NAMES, ORDERS_TYPE_NUMBERS);
        assertNull(r.get("beforeImages"), "INSERT has no before image");
        assertImage(expectedRow1(), r.get("afterImages"), "afterImages");

        // A couple of spot checks spelled out, independent of the helpers.
        List<?> after = (List<?>) r.get("afterImages");
        GenericRecord id = (GenericRecord) after.get(0);
        assertEquals("Integer", id.getSchema().getName());
        assertEquals("18446744073709551615", id.get("value").toString());
        GenericRecord time = (GenericRecord) after.get(9);
        assertEquals("DateTime", time.getSchema().getName());
        assertNull(time.get("year"));
        assertEquals(-1, time.get("second"));
        assertEquals(-500_000, time.get("millis"));

        GenericRecord expected = envelope(42, POS, "2196@4", "1800@4", "INSERT", "shop.orders", dmlTags(),
                expectedFields(ORDERS_NAMES, ORDERS_TYPE_NUMBERS), null, expectedRow1());
        assertArrayEquals(avroWrite(expected), bytes, "bytes differ from GenericDatumWriter's");
    }

    @Test
    void updateCarriesBothImages() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] bytes = encoder.encode(43, new RowChange(ORDERS, Operation.UPDATE, row1(), row2(), POS), ROUTE);

        GenericRecord r = decode(bytes);
        assertEnvelope(r, 43, "UPDATE", "shop.orders");
        assertFields(r.get("fields"), ORDERS_NAMES, ORDERS_TYPE_NUMBERS);
        assertImage(expectedRow1(), r.get("beforeImages"), "beforeImages");
        assertImage(expectedRow2(), r.get("afterImages"), "afterImages");

        GenericRecord expected = envelope(43, POS, "2196@4", "1800@4", "UPDATE", "shop.orders", dmlTags(),
                expectedFields(ORDERS_NAMES, ORDERS_TYPE_NUMBERS), expectedRow1(), expectedRow2());
        assertArrayEquals(avroWrite(expected), bytes);
    }

    @Test
    void deleteHasOnlyTheBeforeImage() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] bytes = encoder.encode(44, new RowChange(ORDERS, Operation.DELETE, row2(), null, POS), ROUTE);

        GenericRecord r = decode(bytes);
        assertEnvelope(r, 44, "DELETE", "shop.orders");
        assertImage(expectedRow2(), r.get("beforeImages"), "beforeImages");
        assertNull(r.get("afterImages"), "DELETE has no after image");

        GenericRecord expected = envelope(44, POS, "2196@4", "1800@4", "DELETE", "shop.orders", dmlTags(),
                expectedFields(ORDERS_NAMES, ORDERS_TYPE_NUMBERS), expectedRow2(), null);
        assertArrayEquals(avroWrite(expected), bytes);
    }

    @Test
    void initRowsUseTheInitSymbol() throws IOException {
        // Full-data rows: no binlog event, position of the snapshot, empty txid.
        SourcePosition snapshot = new SourcePosition("mysql-bin.000012", 157, 157, "", 1_700_000_123L);
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] bytes = encoder.encode(1, new RowChange(ORDERS, Operation.INIT, null, row1(), snapshot), ROUTE);

        GenericRecord r = decode(bytes);
        assertEquals("INIT", r.get("operation").toString());
        assertEquals("157@12", r.get("sourcePosition").toString());
        assertEquals("157@12", r.get("safeSourcePosition").toString());
        assertEquals("", r.get("sourceTxid").toString());
        assertNull(r.get("beforeImages"));
        assertImage(expectedRow1(), r.get("afterImages"), "afterImages");

        GenericRecord expected = envelope(1, snapshot, "157@12", "157@12", "INIT", "shop.orders", dmlTags(),
                expectedFields(ORDERS_NAMES, ORDERS_TYPE_NUMBERS), null, expectedRow1());
        assertArrayEquals(avroWrite(expected), bytes);
    }

    @Test
    void everyOperationMapsToItsSchemaSymbol() throws IOException {
        Schema ops = record.getField("operation").schema();
        for (Operation op : Operation.values()) {
            assertEquals(ops.getEnumOrdinal(op.name()), DtsAvroEncoder.operationIndex(op), op.name());
        }
        // and through the encoder for a symbol the other tests do not reach
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        Value[] one = {new Value.IntegerValue(20, "1")};
        TableSchema t = new TableSchema(new TableId("a", "b"), List.of(col("id", ColumnType.BIGINT, false, 19, 0, null, null)), Map.of());
        GenericRecord r = decode(encoder.encode(9, new RowChange(t, Operation.HEARTBEAT, null, one, POS),
                new Route("t", "a.b", List.of("id"))));
        assertEquals("HEARTBEAT", r.get("operation").toString());
    }

    @Test
    void routeNamesAreWrittenAndTheHeaderFollowsTheRouteInstance() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        TableSchema v1 = new TableSchema(new TableId("shop.eu", "orders"), List.of(
                col("id", ColumnType.INT, false, 10, 0, null, null)), Map.of("PRIMARY", List.of("id")));
        Route r1 = new Route("t", "shop\\u002Eeu.orders_v", List.of("order_id"));
        GenericRecord a = decode(encoder.encode(1, new RowChange(v1, Operation.INSERT, null,
                new Value[]{new Value.IntegerValue(10, "1")}, POS), r1));
        assertEquals("shop\\u002Eeu.orders_v", a.get("objectName").toString());
        assertFields(a.get("fields"), List.of("order_id"), new int[]{3});
        // Consumers look the key columns up among the fields, so the key names the mapped column.
        assertEquals("{\"PRIMARY\":[\"order_id\"]}", tags(a).get("pk_uk_info"));

        // The table gains a column and a unique key: a new schema version gets a new Route instance.
        TableSchema v2 = new TableSchema(v1.id(), List.of(
                col("id", ColumnType.INT, false, 10, 0, null, null),
                col("sku", ColumnType.VARCHAR, false, -1, -1, "utf8mb4", null)),
                Map.of("PRIMARY", List.of("id")));
        Route r2 = new Route("t", "shop\\u002Eeu.orders_v", List.of("order_id", "sku"));
        GenericRecord b = decode(encoder.encode(2, new RowChange(v2, Operation.INSERT, null,
                new Value[]{new Value.IntegerValue(10, "2"), new Value.CharacterValue("utf8mb4", new byte[]{'x'})}, POS), r2));
        assertFields(b.get("fields"), List.of("order_id", "sku"), new int[]{3, 253});

        // The first route still yields the first header.
        GenericRecord c = decode(encoder.encode(3, new RowChange(v1, Operation.DELETE,
                new Value[]{new Value.IntegerValue(10, "1")}, null, POS), r1));
        assertFields(c.get("fields"), List.of("order_id"), new int[]{3});
    }

    @Test
    void pkUkInfoIsValidJsonEvenWithOddNames() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        keys.put("PRIMARY", List.of("a\"b", "c\\d"));
        keys.put("uk\tx", List.of("é"));
        String json = DtsAvroEncoder.pkUkInfo(keys);
        assertEquals(keys, new ObjectMapper().readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() {}));
        assertEquals("{}", DtsAvroEncoder.pkUkInfo(Map.of()));
    }

    @Test
    void everyColumnTypeCarriesItsProtocolTypeNumber() throws IOException {
        // FORMAT.md's column table; TEXT types are 253.
        Map<ColumnType, Integer> spec = new EnumMap<>(ColumnType.class);
        spec.put(ColumnType.TINYINT, 1); spec.put(ColumnType.SMALLINT, 2); spec.put(ColumnType.INT, 3);
        spec.put(ColumnType.MEDIUMINT, 9); spec.put(ColumnType.BIGINT, 8); spec.put(ColumnType.BIT, 16);
        spec.put(ColumnType.DECIMAL, 246); spec.put(ColumnType.FLOAT, 4); spec.put(ColumnType.DOUBLE, 5);
        spec.put(ColumnType.DATE, 10); spec.put(ColumnType.TIME, 11); spec.put(ColumnType.DATETIME, 12);
        spec.put(ColumnType.TIMESTAMP, 7); spec.put(ColumnType.YEAR, 13);
        spec.put(ColumnType.CHAR, 254); spec.put(ColumnType.VARCHAR, 253); spec.put(ColumnType.TEXT, 253);
        spec.put(ColumnType.BINARY, 254); spec.put(ColumnType.VARBINARY, 253);
        spec.put(ColumnType.TINYBLOB, 249); spec.put(ColumnType.MEDIUMBLOB, 250);
        spec.put(ColumnType.LONGBLOB, 251); spec.put(ColumnType.BLOB, 252);
        spec.put(ColumnType.ENUM, 247); spec.put(ColumnType.SET, 248); spec.put(ColumnType.JSON, 245);
        spec.put(ColumnType.GEOMETRY, 255);
        assertEquals(ColumnType.values().length, spec.size(), "a column type is missing from this test");

        List<Column> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] numbers = new int[spec.size()];
        int i = 0;
        for (ColumnType t : ColumnType.values()) {
            columns.add(Column.of("c_" + t.name().toLowerCase(), t));
            names.add("c_" + t.name().toLowerCase());
            numbers[i++] = spec.get(t);
        }
        TableSchema all = new TableSchema(new TableId("db", "all_types"), columns, Map.of());
        Value[] nulls = new Value[columns.size()];
        byte[] bytes = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION)
                .encode(5, new RowChange(all, Operation.INSERT, null, nulls, POS), new Route("t", "db.all_types", names));
        GenericRecord r = decode(bytes);
        assertFields(r.get("fields"), names, numbers);
        List<?> after = (List<?>) r.get("afterImages");
        assertEquals(columns.size(), after.size());
        after.forEach(v -> assertNull(v, "SQL NULL is the null branch"));
        assertEquals("{}", tags(r).get("pk_uk_info"));
    }

    @Test
    void returnedBytesAreNotReusedByTheNextEncode() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] first = encoder.encode(1, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE);
        byte[] copy = first.clone();
        byte[] second = encoder.encode(2, new RowChange(ORDERS, Operation.DELETE, row2(), null, POS), ROUTE);
        assertArrayEquals(copy, first);
        assertFalse(Arrays.equals(first, second));
        assertEquals(1L, decode(first).get("id"));
        assertEquals(2L, decode(second).get("id"));
    }

    @Test
    void encodeForSendReusesOneArrayPerSizeAndLeavesEncodesOwnArraysAlone() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        byte[] kept = encoder.encode(1, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE);
        byte[] keptCopy = kept.clone();
        byte[] first = encoder.encodeForSend(1, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE);
        assertArrayEquals(keptCopy, first, "the same record, whichever method made it");
        byte[] second = encoder.encodeForSend(2, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE);
        assertTrue(first == second, "a record of the same size goes out in the same array");
        assertEquals(2L, decode(second).get("id"));
        byte[] other = encoder.encodeForSend(3, new RowChange(ORDERS, Operation.DELETE, row2(), null, POS), ROUTE);
        assertFalse(other == second, "another size, another array");
        assertEquals(2L, decode(second).get("id"), "a record of another size leaves it as it was");
        assertArrayEquals(keptCopy, kept, "encode's arrays are the caller's: never written again");

        // Above AvroBytes.REUSED_MAX a record gets an array of its own (the kept arrays stay small).
        Value[] big = row1();
        big[2] = new Value.CharacterValue("utf8mb4", new byte[AvroBytes.REUSED_MAX]);
        byte[] large = encoder.encodeForSend(4, new RowChange(ORDERS, Operation.INSERT, null, big, POS), ROUTE);
        byte[] largeCopy = large.clone();
        byte[] large2 = encoder.encodeForSend(5, new RowChange(ORDERS, Operation.INSERT, null, big, POS), ROUTE);
        assertFalse(large == large2);
        assertArrayEquals(largeCopy, large);
        assertEquals(5L, decode(large2).get("id"));
    }

    // ---------------------------------------------------------------- randomized byte equality

    /** Edge texts: empty, ASCII around the 1- and 2-byte varint lengths, multi-byte, a lone surrogate (written as '?'). */
    private static final String[] EDGE_TEXTS = {"", "a", "x".repeat(63), "y".repeat(64), "z".repeat(200),
            "é", "日本語", "emoji \uD83D\uDE00", "\uD800 lone", "ascii then é", "\u007f\u0080", "\"quoted\"\\"};

    private static final String[] EDGE_INTEGERS = {"0", "-1", "1", "127", "-128", "255", "2147483647", "-2147483648",
            "9223372036854775807", "-9223372036854775808", "18446744073709551615", "4294967295"};

    private static final String[] EDGE_DECIMALS = {"0", "0.00", "-0.05", "12.30", "99999999999999999999999999999999999",
            "-99999999999999999999999999999999999.999999999999999999999999999999",
            "12345678901234567890123456789012345.123456789012345678901234567890", "0.000000000000000000000000000001"};

    private static final double[] EDGE_DOUBLES = {0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE,
            Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1.5, -0.1, 3.4028234663852886E38};

    private static String pick(java.util.SplittableRandom rnd, String[] edges) {
        return edges[rnd.nextInt(edges.length)];
    }

    private static String randomText(java.util.SplittableRandom rnd) {
        if (rnd.nextInt(3) == 0) return pick(rnd, EDGE_TEXTS);
        StringBuilder sb = new StringBuilder();
        int n = rnd.nextInt(rnd.nextBoolean() ? 20 : 300);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(10);
            sb.append(kind < 7 ? (char) (0x20 + rnd.nextInt(0x5f)) : kind < 9 ? (char) (0x80 + rnd.nextInt(0x700))
                    : (char) rnd.nextInt(0x10000)); // any char, surrogates included
        }
        return sb.toString();
    }

    private static byte[] randomBytes(java.util.SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(rnd.nextBoolean() ? 10 : 400)];
        for (int i = 0; i < b.length; i++) b[i] = (byte) rnd.nextInt(256);
        return b;
    }

    /** Longs of every digit count and sign, and the edges. */
    private static long randomLong(java.util.SplittableRandom rnd) {
        long[] edges = {0, 1, -1, 9, 10, -9, -10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                Integer.MAX_VALUE, Integer.MIN_VALUE, 999_999_999_999_999_999L, 1_000_000_000_000_000_000L};
        if (rnd.nextInt(4) == 0) return edges[rnd.nextInt(edges.length)];
        long n = rnd.nextLong() >>> rnd.nextInt(64);
        return rnd.nextBoolean() ? -n : n;
    }

    private static Integer maybe(java.util.SplittableRandom rnd, int bound) {
        return rnd.nextInt(4) == 0 ? null : rnd.nextInt(-bound, bound + 1);
    }

    /** A random value of a random branch, and the record GenericDatumWriter gets for it. */
    private static Object[] randomValue(java.util.SplittableRandom rnd) {
        switch (rnd.nextInt(11)) {
            case 0: return new Object[]{null, null};
            case 1: {
                int p = rnd.nextInt(-1, 300);
                if (rnd.nextBoolean()) { // held as a number (the binlog's integers): the same bytes as its text
                    long n = randomLong(rnd);
                    return new Object[]{Value.IntegerValue.of(p, n), integer(p, Long.toString(n))};
                }
                String v = rnd.nextBoolean() ? pick(rnd, EDGE_INTEGERS) : Long.toString(rnd.nextLong());
                return new Object[]{new Value.IntegerValue(p, v), integer(p, v)};
            }
            case 2: {
                byte[] b = randomBytes(rnd);
                String cs = rnd.nextBoolean() ? "utf8mb4" : "binary";
                return new Object[]{new Value.CharacterValue(cs, b), character(cs, b)};
            }
            case 3: {
                String v = rnd.nextBoolean() ? pick(rnd, EDGE_DECIMALS)
                        : new java.math.BigDecimal(new java.math.BigInteger(rnd.nextInt(1, 216), new java.util.Random(rnd.nextLong())),
                                rnd.nextInt(31)).negate().toPlainString();
                return new Object[]{new Value.DecimalValue(v, 65, 30), decimal(v, 65, 30)};
            }
            case 4: {
                double d = rnd.nextBoolean() ? EDGE_DOUBLES[rnd.nextInt(EDGE_DOUBLES.length)] : Double.longBitsToDouble(rnd.nextLong());
                int p = rnd.nextInt(-1, 54), sc = rnd.nextInt(-1, 31);
                return new Object[]{new Value.FloatValue(d, p, sc), flt(d, p, sc)};
            }
            case 5: {
                long t = rnd.nextBoolean() ? rnd.nextLong() : rnd.nextLong(0, 1L << 32);
                int us = rnd.nextInt(0, 1_000_000);
                return new Object[]{new Value.TimestampValue(t, us), timestamp(t, us)};
            }
            case 6: {
                Integer y = maybe(rnd, 10_000), mo = maybe(rnd, 12), d = maybe(rnd, 31), h = maybe(rnd, 838),
                        mi = maybe(rnd, 59), sec = maybe(rnd, 59), us = rnd.nextBoolean() ? maybe(rnd, 999_999) : Integer.valueOf(Integer.MIN_VALUE);
                return new Object[]{new Value.DateTimeValue(y, mo, d, h, mi, sec, us), dateTime(y, mo, d, h, mi, sec, us)};
            }
            case 7: {
                byte[] b = randomBytes(rnd);
                String type = rnd.nextBoolean() ? "POINT" : "GEOMETRYCOLLECTION";
                return new Object[]{new Value.BinaryGeometryValue(type, b), geometry(type, b)};
            }
            case 8: {
                byte[] b = randomBytes(rnd);
                return new Object[]{new Value.BinaryObjectValue("BLOB", b), blob(b)};
            }
            default: {
                String type = new String[]{"ENUM", "SET", "JSON"}[rnd.nextInt(3)];
                String v = randomText(rnd);
                return new Object[]{new Value.TextObjectValue(type, v), text(type, v)};
            }
        }
    }

    @Test
    void randomRecordsAreByteForByteWhatGenericDatumWriterWrites() throws IOException {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(20261125);
        ColumnType[] types = ColumnType.values();
        String[] files = {"mysql-bin.000004", "mysql-bin.999999", "binlog.1234567", "no-number", "日志.x", "mysql-bin.000001"};
        String[] sourceNames = {SOURCE_NAME, "", "源-db"};
        for (int round = 0; round < 500; round++) {
            String sourceName = sourceNames[round % sourceNames.length];
            DtsAvroEncoder encoder = new DtsAvroEncoder(sourceName, SOURCE_VERSION); // several records per encoder
            for (int k = 0; k < 4; k++) {
                int n = rnd.nextInt(k == 0 ? 3 : 80);
                List<Column> columns = new ArrayList<>();
                List<String> names = new ArrayList<>();
                int[] numbers = new int[n];
                Value[] before = new Value[n], after = new Value[n];
                List<Object> expectedBefore = new ArrayList<>(), expectedAfter = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ColumnType t = types[rnd.nextInt(types.length)];
                    columns.add(Column.of("c" + i, t));
                    names.add(rnd.nextInt(10) == 0 ? randomText(rnd) : "col_" + i);
                    numbers[i] = t.typeCode();
                    Object[] b = randomValue(rnd), a = rnd.nextInt(3) == 0 ? b : randomValue(rnd); // an UPDATE's unchanged cell: one instance
                    before[i] = (Value) b[0];
                    after[i] = (Value) a[0];
                    expectedBefore.add(b[1]);
                    expectedAfter.add(a[1]);
                }
                Map<String, List<String>> keys = n == 0 ? Map.of() : Map.of("PRIMARY", List.of("c0"));
                TableSchema table = new TableSchema(new TableId("db", "t" + k), columns, keys);
                String objectName = rnd.nextInt(5) == 0 ? randomText(rnd) : "db.t" + k;
                Route route = new Route("topic", objectName, names);
                String file = files[rnd.nextInt(files.length)];
                long end = rnd.nextBoolean() ? rnd.nextLong(0, Long.MAX_VALUE) : rnd.nextInt(0, 200);
                SourcePosition pos = new SourcePosition(file, end, rnd.nextLong(0, end + 1),
                        rnd.nextBoolean() ? "" : randomText(rnd), rnd.nextLong(0, 1L << 40));
                Operation op = Operation.values()[rnd.nextInt(Operation.values().length)];
                long id = rnd.nextLong();
                boolean withBefore = rnd.nextBoolean(), withAfter = rnd.nextBoolean();

                RowChange change = new RowChange(table, op, withBefore ? before : null, withAfter ? after : null, pos);
                byte[] bytes = k % 2 == 0 ? encoder.encode(id, change, route) : encoder.encodeForSend(id, change, route);

                Map<String, String> tags = new LinkedHashMap<>();
                tags.put("pk_uk_info", n == 0 ? "{}" : "{\"PRIMARY\":[" + jsonQuoted(names.get(0)) + "]}");
                tags.put("source", sourceName);
                GenericRecord expected = envelope(id, pos, pos.dtsPosition(), pos.dtsSafePosition(), op.name(),
                        objectName, tags, expectedFields(names, numbers),
                        withBefore ? expectedBefore : null, withAfter ? expectedAfter : null);
                assertArrayEquals(avroWrite(expected), bytes, "round " + round + ", record " + k);

                String ddl = randomText(rnd);
                boolean ofTable = rnd.nextBoolean(); // else a database statement or a dropped table: no keys
                Map<String, String> ddlTags = new LinkedHashMap<>();
                ddlTags.put("pk_uk_info", ofTable ? tags.get("pk_uk_info") : "{}");
                ddlTags.put("source", sourceName);
                String ddlObject = rnd.nextBoolean() ? null : objectName;
                assertArrayEquals(avroWrite(envelope(id, pos, pos.dtsPosition(), pos.dtsSafePosition(), "DDL", ddlObject,
                        ddlTags, null, null, ddl)), encoder.encodeDdl(id, pos, ddlObject, ddl, ofTable ? table : null,
                        ofTable ? route : null), "DDL, round " + round);
            }
        }
    }

    /** The key column name as pk_uk_info writes it (random names may hold quotes, backslashes and control chars). */
    private static String jsonQuoted(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }

    // ---------------------------------------------------------------- DDL

    @Test
    void ddlPutsTheStatementInAfterImages() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        String ddl = "ALTER TABLE `orders` ADD COLUMN `note` text";
        byte[] bytes = encoder.encodeDdl(77, POS, "shop.orders", ddl, ORDERS, ROUTE);

        GenericRecord r = decode(bytes);
        assertEnvelope(r, 77, "DDL", "shop.orders");
        assertEquals(SOURCE_NAME, tags(r).get("source"));
        assertEquals(dmlTags().get("pk_uk_info"), tags(r).get("pk_uk_info"), "FORMAT.md: every record has pk_uk_info");
        assertNull(r.get("fields"), "DDL has no fields");
        assertNull(r.get("beforeImages"));
        assertInstanceOf(CharSequence.class, r.get("afterImages"), "afterImages should be the string branch");
        assertEquals(ddl, r.get("afterImages").toString());

        GenericRecord expected = envelope(77, POS, "2196@4", "1800@4", "DDL", "shop.orders", dmlTags(), null, null, ddl);
        assertArrayEquals(avroWrite(expected), bytes);
    }

    @Test
    void ddlKeysUseTheTargetColumnNamesAndAreEmptyWithoutATable() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        TableSchema t = new TableSchema(new TableId("shop", "items"), List.of(col("id", ColumnType.INT, false, 10, 0, null, null)),
                Map.of("PRIMARY", List.of("id")));
        Route mapped = new Route("t", "shop_prod.items", List.of("item_id"));
        String add = "ALTER TABLE items ADD PRIMARY KEY (id)";
        byte[] bytes = encoder.encodeDdl(5, POS, "shop_prod.items", add, t, mapped);
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("pk_uk_info", "{\"PRIMARY\":[\"item_id\"]}");
        tags.put("source", SOURCE_NAME);
        assertArrayEquals(avroWrite(envelope(5, POS, "2196@4", "1800@4", "DDL", "shop_prod.items", tags, null, null, add)), bytes);

        // A dropped table has no definition after the statement.
        String drop = "DROP TABLE `items` /* generated by server */";
        bytes = encoder.encodeDdl(6, POS, "shop_prod.items", drop, null, null);
        tags.put("pk_uk_info", "{}");
        assertEquals("{}", tags(decode(bytes)).get("pk_uk_info"));
        assertArrayEquals(avroWrite(envelope(6, POS, "2196@4", "1800@4", "DDL", "shop_prod.items", tags, null, null, drop)), bytes);
    }

    @Test
    void ddlWithoutObjectNameUsesTheNullBranch() throws IOException {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        String ddl = "CREATE DATABASE `shop2` /* é */";
        byte[] bytes = encoder.encodeDdl(78, POS, null, ddl, null, null);
        GenericRecord r = decode(bytes);
        assertNull(r.get("objectName"));
        assertEquals(ddl, r.get("afterImages").toString());

        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("pk_uk_info", "{}");
        tags.put("source", SOURCE_NAME);
        GenericRecord expected = envelope(78, POS, "2196@4", "1800@4", "DDL", null, tags, null, null, ddl);
        assertArrayEquals(avroWrite(expected), bytes);
    }

    @Test
    void ddlWithoutGtidHasAnEmptyTxid() throws IOException {
        // A DDL statement logged without GTIDs has no XID either.
        SourcePosition noGtid = new SourcePosition("mysql-bin.000004", 2196, 1800, "", 1_700_000_123L);
        byte[] bytes = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION).encodeDdl(79, noGtid, "shop.orders", "TRUNCATE orders", ORDERS, ROUTE);
        assertEquals("", decode(bytes).get("sourceTxid").toString());
        assertArrayEquals(avroWrite(envelope(79, noGtid, "2196@4", "1800@4", "DDL", "shop.orders", dmlTags(), null, null,
                "TRUNCATE orders")), bytes);
    }

    // ---------------------------------------------------------------- ids

    @Test
    void recordIdsReadsTheIdBack() {
        DtsAvroEncoder encoder = new DtsAvroEncoder(SOURCE_NAME, SOURCE_VERSION);
        for (long id : new long[]{0, 1, 63, 64, 300, 1L << 40, Long.MAX_VALUE}) {
            assertEquals(id, DtsRecordIds.id(encoder.encode(id, new RowChange(ORDERS, Operation.INSERT, null, row1(), POS), ROUTE)));
            assertEquals(id, DtsRecordIds.id(encoder.encodeDdl(id, POS, "shop.orders", "DROP TABLE x", null, null)));
        }
    }

    @Test
    void recordIdsRejectsTruncatedInput() {
        assertThrowsIae(new byte[0]);
        assertThrowsIae(new byte[]{2}); // version 1, then nothing
    }

    private static void assertThrowsIae(byte[] bytes) {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DtsRecordIds.id(bytes));
    }
}
