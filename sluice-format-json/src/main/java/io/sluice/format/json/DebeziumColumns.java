package io.sluice.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Value;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Columns as Debezium's MySQL connector gives them in its default modes (JdbcValueConverters,
 * BinlogValueConverters): decimal.handling.mode=precise, time.precision.mode=adaptive_time_microseconds,
 * binary.handling.mode=bytes; BIGINT UNSIGNED as bigint.unsigned.handling.mode=precise (not the
 * default long, which wraps values above 2^63-1). The Connect schema of each column and its value
 * as Kafka Connect's JsonConverter writes it (bytes as base64).
 */
final class DebeziumColumns {

    private DebeziumColumns() {}

    /** The Connect field schema of a column, as JsonConverter writes it, without "field". */
    static void writeSchema(JsonGenerator g, Column c, boolean optional, String field) throws IOException {
        g.writeStartObject();
        boolean unsigned = c.unsigned();
        switch (c.type()) {
            case TINYINT -> g.writeStringField("type", "int16");
            case SMALLINT -> g.writeStringField("type", unsigned ? "int32" : "int16");
            case MEDIUMINT -> g.writeStringField("type", "int32");
            case INT -> g.writeStringField("type", unsigned ? "int64" : "int32");
            case BIGINT -> {
                if (unsigned) decimalSchema(g, 20, 0);
                else g.writeStringField("type", "int64");
            }
            case BIT -> {
                if (c.precision() <= 1) {
                    g.writeStringField("type", "boolean");
                } else {
                    g.writeStringField("type", "bytes");
                    g.writeStringField("name", "io.debezium.data.Bits");
                    g.writeNumberField("version", 1);
                    g.writeObjectFieldStart("parameters");
                    g.writeStringField("length", Integer.toString(c.precision()));
                    g.writeEndObject();
                }
            }
            case DECIMAL -> decimalSchema(g, c.precision(), Math.max(0, c.scale()));
            case FLOAT -> g.writeStringField("type", c.scale() < 0 ? "float" : "double");
            case DOUBLE -> g.writeStringField("type", "double");
            case DATE -> logical(g, "int32", "io.debezium.time.Date");
            case TIME -> logical(g, "int64", "io.debezium.time.MicroTime");
            case DATETIME -> logical(g, "int64", c.precision() <= 3 ? "io.debezium.time.Timestamp" : "io.debezium.time.MicroTimestamp");
            case TIMESTAMP -> logical(g, "string", "io.debezium.time.ZonedTimestamp");
            case YEAR -> logical(g, "int32", "io.debezium.time.Year");
            case CHAR, VARCHAR, TEXT -> g.writeStringField("type", MysqlText.isBinary(c) ? "bytes" : "string");
            case BINARY, VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> g.writeStringField("type", "bytes");
            case ENUM, SET -> {
                logical(g, "string", c.type() == ColumnType.ENUM ? "io.debezium.data.Enum" : "io.debezium.data.EnumSet");
                g.writeObjectFieldStart("parameters");
                g.writeStringField("allowed", String.join(",", c.labels()));
                g.writeEndObject();
            }
            case JSON -> logical(g, "string", "io.debezium.data.Json");
            case GEOMETRY -> {
                g.writeStringField("type", "struct");
                g.writeArrayFieldStart("fields");
                if (isPoint(c)) {
                    g.writeRawValue("{\"type\":\"double\",\"optional\":false,\"field\":\"x\"}");
                    g.writeRawValue("{\"type\":\"double\",\"optional\":false,\"field\":\"y\"}");
                    g.writeRawValue("{\"type\":\"bytes\",\"optional\":true,\"field\":\"wkb\"}");
                    g.writeRawValue("{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}");
                    g.writeEndArray();
                    g.writeStringField("name", "io.debezium.data.geometry.Point");
                    g.writeNumberField("version", 1);
                    g.writeStringField("doc", "Geometry (POINT)");
                    break;
                }
                g.writeRawValue("{\"type\":\"bytes\",\"optional\":false,\"field\":\"wkb\"}");
                g.writeRawValue("{\"type\":\"int32\",\"optional\":true,\"field\":\"srid\"}");
                g.writeEndArray();
                g.writeStringField("name", "io.debezium.data.geometry.Geometry");
                g.writeNumberField("version", 1);
                g.writeStringField("doc", "Geometry");
            }
        }
        g.writeBooleanField("optional", optional);
        g.writeStringField("field", field);
        g.writeEndObject();
    }

    private static void logical(JsonGenerator g, String type, String name) throws IOException {
        g.writeStringField("type", type);
        g.writeStringField("name", name);
        g.writeNumberField("version", 1);
    }

    private static void decimalSchema(JsonGenerator g, int precision, int scale) throws IOException {
        g.writeStringField("type", "bytes");
        g.writeStringField("name", "org.apache.kafka.connect.data.Decimal");
        g.writeNumberField("version", 1);
        g.writeObjectFieldStart("parameters");
        g.writeStringField("scale", Integer.toString(scale));
        g.writeStringField("connect.decimal.precision", Integer.toString(precision));
        g.writeEndObject();
    }

    private static long asLong(Value.IntegerValue i) {
        return i.isNumber() ? i.number() : Long.parseLong(i.value());
    }

