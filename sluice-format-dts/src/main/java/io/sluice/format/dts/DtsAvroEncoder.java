package io.sluice.format.dts;

import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes one DTS Avro {@code Record} (Record.avsc) per row change: plain Avro binary, no header,
 * no registry prefix.
 *
 * <p>It walks the schema by hand over Avro's {@link BinaryEncoder} instead of building a
 * GenericRecord per row: no per-row object graph, and each table's {@code fields} array and
 * {@code pk_uk_info} tag are encoded once per schema version. {@code DtsAvroEncoderTest} checks the
 * bytes against Avro's own GenericDatumWriter for the published schema. Not thread-safe: one per thread.
 */
public final class DtsAvroEncoder {

    /** Branch indexes of the value union in Record.avsc (beforeImages/afterImages items). */
    private static final int NULL = 0, INTEGER = 1, CHARACTER = 2, DECIMAL = 3, FLOAT = 4, TIMESTAMP = 5,
            DATETIME = 6, BINARY_GEOMETRY = 8, BINARY_OBJECT = 10, TEXT_OBJECT = 11;
    /** Branch indexes of the fields/beforeImages/afterImages unions: [null, string, array]. */
    private static final int UNION_NULL = 0, UNION_STRING = 1, UNION_ARRAY = 2;
    private static final int SOURCE_TYPE_MYSQL = 0;
    public static final String TAG_PK_UK_INFO = "pk_uk_info";
    public static final String TAG_SOURCE = "source";

    private final String sourceName;
    private final String sourceVersion;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
    /** Buffered: a direct encoder writes byte by byte into the (synchronized) stream, the hottest spot in profiles. */
    private final BinaryEncoder out = EncoderFactory.get().binaryEncoder(buffer, null);
    /** Keyed by identity: the router makes one Route per table schema version. */
    private final Map<Route, TableHeader> headers = new java.util.IdentityHashMap<>();

    /** Per table and route: the encoded {@code fields} array and the pk_uk_info tag text. */
    private record TableHeader(byte[] fields, String pkUkInfo) {}

    public DtsAvroEncoder(String sourceName, String sourceVersion) {
        this.sourceName = sourceName;
        this.sourceVersion = sourceVersion;
    }

