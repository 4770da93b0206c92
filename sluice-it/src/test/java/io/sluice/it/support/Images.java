package io.sluice.it.support;

import io.sluice.core.model.Value;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Maps decoded Avro image items (generic records by schema name) to value records, for comparisons. */
public final class Images {

    private Images() {}

    public static List<Value> of(GenericRecord record, String field) {
        Object image = record.get(field);
        if (image == null) return null;
        List<Value> values = new ArrayList<>();
        for (Object item : (GenericData.Array<?>) image) values.add(value((GenericRecord) item));
        return values;
    }

    public static List<String> fieldNames(GenericRecord record) {
        List<String> names = new ArrayList<>();
        for (Object f : (GenericData.Array<?>) record.get("fields")) names.add(((GenericRecord) f).get("name").toString());
        return names;
    }

    public static List<Integer> fieldTypes(GenericRecord record) {
        List<Integer> types = new ArrayList<>();
        for (Object f : (GenericData.Array<?>) record.get("fields")) types.add((Integer) ((GenericRecord) f).get("dataTypeNumber"));
        return types;
    }

    static Value value(GenericRecord v) {
        if (v == null) return null;
        return switch (v.getSchema().getName()) {
            case "Integer" -> new Value.IntegerValue((Integer) v.get("precision"), v.get("value").toString());
            case "Character" -> new Value.CharacterValue(v.get("charset").toString(), bytes(v.get("value")));
            case "Decimal" -> new Value.DecimalValue(v.get("value").toString(), (Integer) v.get("precision"), (Integer) v.get("scale"));
            case "Float" -> new Value.FloatValue((Double) v.get("value"), (Integer) v.get("precision"), (Integer) v.get("scale"));
            case "Timestamp" -> new Value.TimestampValue((Long) v.get("timestamp"), (Integer) v.get("millis"));
            case "DateTime" -> new Value.DateTimeValue((Integer) v.get("year"), (Integer) v.get("month"), (Integer) v.get("day"),
                    (Integer) v.get("hour"), (Integer) v.get("minute"), (Integer) v.get("second"), (Integer) v.get("millis"));
            case "BinaryGeometry" -> new Value.BinaryGeometryValue(v.get("type").toString(), bytes(v.get("value")));
            case "BinaryObject" -> new Value.BinaryObjectValue(v.get("type").toString(), bytes(v.get("value")));
            case "TextObject" -> new Value.TextObjectValue(v.get("type").toString(), v.get("value").toString());
            default -> throw new IllegalArgumentException("unexpected branch " + v.getSchema().getName());
        };
    }

    private static byte[] bytes(Object o) {
        ByteBuffer b = ((ByteBuffer) o).duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /** The first column of an image, the tests' integer primary key, as text. */
    public static String id(List<Value> image) {
        return ((Value.IntegerValue) image.get(0)).value();
    }

    /** Each record is an INIT record whose after image equals, column by column, the streamed image of its row (by id). */
    public static void assertInitRecordsEqual(List<GenericRecord> records, java.util.Map<String, List<Value>> streamed) {
        for (GenericRecord r : records) {
            org.junit.jupiter.api.Assertions.assertEquals("INIT", r.get("operation").toString());
            List<Value> after = of(r, "afterImages");
            List<Value> expected = streamed.get(id(after));
            org.junit.jupiter.api.Assertions.assertNotNull(expected, id(after));
            List<String> names = fieldNames(r);
            for (int i = 0; i < expected.size(); i++) {
                org.junit.jupiter.api.Assertions.assertEquals(expected.get(i), after.get(i), "column " + names.get(i) + " of row " + id(after));
            }
        }
    }
}
