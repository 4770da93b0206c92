package io.sluice.format.dts;

import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Writes one DTS Avro {@code Record} (Record.avsc) per row change: plain Avro binary, no header,
 * no registry prefix.
 *
 * <p>It walks the schema by hand into one reused {@link AvroBytes} instead of building a
 * GenericRecord per row: no per-row object graph, and the only allocation per record is the
 * returned array ({@link #encode}), or none ({@link #encodeForSend}: one kept array per record
 * size, for a record the Kafka producer copies at once). What is the same for every row of a table and route ({@code objectName}, the
 * tags with {@code pk_uk_info}, the {@code fields} array) is encoded once per schema version; the
 * positions are written as digits plus a cached {@code @<file number>}. {@code DtsAvroEncoderTest}
 * checks the bytes against Avro's own GenericDatumWriter for the published schema. Not
 * thread-safe: one per thread.
 */
public final class DtsAvroEncoder implements io.sluice.core.format.RecordEncoder {

    /** Branch indexes of the value union in Record.avsc (beforeImages/afterImages items). */
    private static final int NULL = 0, INTEGER = 1, CHARACTER = 2, DECIMAL = 3, FLOAT = 4, TIMESTAMP = 5,
            DATETIME = 6, BINARY_GEOMETRY = 8, BINARY_OBJECT = 10, TEXT_OBJECT = 11;
    /** Branch indexes of the fields/beforeImages/afterImages unions: [null, string, array]. */
    private static final int UNION_NULL = 0, UNION_STRING = 1, UNION_ARRAY = 2;
    private static final int SOURCE_TYPE_MYSQL = 0;
    public static final String TAG_PK_UK_INFO = "pk_uk_info";
    public static final String TAG_SOURCE = "source";

    private final String sourceName;
    /** The {@code source} record: type MySQL and the server version. */
    private final byte[] source;
    private final AvroBytes out = new AvroBytes(1024);
    /** Keyed by identity: the router makes one Route per table schema version. */
    private final Map<Route, byte[]> headers = new java.util.IdentityHashMap<>();
    /** The route of the last record and its header: rows come in runs of one table (no map lookup for them). */
    private Route lastRoute;
    private byte[] lastHeader;
    /** Where each cell of the last before image starts in {@link #out}, then where the image's cells end. */
    private int[] cellStarts = new int[17];
    /** The binlog file of the last position and its encoded {@code @<number>}: positions change file rarely. */
    private String positionFile;
    private byte[] positionSuffix;

    public DtsAvroEncoder(String sourceName, String sourceVersion) {
        this.sourceName = sourceName;
        AvroBytes b = new AvroBytes(64);
        b.writeInt(SOURCE_TYPE_MYSQL);
        b.writeString(sourceVersion);
        this.source = b.toByteArray();
    }

    @Override
    public byte[] encode(long id, RowChange change, Route route) {
        write(id, change, route);
        return out.toByteArray();
    }

    /** {@link #encode} into an array of the record's exact size that a later call may overwrite (see the interface). */
    @Override
    public byte[] encodeForSend(long id, RowChange change, Route route) {
        write(id, change, route);
        return out.toReusedArray();
    }

    /** The record into {@link #out}. */
    private void write(long id, RowChange change, Route route) {
        out.reset();
        byte[] header = lastHeader;
        if (route != lastRoute) {
            if (headers.size() >= 10_000) headers.clear(); // bound: routes of dropped schema versions
            header = headers.get(route); // not computeIfAbsent: its capturing lambda was an object per record
            if (header == null) headers.put(route, header = header(change.table(), route));
            lastRoute = route;
            lastHeader = header;
        }
        SourcePosition pos = change.position();
        writeEnvelope(id, pos, change.operation());
        out.writeFixed(header);
        Value[] before = change.before(), after = change.after();
        if (before != null && after != null && before.length == after.length) {
            writeImages(before, after);
        } else {
            writeImage(before);
            writeImage(after);
        }
        out.writeLong(pos.timestampSec() * 1000L);
    }

    /**
     * An UPDATE's two images: a cell of the after image that is the before image's very {@code Value}
     * (the binlog reader shares the cells an UPDATE did not change) is a copy of its bytes, not
     * encoded again (a large unchanged JSON or TEXT cell is written once).
     */
    private void writeImages(Value[] before, Value[] after) {
        int n = before.length;
        if (cellStarts.length <= n) cellStarts = new int[Math.max(n + 1, 2 * cellStarts.length)];
        int[] starts = cellStarts;
        out.writeInt(UNION_ARRAY);
        if (n > 0) out.writeInt(n);
        for (int i = 0; i < n; i++) {
            starts[i] = out.position();
            writeValue(before[i]);
        }
        starts[n] = out.position();
        out.writeInt(0);
        out.writeInt(UNION_ARRAY);
        if (n > 0) out.writeInt(n);
        for (int i = 0; i < n; i++) {
            Value v = after[i];
            if (v != null && v == before[i]) out.writeCopy(starts[i], starts[i + 1]);
            else writeValue(v);
        }
        out.writeInt(0);
    }

    /**
     * A DDL record: the statement text in afterImages, no fields or images. Its tags carry
     * {@code pk_uk_info} like every record (FORMAT.md): the keys of the table right after the
     * statement under their target names, {@code {}} when it has none (dropped, or a database statement).
     *
     * @param after the table's definition after the statement, or null
     * @param route the route of {@code after} (target column names), null when {@code after} is
     */
    @Override
    public byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route) {
        out.reset();
        writeEnvelope(id, pos, Operation.DDL);
        writeObjectName(out, objectName);
        out.writeInt(0); // processTimestamps: null
        writeTags(out, after == null ? "{}" : pkUkInfo(after, route));
        out.writeInt(UNION_NULL);
        out.writeInt(UNION_NULL);
        out.writeInt(UNION_STRING);
        out.writeString(ddl);
        out.writeLong(pos.timestampSec() * 1000L);
        return out.toByteArray();
    }

    /** Patches the varint {@code id} (the second field): see {@link DtsRecordIds#withId}. */
    @Override
    public byte[] withId(long id, byte[] encoded) {
        return DtsRecordIds.withId(id, encoded);
    }

    /** Overwrites the id where the new one's varint is as long as the old one's: see {@link DtsRecordIds#withIdInPlace}. */
    @Override
    public byte[] withIdInPlace(long id, byte[] encoded, Route route) {
        return DtsRecordIds.withIdInPlace(id, encoded);
    }

    /** The fields from version to operation. */
    private void writeEnvelope(long id, SourcePosition pos, Operation op) {
        out.writeInt(1);
        out.writeLong(id);
        out.writeLong(pos.timestampSec());
        byte[] suffix = positionSuffix(pos.file());
        out.writeDigitsThen(pos.endPosition(), suffix); // pos.dtsPosition()
        out.writeDigitsThen(pos.txStart(), suffix);     // pos.dtsSafePosition()
        out.writeString(pos.txId());
        out.writeFixed(source);
        out.writeInt(operationIndex(op));
    }

    /** What follows the digits in {@link SourcePosition#dts}: {@code @<file number>} (or {@code @<file>}). */
    private byte[] positionSuffix(String file) {
        if (!file.equals(positionFile)) {
            positionSuffix = SourcePosition.dts(file, 0).substring(1).getBytes(StandardCharsets.UTF_8);
            positionFile = file;
        }
        return positionSuffix;
    }

    private static void writeObjectName(AvroBytes b, String objectName) {
        if (objectName == null) {
            b.writeInt(0);
        } else {
            b.writeInt(1);
            b.writeString(objectName);
        }
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

    private void writeImage(Value[] image) {
        if (image == null) {
            out.writeInt(UNION_NULL);
            return;
        }
        out.writeInt(UNION_ARRAY);
        if (image.length > 0) out.writeInt(image.length); // one block, then the empty block that ends the array
        for (Value v : image) writeValue(v);
        out.writeInt(0);
    }

    private void writeValue(Value v) {
        if (v == null) {
            out.writeInt(NULL);
            return;
        }
        if (v instanceof Value.IntegerValue i) {
            out.writeInt(INTEGER);
            out.writeInt(i.precision());
            if (i.isNumber()) out.writeDecimal(i.number());
            else out.writeString(i.value());
        } else if (v instanceof Value.CharacterValue c) {
            out.writeInt(CHARACTER);
            out.writeString(c.charset());
            out.writeBytes(c.value());
        } else if (v instanceof Value.DecimalValue d) {
            out.writeInt(DECIMAL);
            out.writeString(d.value());
            out.writeInt(d.precision());
            out.writeInt(d.scale());
        } else if (v instanceof Value.FloatValue f) {
            out.writeInt(FLOAT);
            out.writeDouble(f.value());
            out.writeInt(f.precision());
            out.writeInt(f.scale());
        } else if (v instanceof Value.TimestampValue t) {
            out.writeInt(TIMESTAMP);
            out.writeLong(t.timestamp());
            out.writeInt(t.millis());
        } else if (v instanceof Value.DateTimeValue d) {
            out.writeInt(DATETIME);
            for (int part = Value.DateTimeValue.YEAR; part <= Value.DateTimeValue.MILLIS; part++) {
                if (d.has(part)) {
                    out.writeInt(1);
                    out.writeInt(d.part(part));
                } else {
                    out.writeInt(0);
                }
            }
        } else if (v instanceof Value.BinaryGeometryValue g) {
            out.writeInt(BINARY_GEOMETRY);
            out.writeString(g.type());
            out.writeBytes(g.value());
        } else if (v instanceof Value.BinaryObjectValue b) {
            out.writeInt(BINARY_OBJECT);
            out.writeString(b.type());
            out.writeBytes(b.value());
        } else if (v instanceof Value.TextObjectValue t) {
            out.writeInt(TEXT_OBJECT);
            out.writeString(t.type());
            out.writeString(t.value());
        }
    }

    /**
     * Everything of a DML record from objectName to fields, which depends only on the table
     * schema and the route: objectName, processTimestamps (null), the tags map, the fields array.
     */
    private byte[] header(TableSchema table, Route route) {
        AvroBytes b = new AvroBytes(256);
        writeObjectName(b, route.objectName());
        b.writeInt(0); // processTimestamps: null
        writeTags(b, pkUkInfo(table, route));
        List<Column> columns = table.columns();
        b.writeInt(UNION_ARRAY);
        if (!columns.isEmpty()) b.writeInt(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            b.writeString(route.fieldNames().get(i));
            b.writeInt(columns.get(i).type().typeCode());
        }
        b.writeInt(0); // end of array
        return b.toByteArray();
    }

    /** The tags map: {@code pk_uk_info}, then {@code source}. */
    private void writeTags(AvroBytes b, String pkUkInfo) {
        b.writeInt(2);
        b.writeString(TAG_PK_UK_INFO);
        b.writeString(pkUkInfo);
        b.writeString(TAG_SOURCE);
        b.writeString(sourceName);
        b.writeInt(0); // end of map
    }

    /** The table's keys with their columns under their target names, as in fields: consumers look them up there. */
    private static String pkUkInfo(TableSchema table, Route route) {
        Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
        table.keys().forEach((name, cols) -> keys.put(name, cols.stream().map(col -> {
            int i = table.indexOf(col);
            return i >= 0 ? route.fieldNames().get(i) : col;
        }).toList()));
        return pkUkInfo(keys);
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