    public byte[] encode(long id, RowChange change, Route route) {
        try {
            buffer.reset();
            TableHeader header = header(change.table(), route);
            SourcePosition pos = change.position();
            writeEnvelope(id, pos, change.operation(), route.objectName());
            writeTags(header.pkUkInfo);
            out.writeIndex(UNION_ARRAY);
            out.writeFixed(header.fields);
            writeImage(change.before());
            writeImage(change.after());
            out.writeLong(pos.timestampSec() * 1000L);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A DDL record: the statement text in afterImages, no fields or images. Its tags carry
     * {@code pk_uk_info} like every record (FORMAT.md): the keys of the table right after the
     * statement under their target names, {@code {}} when it has none (dropped, or a database statement).
     *
     * @param after the table's definition after the statement, or null
     * @param route the route of {@code after} (target column names), null when {@code after} is
     */
    public byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route) {
        try {
            buffer.reset();
            String pkUkInfo = after == null ? "{}" : header(after, route).pkUkInfo;
            writeEnvelope(id, pos, Operation.DDL, objectName);
            writeTags(pkUkInfo);
            out.writeIndex(UNION_NULL);
            out.writeIndex(UNION_NULL);
            out.writeIndex(UNION_STRING);
            out.writeString(ddl);
            out.writeLong(pos.timestampSec() * 1000L);
            out.flush();
            return buffer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTags(String pkUkInfo) throws IOException {
        out.writeMapStart();
        out.setItemCount(2);
        out.startItem();
        out.writeString(TAG_PK_UK_INFO);
        out.writeString(pkUkInfo);
        out.startItem();
        out.writeString(TAG_SOURCE);
        out.writeString(sourceName);
        out.writeMapEnd();
    }

    /** The table's encoded header for this route, made once per route (schema version). */
    private TableHeader header(TableSchema table, Route route) {
        if (headers.size() >= 10_000) headers.clear(); // bound: routes of dropped schema versions
        return headers.computeIfAbsent(route, r -> encodeHeader(table, r));
    }

    private void writeEnvelope(long id, SourcePosition pos, Operation op, String objectName) throws IOException {
        out.writeInt(1);
        out.writeLong(id);
        out.writeLong(pos.timestampSec());
        out.writeString(pos.dtsPosition());
        out.writeString(pos.dtsSafePosition());
        out.writeString(pos.txId());
        out.writeEnum(SOURCE_TYPE_MYSQL);
        out.writeString(sourceVersion);
        out.writeEnum(operationIndex(op));
        if (objectName == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeString(objectName);
        }
        out.writeIndex(0); // processTimestamps: null
    }

    /** Index of the operation in the Operation enum of Record.avsc. */
    static int operationIndex(Operation op) {
        return switch (op) {
            case INSERT -> 0;
            case UPDATE -> 1;
            case DELETE -> 2;
            case DDL -> 3;
            case BEGIN -> 4;
            case COMMIT -> 5;
            case HEARTBEAT -> 8;
            case INIT -> 16;
        };
    }

    private void writeImage(Value[] image) throws IOException {
        if (image == null) {
            out.writeIndex(UNION_NULL);
            return;
        }
        out.writeIndex(UNION_ARRAY);
        out.writeArrayStart();
        out.setItemCount(image.length);
        for (Value v : image) {
            out.startItem();
            writeValue(v);
        }
        out.writeArrayEnd();
    }

    private void writeValue(Value v) throws IOException {
        if (v == null) {
            out.writeIndex(NULL);
            return;
        }
        if (v instanceof Value.IntegerValue i) {
            out.writeIndex(INTEGER);
            out.writeInt(i.precision());
            out.writeString(i.value());
        } else if (v instanceof Value.CharacterValue c) {
            out.writeIndex(CHARACTER);
            out.writeString(c.charset());
            out.writeBytes(c.value());
        } else if (v instanceof Value.DecimalValue d) {
            out.writeIndex(DECIMAL);
            out.writeString(d.value());
            out.writeInt(d.precision());
            out.writeInt(d.scale());
        } else if (v instanceof Value.FloatValue f) {
            out.writeIndex(FLOAT);
            out.writeDouble(f.value());
            out.writeInt(f.precision());
            out.writeInt(f.scale());
        } else if (v instanceof Value.TimestampValue t) {
            out.writeIndex(TIMESTAMP);
            out.writeLong(t.timestamp());
            out.writeInt(t.millis());
        } else if (v instanceof Value.DateTimeValue d) {
            out.writeIndex(DATETIME);
            writeOptionalInt(d.year());
            writeOptionalInt(d.month());
            writeOptionalInt(d.day());
            writeOptionalInt(d.hour());
            writeOptionalInt(d.minute());
            writeOptionalInt(d.second());
            writeOptionalInt(d.millis());
        } else if (v instanceof Value.BinaryGeometryValue g) {
            out.writeIndex(BINARY_GEOMETRY);
            out.writeString(g.type());
            out.writeBytes(g.value());
        } else if (v instanceof Value.BinaryObjectValue b) {
            out.writeIndex(BINARY_OBJECT);
            out.writeString(b.type());
            out.writeBytes(b.value());
        } else if (v instanceof Value.TextObjectValue t) {
            out.writeIndex(TEXT_OBJECT);
            out.writeString(t.type());
            out.writeString(t.value());
        }
    }

    private void writeOptionalInt(Integer i) throws IOException {
        if (i == null) {
            out.writeIndex(0);
        } else {
            out.writeIndex(1);
            out.writeInt(i);
        }
    }

    private static TableHeader encodeHeader(TableSchema table, Route route) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(bytes, null);
            List<Column> columns = table.columns();
            e.writeArrayStart();
            e.setItemCount(columns.size());
            for (int i = 0; i < columns.size(); i++) {
                e.startItem();
                e.writeString(route.fieldNames().get(i));
                e.writeInt(columns.get(i).type().typeCode());
            }
            e.writeArrayEnd();
            e.flush();
            // Key columns under their target names, as in fields: consumers look them up there.
            Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
            table.keys().forEach((name, cols) -> keys.put(name, cols.stream().map(col -> {
                int i = table.indexOf(col);
                return i >= 0 ? route.fieldNames().get(i) : col;
            }).toList()));
            return new TableHeader(bytes.toByteArray(), pkUkInfo(keys));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** {"PRIMARY":["id"],"uk_email":["email"]} */
    static String pkUkInfo(Map<String, List<String>> keys) {
        StringBuilder sb = new StringBuilder("{");
        keys.forEach((name, cols) -> {
            if (sb.length() > 1) sb.append(',');
            sb.append(jsonString(name)).append(":[");
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) sb.append(',');
                sb.append(jsonString(cols.get(i)));
            }
            sb.append(']');
        });
        return sb.append('}').toString();
    }

    private static String jsonString(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The published schema bundled with this module (identical to shared/dts-avro/Record.avsc). */
    public static String schemaText() {
        try (var in = DtsAvroEncoder.class.getResourceAsStream("Record.avsc")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
