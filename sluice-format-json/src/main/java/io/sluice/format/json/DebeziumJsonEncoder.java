package io.sluice.format.json;

import com.fasterxml.jackson.core.JsonGenerator;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.model.Column;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Route;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * Debezium's MySQL change event as Kafka Connect's JsonConverter writes it: the envelope
 * ({@code before}, {@code after}, {@code source}, {@code transaction}, {@code op}, {@code ts_ms}),
 * with or without the {@code schema} part, keyed by the primary key struct. Column types:
 * {@link DebeziumColumns}. The Sluice record id is {@code source.sequence} (a string, as
 * Debezium's own field is), so {@link IdPatch} finds it as the last {@code "sequence":"} of the
 * record: nothing after the source block holds user data. Differences from Debezium: docs/formats.md.
 */
public final class DebeziumJsonEncoder implements RecordEncoder {

    static final byte[] ID_MARKER = "\"sequence\":\"".getBytes(StandardCharsets.US_ASCII);
    /** What {@code source.version} says: the Debezium release whose event shape this follows, and Sluice. */
    static final String VERSION = "3.0.0.Final-sluice";

    private static final String SOURCE_SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"version\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"connector\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"name\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},"
            + "{\"type\":\"string\",\"optional\":true,\"name\":\"io.debezium.data.Enum\",\"version\":1,"
            + "\"parameters\":{\"allowed\":\"true,first,first_in_data_collection,last_in_data_collection,last,false,incremental\"},"
            + "\"default\":\"false\",\"field\":\"snapshot\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"db\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"sequence\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"table\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"server_id\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"gtid\"},"
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"file\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"pos\"},"
            + "{\"type\":\"int32\",\"optional\":false,\"field\":\"row\"},"
            + "{\"type\":\"int64\",\"optional\":true,\"field\":\"thread\"},"
            + "{\"type\":\"string\",\"optional\":true,\"field\":\"query\"}],"
            + "\"optional\":false,\"name\":\"io.debezium.connector.mysql.Source\",\"version\":1,\"field\":\"source\"}";
    private static final String TRANSACTION_SCHEMA = "{\"type\":\"struct\",\"fields\":["
            + "{\"type\":\"string\",\"optional\":false,\"field\":\"id\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"total_order\"},"
            + "{\"type\":\"int64\",\"optional\":false,\"field\":\"data_collection_order\"}],"
            + "\"optional\":true,\"name\":\"event.block\",\"version\":1,\"field\":\"transaction\"}";

    private final String serverName;
    /** For the envelope's ts_ms (Debezium: when the connector handled the event). */
    private final java.time.Clock clock;
    private final boolean schemas;
    private final JsonBuffer buffer = new JsonBuffer();
    private final JsonBuffer keyBuffer = new JsonBuffer();
    private final Map<Route, TableShape> tables = new java.util.IdentityHashMap<>();

    /**
     * @param keyColumns primary key column indexes (empty: no key); schemas are null without schemas.enable
     * @param required   per column: declared required (NOT NULL or primary key)
     */
    private record TableShape(ObjectNames names, int[] keyColumns, boolean[] required, String valueSchema, String keySchema) {}

    private static final BitSet NONE = new BitSet();

    /** @param serverName Debezium's topic.prefix: the job's source.name */
    public DebeziumJsonEncoder(String serverName, boolean schemas) {
        this(serverName, schemas, java.time.Clock.systemUTC());
    }

    DebeziumJsonEncoder(String serverName, boolean schemas, java.time.Clock clock) {
        this.clock = clock;
        this.serverName = serverName;
        this.schemas = schemas;
    }

    @Override
    public byte[] encode(long id, RowChange change, Route route) {
        TableShape t = shape(change.table(), route);
        List<Column> columns = change.table().columns();
        SourcePosition pos = change.position();
        Operation op = change.operation();
        BitSet loosened = nullInRequired(t, change.before(), change.after());
        String valueSchema = t.valueSchema == null || loosened.isEmpty() ? t.valueSchema
                : valueSchema(change.table(), route, t.names, loosened);
        return buffer.write(g -> {
            g.writeStartObject();
            if (valueSchema != null) {
                g.writeFieldName("schema");
                g.writeRawValue(valueSchema);
                g.writeFieldName("payload");
                g.writeStartObject();
            }
            g.writeFieldName("before");
            writeRow(g, columns, t, loosened, route, change.before());
            g.writeFieldName("after");
            writeRow(g, columns, t, loosened, route, change.after());
            g.writeFieldName("source");
            writeSource(g, id, pos, t.names, op == Operation.INIT);
            g.writeNullField("transaction");
            g.writeStringField("op", switch (op) {
                case INSERT -> "c";
                case UPDATE -> "u";
                case DELETE -> "d";
                case INIT -> "r";
                default -> throw new IllegalArgumentException("not a row change: " + op);
            });
            writeTimes(g);
            if (valueSchema != null) g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** Debezium writes a primary key change as a delete of the old key and a create of the new one. */
    @Override
    public boolean splitsKeyChanges() {
        return true;
    }

    /** The primary key struct ({@code {"id":1}}, with its schema when schemas are on); null for a table without one. */
    @Override
    public byte[] key(RowChange change, Route route) {
        TableShape t = shape(change.table(), route);
        if (t.keyColumns.length == 0) return null;
        Value[] row = change.after() != null ? change.after() : change.before();
        List<Column> columns = change.table().columns();
        BitSet loosened = NONE; // a null key value: only where the history's primary key is wrong
        for (int i : t.keyColumns) {
            if (i >= row.length || row[i] == null) {
                if (loosened == NONE) loosened = new BitSet();
                loosened.set(i);
            }
        }
        BitSet nullKeys = loosened;
        String keySchema = t.keySchema == null || nullKeys.isEmpty() ? t.keySchema
                : struct(change.table(), route, t.keyColumns, t.names, ".Key", false, nullKeys);
        return keyBuffer.write(g -> {
            g.writeStartObject();
            if (keySchema != null) {
                g.writeFieldName("schema");
                g.writeRawValue(keySchema);
                g.writeFieldName("payload");
                g.writeStartObject();
            }
            for (int i : t.keyColumns) {
                g.writeFieldName(route.fieldNames().get(i));
                DebeziumColumns.writeValue(g, columns.get(i), i < row.length ? row[i] : null, nullKeys.get(i));
            }
            if (keySchema != null) g.writeEndObject();
            g.writeEndObject();
        });
    }

    /**
     * Debezium's schema change event (the {@code topic.prefix} topic's value): {@code source},
     * {@code ts_ms}, {@code databaseName}, {@code schemaName}, {@code ddl} and an empty {@code tableChanges}.
     */
    @Override
    public byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route) {
        ObjectNames names = ObjectNames.of(objectName);
        return buffer.write(g -> {
            g.writeStartObject();
            if (schemas) {
                g.writeFieldName("schema");
                g.writeRawValue("{\"type\":\"struct\",\"fields\":[" + SOURCE_SCHEMA + ","
                        + "{\"type\":\"int64\",\"optional\":false,\"field\":\"ts_ms\"},"
                        + "{\"type\":\"string\",\"optional\":true,\"field\":\"databaseName\"},"
                        + "{\"type\":\"string\",\"optional\":true,\"field\":\"schemaName\"},"
                        + "{\"type\":\"string\",\"optional\":true,\"field\":\"ddl\"},"
                        + "{\"type\":\"array\",\"items\":{\"type\":\"struct\",\"fields\":["
                        + "{\"type\":\"string\",\"optional\":false,\"field\":\"type\"},"
                        + "{\"type\":\"string\",\"optional\":false,\"field\":\"id\"}],"
                        + "\"optional\":false,\"name\":\"io.debezium.connector.schema.Change\",\"version\":1},"
                        + "\"optional\":false,\"field\":\"tableChanges\"}],"
                        + "\"optional\":false,\"name\":\"io.debezium.connector.mysql.SchemaChangeValue\",\"version\":1}");
                g.writeFieldName("payload");
                g.writeStartObject();
            }
            g.writeFieldName("source");
            writeSource(g, id, pos, names, false);
            g.writeNumberField("ts_ms", clock.millis());
            g.writeStringField("databaseName", names.database());
            g.writeNullField("schemaName");
            g.writeStringField("ddl", ddl);
            g.writeArrayFieldStart("tableChanges");
            g.writeEndArray();
            if (schemas) g.writeEndObject();
            g.writeEndObject();
        });
    }

    @Override
    public byte[] withId(long id, byte[] encoded) {
        return IdPatch.withId(encoded, IdPatch.digitsAt(encoded, ID_MARKER, true), id);
    }

    @Override
    public byte[] withIdInPlace(long id, byte[] encoded, Route route) {
        return IdPatch.withIdInPlace(encoded, IdPatch.digitsAt(encoded, ID_MARKER, true), id);
    }

    private void writeRow(JsonGenerator g, List<Column> columns, TableShape t, BitSet loosened, Route route, Value[] row) throws IOException {
        if (row == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            g.writeFieldName(route.fieldNames().get(i));
            boolean optional = !t.required[i] || loosened.get(i); // as the schema declares it
            DebeziumColumns.writeValue(g, columns.get(i), i < row.length ? row[i] : null, optional);
        }
        g.writeEndObject();
    }

    private void writeSource(JsonGenerator g, long id, SourcePosition pos, ObjectNames names, boolean snapshot) throws IOException {
        long ms = pos.timestampSec() * 1000;
        g.writeStartObject();
        g.writeStringField("version", VERSION);
        g.writeStringField("connector", "mysql");
        g.writeStringField("name", serverName);
        g.writeNumberField("ts_ms", ms);
        g.writeStringField("snapshot", snapshot ? "true" : "false");
        g.writeStringField("db", names.database());
        g.writeStringField("sequence", Long.toString(id));
        g.writeNumberField("ts_us", ms * 1000);
        g.writeNumberField("ts_ns", ms * 1_000_000);
        if (names.table() == null) g.writeNullField("table");
        else g.writeStringField("table", names.table());
        g.writeNumberField("server_id", 0);
        String gtid = CanalJsonEncoder.gtid(pos);
        if (gtid.isEmpty()) g.writeNullField("gtid");
        else g.writeStringField("gtid", gtid);
        g.writeStringField("file", pos.file());
        g.writeNumberField("pos", pos.txStart());
        g.writeNumberField("row", 0);
        g.writeNullField("thread");
        g.writeNullField("query");
        g.writeEndObject();
    }

    private void writeTimes(JsonGenerator g) throws IOException {
        java.time.Instant now = clock.instant();
        g.writeNumberField("ts_ms", now.toEpochMilli());
        g.writeNumberField("ts_us", now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000);
        g.writeNumberField("ts_ns", now.getEpochSecond() * 1_000_000_000L + now.getNano());
    }

    private TableShape shape(TableSchema table, Route route) {
        if (tables.size() >= 10_000) tables.clear();
        return tables.computeIfAbsent(route, r -> {
            ObjectNames names = ObjectNames.of(r.objectName());
            List<Integer> key = new ArrayList<>();
            for (String col : table.primaryKey()) {
                int i = table.indexOf(col);
                if (i >= 0) key.add(i);
            }
            int[] keyColumns = key.stream().mapToInt(Integer::intValue).toArray();
            List<Column> columns = table.columns();
            boolean[] required = new boolean[columns.size()];
            for (int i = 0; i < required.length; i++) required[i] = required(columns.get(i), table.primaryKey());
            if (!schemas) return new TableShape(names, keyColumns, required, null, null);
            String keySchema = keyColumns.length == 0 ? null : struct(table, r, keyColumns, names, ".Key", false, NONE);
            return new TableShape(names, keyColumns, required, valueSchema(table, r, names, NONE), keySchema);
        });
    }

    /**
     * Columns declared required whose value is null in one of {@code images}: optional in this
     * record's schema, so a converter never meets a null in a required field (a history wrong
     * about NOT NULL: the TABLE_MAP event corrects it, this guards what slips past).
     */
    private static BitSet nullInRequired(TableShape t, Value[]... images) {
        BitSet loosened = NONE;
        for (Value[] row : images) {
            if (row == null) continue;
            for (int i = 0; i < t.required.length; i++) {
                if (t.required[i] && (i >= row.length || row[i] == null)) {
                    if (loosened == NONE) loosened = new BitSet();
                    loosened.set(i);
                }
            }
        }
        return loosened;
    }

    /** The envelope schema; {@code loosened} columns optional whatever the table says. */
    private String valueSchema(TableSchema table, Route r, ObjectNames names, BitSet loosened) {
        String prefix = serverName + "." + names.database() + "." + names.table();
        String valueStruct = struct(table, r, null, names, ".Value", true, loosened);
        String before = valueStruct.substring(0, valueStruct.length() - 1) + ",\"field\":\"before\"}";
        String after = valueStruct.substring(0, valueStruct.length() - 1) + ",\"field\":\"after\"}";
        return "{\"type\":\"struct\",\"fields\":[" + before + "," + after + "," + SOURCE_SCHEMA + "," + TRANSACTION_SCHEMA + ","
                + "{\"type\":\"string\",\"optional\":false,\"field\":\"op\"},"
                + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ms\"},"
                + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_us\"},"
                + "{\"type\":\"int64\",\"optional\":true,\"field\":\"ts_ns\"}],"
                + "\"optional\":false,\"name\":" + quote(prefix + ".Envelope") + ",\"version\":2}";
    }

    private String struct(TableSchema table, Route r, int[] only, ObjectNames names, String suffix, boolean optional, BitSet loosened) {
        String name = serverName + "." + names.database() + "." + names.table() + suffix;
        return new String(new JsonBuffer().write(g -> writeStruct(g, table, r, only, name, optional, loosened)), StandardCharsets.UTF_8);
    }

    /** A struct schema of the table's columns (or only {@code only}'s), NOT NULL and primary key columns required unless loosened. */
    private static void writeStruct(JsonGenerator g, TableSchema table, Route route, int[] only, String name, boolean optional,
                                    BitSet loosened) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "struct");
        g.writeArrayFieldStart("fields");
        List<Column> columns = table.columns();
        List<String> pk = table.primaryKey();
        for (int i = 0; i < columns.size(); i++) {
            final int idx = i;
            if (only != null && java.util.Arrays.stream(only).noneMatch(k -> k == idx)) continue;
            DebeziumColumns.writeSchema(g, columns.get(i), !required(columns.get(idx), pk) || loosened.get(idx), route.fieldNames().get(i));
        }
        g.writeEndArray();
        g.writeBooleanField("optional", optional);
        g.writeStringField("name", name);
        g.writeEndObject();
    }

    /** A required (optional: false) field, as Debezium declares a NOT NULL column (primary key columns are NOT NULL). */
    private static boolean required(Column c, List<String> pk) {
        return !c.nullable() || pk.stream().anyMatch(k -> k.equalsIgnoreCase(c.name()));
    }

    private static String quote(String s) {
        return new String(new JsonBuffer().write(g -> g.writeString(s)), StandardCharsets.UTF_8);
    }
}