    /**
     * A value as JsonConverter writes the Connect value Debezium makes of it. A zero date (DATE,
     * DATETIME, TIMESTAMP) is null in an optional field; a required (NOT NULL) one gets the epoch,
     * Debezium's fallback for a value it cannot convert into a required field.
     */
    static void writeValue(JsonGenerator g, Column c, Value v, boolean optional) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT -> g.writeNumber(asLong((Value.IntegerValue) v));
            case BIGINT -> {
                Value.IntegerValue i = (Value.IntegerValue) v;
                if (c.unsigned()) g.writeBinary(new BigInteger(i.value()).toByteArray());
                else g.writeNumber(asLong(i));
            }
            case BIT -> {
                BigInteger bits = new BigInteger(((Value.IntegerValue) v).value());
                if (c.precision() <= 1) g.writeBoolean(bits.signum() != 0);
                else g.writeBinary(littleEndian(bits, (c.precision() + 7) / 8));
            }
            case DECIMAL -> g.writeBinary(new BigDecimal(((Value.DecimalValue) v).value()).setScale(Math.max(0, c.scale()))
                    .unscaledValue().toByteArray());
            case FLOAT -> {
                float f = MysqlText.asFloat((Value.FloatValue) v);
                if (c.scale() < 0) g.writeNumber(f);
                else g.writeNumber((double) f); // Debezium widens the binlog's float (convertFloat -> Float.doubleValue)
            }
            case DOUBLE -> g.writeNumber(((Value.FloatValue) v).value());
            case DATE -> {
                Value.DateTimeValue d = (Value.DateTimeValue) v;
                if (d.month() == 0 || d.day() == 0) zeroDate(g, optional);
                else g.writeNumber(LocalDate.of(d.year(), d.month(), d.day()).toEpochDay());
            }
            case TIME -> {
                Value.DateTimeValue t = (Value.DateTimeValue) v;
                g.writeNumber(t.hour() * 3_600_000_000L + t.minute() * 60_000_000L + t.second() * 1_000_000L
                        + (t.millis() == null ? 0 : t.millis()));
            }
            case DATETIME -> {
                Value.DateTimeValue d = (Value.DateTimeValue) v;
                if (d.month() == 0 || d.day() == 0) {
                    zeroDate(g, optional);
                } else {
                    long sec = LocalDateTime.of(d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second()).toEpochSecond(ZoneOffset.UTC);
                    int micros = d.millis() == null ? 0 : d.millis();
                    g.writeNumber(c.precision() <= 3 ? sec * 1000 + micros / 1000 : sec * 1_000_000 + micros);
                }
            }
            case TIMESTAMP -> {
                Value.TimestampValue t = (Value.TimestampValue) v;
                // 0 seconds is only ever the zero TIMESTAMP: the type's range starts at 1970-01-01 00:00:01 UTC
                if (optional && t.timestamp() == 0 && t.millis() == 0) g.writeNull();
                else g.writeString(zonedTimestamp(t, MysqlText.fsp(c)));
            }
            case YEAR -> g.writeNumber(((Value.DateTimeValue) v).year());
            case CHAR, VARCHAR, TEXT -> {
                Value.CharacterValue ch = (Value.CharacterValue) v;
                if (MysqlText.isBinary(c)) g.writeBinary(ch.value());
                else g.writeString(MysqlText.characters(ch));
            }
            case BINARY, VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> g.writeBinary(MysqlText.bytes(v));
            case ENUM, SET, JSON -> g.writeString(((Value.TextObjectValue) v).value());
            case GEOMETRY -> {
                byte[] stored = MysqlText.bytes(v); // 4-byte little-endian SRID, then WKB
                g.writeStartObject();
                if (isPoint(c)) { // WKB point: byte order, type (4 bytes), x, y
                    ByteBuffer wkb = ByteBuffer.wrap(stored, 4, stored.length - 4);
                    wkb.order(stored[4] == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                    g.writeNumberField("x", wkb.getDouble(4 + 5));
                    g.writeNumberField("y", wkb.getDouble(4 + 13));
                }
                g.writeFieldName("wkb");
                g.writeBinary(Arrays.copyOfRange(stored, 4, stored.length));
                int srid = ByteBuffer.wrap(stored, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (srid == 0) g.writeNullField("srid"); // as Debezium's MySqlGeometry: SRID 0 (none) is null
                else g.writeNumberField("srid", srid);
                g.writeEndObject();
            }
        }
    }

    private static void zeroDate(JsonGenerator g, boolean optional) throws IOException {
        if (optional) g.writeNull();
        else g.writeNumber(0);
    }

    /** A POINT column: Debezium gives it io.debezium.data.geometry.Point (x, y, wkb, srid). */
    private static boolean isPoint(Column c) {
        return c.subtype() != null && c.subtype().equalsIgnoreCase("point");
    }

    /** io.debezium.data.Bits: the value's bytes least significant first, {@code length} of them. */
    private static byte[] littleEndian(BigInteger bits, int length) {
        byte[] be = bits.toByteArray();
        byte[] out = new byte[length];
        for (int i = 0; i < length && i < be.length; i++) out[i] = be[be.length - 1 - i];
        return out;
    }

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss");

    /** io.debezium.time.ZonedTimestamp: ISO-8601 in UTC with the column's fraction digits; the zero TIMESTAMP as the epoch. */
    static String zonedTimestamp(Value.TimestampValue t, int fsp) {
        StringBuilder sb = new StringBuilder(SECONDS.format(LocalDateTime.ofInstant(Instant.ofEpochSecond(t.timestamp()), ZoneOffset.UTC)));
        if (fsp > 0) sb.append('.').append(String.valueOf(1_000_000 + t.millis()), 1, 1 + fsp);
        return sb.append('Z').toString();
    }
}
