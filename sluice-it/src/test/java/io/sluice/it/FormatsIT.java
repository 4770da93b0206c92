package io.sluice.it;

import com.alibaba.otter.canal.protocol.FlatMessage;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RawTopic;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.canal.CanalJsonDeserializationSchema;
import org.apache.flink.formats.json.debezium.DebeziumJsonDeserializationSchema;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.DecimalData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.flink.util.SimpleUserCodeClassLoader;
import org.apache.flink.util.UserCodeClassLoader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Canal JSON and Debezium JSON read by the consumers made for them: every row of the type matrix,
 * initialized (table ti, filled before the job starts) and streamed (table ts: inserts, an update,
 * a delete), decoded by Flink's own canal-json and debezium-json deserialization schemas, equals
 * the source row as MySQL prints it; Canal JSON also parses into Canal's FlatMessage, and Debezium
 * JSON is read by Kafka Connect's JsonConverter into Structs of the schemas Debezium declares.
 */
class FormatsIT {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    private static final List<String> COLUMNS = List.copyOf(TypeRows.columns().keySet());
    /** 6 INIT rows, 6 inserts, 1 update, 1 delete. */
    private static final int RECORDS = 2 * TypeRows.ROWS + 2;

    private record Expected(Map<String, List<Object>> init, Map<String, List<Object>> inserted, List<Object> updated) {}

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void canalJsonDecodedByFlinkEqualsTheSourceRows(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_fmt_canal_" + flavor.server;
        String topic = "it-fmt-canal-" + flavor.server + "-" + System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Expected expected = run(server, db, topic, dir, "  format: canalJson\n", 7501, records);

        CanalJsonDeserializationSchema flink = CanalJsonDeserializationSchema.builder(canalRowType(), List.of(),
                TypeInformation.of(RowData.class)).build();
        flink.open(context());
        List<String> seen = new ArrayList<>();
        long lastId = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FlatMessage m = JSON.readValue(r.value(), FlatMessage.class); // Canal's own class, strictly: no unknown field
            assertTrue(m.getId() > lastId, "ids increase");
            lastId = m.getId();
            assertEquals(db, m.getDatabase());
            assertFalse(m.getIsDdl());
            assertEquals(List.of("id"), m.getPkNames());
            assertEquals(COLUMNS, List.copyOf(m.getSqlType().keySet()));
            assertEquals("decimal(65,30)", m.getMysqlType().get("dec1"));
            assertEquals(1, m.getData().size());
            assertNull(r.key());
            List<RowData> rows = decode(flink, r.value());
            String id = m.getData().get(0).get("id");
            String what = m.getTable() + " " + m.getType() + " " + id;
            seen.add(what);
            switch (m.getTable() + " " + m.getType()) {
                case "ti INSERT" -> assertRow(expected.init.get(id), rows, RowKind.INSERT, FormatsIT::canal, what);
                case "ts INSERT" -> assertRow(expected.inserted.get(id), rows, RowKind.INSERT, FormatsIT::canal, what);
                case "ts UPDATE" -> {
                    assertEquals(Set.of("ti", "c_utf8"), m.getOld().get(0).keySet(), "old: the changed columns only");
                    assertEquals(2, rows.size());
                    assertRow(expected.inserted.get("1"), rows.subList(0, 1), RowKind.UPDATE_BEFORE, FormatsIT::canal, what);
                    assertRow(expected.updated, rows.subList(1, 2), RowKind.UPDATE_AFTER, FormatsIT::canal, what);
                }
                case "ts DELETE" -> assertRow(expected.inserted.get("2"), rows, RowKind.DELETE, FormatsIT::canal, what);
                default -> throw new AssertionError("unexpected record " + what);
            }
        }
        assertEquals(RECORDS, seen.size(), "records: " + seen);
        assertTrue(seen.containsAll(List.of("ts UPDATE 1", "ts DELETE 2")), "records: " + seen);
    }

    /**
     * {@code target.canal.batch: event}: one message per binlog rows event (INSERT ... SELECT of the
     * matrix, a 4-row UPDATE, a 2-row DELETE), at most batchMaxRows (4) rows; Flink's canal-json
     * and Canal's FlatMessage read every message to the same rows, and every row equals the source's.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80"})
    void canalJsonBatchedPerRowsEventReadsToTheSourceRows(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_fmt_canalb_" + flavor.server;
        String topic = "it-fmt-canalb-" + flavor.server + "-" + System.nanoTime();
        StringBuilder cols = new StringBuilder();
        TypeRows.columns().forEach((n, d) -> cols.append('`').append(n).append("` ").append(d).append(','));
        cols.setLength(cols.length() - 1);
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".ti (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".ts (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".staged (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        TypeRows.insert(server, db + ".ti");
        TypeRows.insert(server, db + ".staged"); // not selected: copied into ts by one statement below
        Map<String, List<Object>> init = SourceRows.read(server, db + ".ti");
        String yaml = JobYaml.of("fmtb-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".ti, " + db + ".ts", 7513)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  format: canalJson\n  canal: {batch: event, batchMaxRows: 4}\n");
        int flinkRows = TypeRows.ROWS /* INIT */ + TypeRows.ROWS /* inserted */ + 2 * 4 /* updated */ + 2 /* deleted */;
        CanalJsonDeserializationSchema flink = CanalJsonDeserializationSchema.builder(canalRowType(), List.of(),
                TypeInformation.of(RowData.class)).build();
        flink.open(context());
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Map<String, List<Object>> inserted, updated;
        try (RunningJob job = RunningJob.start(yaml); RawTopic topicReader = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            assertEquals(TypeRows.ROWS, topicReader.await(TypeRows.ROWS, Duration.ofSeconds(120)).size(), "INIT records");
            try (java.sql.Connection c = server.root()) {
                c.createStatement().execute("SET SESSION sql_mode='', SESSION time_zone='+00:00'"); // the matrix's zero dates, as TypeRows
                c.createStatement().execute("INSERT INTO " + db + ".ts SELECT * FROM " + db + ".staged");
                inserted = SourceRows.read(server, db + ".ts");
                c.createStatement().execute("UPDATE " + db + ".ts SET ti = 1, c_utf8 = 'changed' WHERE id IN (1, 3, 4, 5)");
                updated = SourceRows.read(server, db + ".ts");
                c.createStatement().execute("DELETE FROM " + db + ".ts WHERE id IN (3, 4)");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int decoded = 0;
            int read = 0;
            while (decoded < flinkRows && System.nanoTime() < deadline) { // the number of messages depends on the rows events
                List<ConsumerRecord<byte[], byte[]>> now = topicReader.await(read + 1, Duration.ofSeconds(1));
                for (ConsumerRecord<byte[], byte[]> r : now.subList(read, now.size())) decoded += decode(flink, r.value()).size();
                read = now.size();
            }
            records.clear();
            records.addAll(topicReader.drain(Duration.ofSeconds(2)));
            assertNull(job.failure());
        }
        List<String> seen = new ArrayList<>();
        Map<String, Integer> largestMessage = new java.util.HashMap<>();
        long lastId = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            FlatMessage m = JSON.readValue(r.value(), FlatMessage.class);
            assertTrue(m.getId() > lastId, "ids increase");
            lastId = m.getId();
            assertEquals(db, m.getDatabase());
            assertNull(r.key());
            int n = m.getData().size();
            assertTrue(n >= 1 && n <= 4, "1 to batchMaxRows rows: " + n);
            if (m.getTable().equals("ti")) assertEquals(1, n, "INIT records: a message per row");
            largestMessage.merge(m.getTable() + " " + m.getType(), n, Math::max);
            List<RowData> rows = decode(flink, r.value());
            boolean update = m.getType().equals("UPDATE");
            assertEquals(update ? 2 * n : n, rows.size(), "Flink reads the message's rows");
            if (update) assertEquals(n, m.getOld().size(), "old: one per row");
            for (int k = 0; k < n; k++) {
                String id = m.getData().get(k).get("id");
                String what = m.getTable() + " " + m.getType() + " " + id;
                seen.add(what);
                switch (m.getTable() + " " + m.getType()) {
                    case "ti INSERT" -> assertRow(init.get(id), rows.subList(k, k + 1), RowKind.INSERT, FormatsIT::canal, what);
                    case "ts INSERT" -> assertRow(inserted.get(id), rows.subList(k, k + 1), RowKind.INSERT, FormatsIT::canal, what);
                    case "ts UPDATE" -> {
                        assertEquals(Set.of("ti", "c_utf8"), m.getOld().get(k).keySet(), "old: the changed columns only");
                        assertRow(inserted.get(id), rows.subList(2 * k, 2 * k + 1), RowKind.UPDATE_BEFORE, FormatsIT::canal, what);
                        assertRow(updated.get(id), rows.subList(2 * k + 1, 2 * k + 2), RowKind.UPDATE_AFTER, FormatsIT::canal, what);
                    }
                    case "ts DELETE" -> assertRow(updated.get(id), rows.subList(k, k + 1), RowKind.DELETE, FormatsIT::canal, what);
                    default -> throw new AssertionError("unexpected record " + what);
                }
            }
        }
        List<String> want = new ArrayList<>();
        for (int i = 1; i <= TypeRows.ROWS; i++) want.add("ti INSERT " + i);
        for (int i = 1; i <= TypeRows.ROWS; i++) want.add("ts INSERT " + i);
        for (int i : new int[]{1, 3, 4, 5}) want.add("ts UPDATE " + i);
        for (int i : new int[]{3, 4}) want.add("ts DELETE " + i);
        assertEquals(new java.util.TreeSet<>(want), new java.util.TreeSet<>(seen), "every row once: " + seen);
        assertEquals(want.size(), seen.size(), "every row once: " + seen);
        // small rows of one statement share a rows event, so messages hold several rows
        assertTrue(largestMessage.get("ts INSERT") > 1 && largestMessage.get("ts UPDATE") > 1
                && largestMessage.get("ts DELETE") == 2, "batched messages: " + largestMessage);
    }

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80", "MARIADB"})
    void debeziumJsonDecodedByFlinkAndJsonConverterEqualsTheSourceRows(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        boolean schemas = flavor == Flavor.MYSQL57; // one server each way
        String db = "it_fmt_dbz_" + flavor.server;
        String topic = "it-fmt-dbz-" + flavor.server + "-" + System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        Expected raw = run(server, db, topic, dir, "  format: debeziumJson\n  debezium: {schemas: " + schemas + "}\n", 7502, records);
        Map<String, List<Object>> init = new java.util.HashMap<>(), inserted = new java.util.HashMap<>();
        raw.init.forEach((k, v) -> init.put(k, debeziumExpected(v)));
        raw.inserted.forEach((k, v) -> inserted.put(k, debeziumExpected(v)));
        Expected expected = new Expected(init, inserted, debeziumExpected(raw.updated));

        DebeziumJsonDeserializationSchema flink = new DebeziumJsonDeserializationSchema(debeziumRowType(), List.of(),
                TypeInformation.of(RowData.class), schemas, false, TimestampFormat.ISO_8601);
        flink.open(context());
        JsonConverter values = converter(schemas, false);
        JsonConverter keys = converter(schemas, true);
        List<String> seen = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            List<RowData> rows = decode(flink, r.value());
            Struct key = schemas ? (Struct) keys.toConnectData(topic, r.key()).value() : null;
            SchemaAndValue connect = values.toConnectData(topic, r.value());
            Map<?, ?> plain = schemas ? null : (Map<?, ?>) connect.value();
            Struct envelope = schemas ? (Struct) connect.value() : null;
            String op = schemas ? envelope.getString("op") : (String) plain.get("op");
            Object source = schemas ? envelope.getStruct("source") : plain.get("source");
            String table = schemas ? ((Struct) source).getString("table") : (String) ((Map<?, ?>) source).get("table");
            String db0 = schemas ? ((Struct) source).getString("db") : (String) ((Map<?, ?>) source).get("db");
            assertEquals(db, db0);
            Map<?, ?> keyMap = schemas ? null : JSON.readValue(r.key(), Map.class);
            Object keyId = schemas ? key.get("id") : keyMap.get("id");
            String what = table + " " + op + " " + keyId;
            seen.add(what);
            if (schemas) {
                Schema after = envelope.schema().field("after").schema();
                assertEquals("org.apache.kafka.connect.data.Decimal", after.field("dec2").schema().name());
                assertEquals("io.debezium.time.MicroTime", after.field("tm").schema().name());
                assertEquals("io.debezium.time.ZonedTimestamp", after.field("ts").schema().name());
                assertEquals("io.debezium.data.Json", after.field("j").schema().name());
                assertEquals("io.debezium.data.geometry.Geometry", after.field("g").schema().name());
                assertEquals("io.debezium.data.geometry.Point", after.field("pt").schema().name());
                assertEquals(Schema.Type.INT32, key.schema().field("id").schema().type());
            }
            switch (table + " " + op) {
                case "ti r" -> {
                    assertRow(expected.init.get(String.valueOf(keyId)), rows, RowKind.INSERT, FormatsIT::debezium, what);
                    if (schemas) assertConnectRow(expected.init.get(String.valueOf(keyId)), envelope.getStruct("after"), what);
                }
                case "ts c" -> {
                    assertRow(expected.inserted.get(String.valueOf(keyId)), rows, RowKind.INSERT, FormatsIT::debezium, what);
                    if (schemas) assertConnectRow(expected.inserted.get(String.valueOf(keyId)), envelope.getStruct("after"), what);
                }
                case "ts u" -> {
                    assertEquals(2, rows.size());
                    assertRow(expected.inserted.get("1"), rows.subList(0, 1), RowKind.UPDATE_BEFORE, FormatsIT::debezium, what);
                    assertRow(expected.updated, rows.subList(1, 2), RowKind.UPDATE_AFTER, FormatsIT::debezium, what);
                    if (schemas) assertConnectRow(expected.updated, envelope.getStruct("after"), what);
                }
                case "ts d" -> {
                    assertRow(expected.inserted.get("2"), rows, RowKind.DELETE, FormatsIT::debezium, what);
                    if (schemas) assertNull(envelope.get("after"));
                }
                default -> throw new AssertionError("unexpected record " + what);
            }
        }
        assertEquals(RECORDS, seen.size(), "records: " + seen);
    }

    /**
     * Creates ti (filled now: initialized) and ts, runs the job, then fills ts, updates row 1 and
     * deletes row 2 (streamed); returns the source rows at each step and collects the records.
     */
    private static Expected run(MySqlServer server, String db, String topic, Path dir, String formatYaml, long serverId,
                                List<ConsumerRecord<byte[], byte[]>> out) throws Exception {
        StringBuilder cols = new StringBuilder();
        TypeRows.columns().forEach((n, d) -> cols.append('`').append(n).append("` ").append(d).append(','));
        cols.setLength(cols.length() - 1);
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".ti (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".ts (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        TypeRows.insert(server, db + ".ti");
        Map<String, List<Object>> init = SourceRows.read(server, db + ".ti");
        String yaml = JobYaml.of("fmt-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".ti, " + db + ".ts", serverId)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n" + formatYaml);
        try (RunningJob job = RunningJob.start(yaml); RawTopic topicReader = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            assertEquals(TypeRows.ROWS, topicReader.await(TypeRows.ROWS, Duration.ofSeconds(120)).size(), "INIT records");
            TypeRows.insert(server, db + ".ts");
            Map<String, List<Object>> inserted = SourceRows.read(server, db + ".ts");
            try (java.sql.Connection c = server.root()) {
                c.createStatement().execute("UPDATE " + db + ".ts SET ti = 1, c_utf8 = 'changed' WHERE id = 1");
            }
            List<Object> updated = SourceRows.read(server, db + ".ts").get("1");
            server.exec("DELETE FROM " + db + ".ts WHERE id = 2");
            topicReader.await(RECORDS, Duration.ofSeconds(120));
            out.addAll(topicReader.drain(Duration.ofSeconds(2)));
            assertNull(job.failure());
            assertEquals(RECORDS, out.size(), "records");
            return new Expected(init, inserted, updated);
        }
    }

    private interface Canonical {
        Object of(String column, RowData row, int i) throws Exception;
    }

    private static void assertRow(List<Object> expected, List<RowData> rows, RowKind kind, Canonical canonical, String what) throws Exception {
        assertNotNull(expected, what);
        assertEquals(1, rows.size(), what);
        RowData row = rows.get(0);
        assertEquals(kind, row.getRowKind(), what);
        Map<String, Object> want = new LinkedHashMap<>();
        Map<String, Object> got = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String c = COLUMNS.get(i);
            want.put(c, expected.get(i));
            got.put(c, row.isNullAt(i) ? null : canonical.of(c, row, i));
        }
        assertEquals(want, got, what);
    }

    // ---- Canal JSON through Flink: the types a Flink user declares for the matrix ----

    /** Temporal columns as STRING: Flink cannot parse MySQL's zero dates ('0000-00-00'), which Canal writes as they are. */
    private static DataType canalRowType() {
        Map<String, DataType> t = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            t.put(c, switch (c) {
                case "id", "siu", "mi", "miu", "i", "yr" -> DataTypes.INT();
                case "ti" -> DataTypes.TINYINT();
                case "tiu", "si" -> DataTypes.SMALLINT();
                case "iu", "bi", "b1" -> DataTypes.BIGINT();
                case "biu", "b64" -> DataTypes.DECIMAL(20, 0);
                case "dec2" -> DataTypes.DECIMAL(10, 2);
                case "f", "f2" -> DataTypes.FLOAT();
                case "d" -> DataTypes.DOUBLE();
                default -> DataTypes.STRING();
            });
        }
        return DataTypes.ROW(t.entrySet().stream().map(e -> DataTypes.FIELD(e.getKey(), e.getValue())).toArray(DataTypes.Field[]::new));
    }

    private static Object canal(String c, RowData row, int i) throws Exception {
        return switch (c) {
            case "id", "siu", "mi", "miu", "i" -> String.valueOf(row.getInt(i));
            case "yr" -> String.format("%04d", row.getInt(i));
            case "ti" -> String.valueOf(row.getByte(i));
            case "tiu", "si" -> String.valueOf(row.getShort(i));
            case "iu", "bi", "b1" -> String.valueOf(row.getLong(i));
            case "biu", "b64" -> row.getDecimal(i, 20, 0).toBigDecimal().toPlainString();
            case "dec2" -> row.getDecimal(i, 10, 2).toBigDecimal().toPlainString();
            case "f", "f2" -> Float.toString(row.getFloat(i));
            case "d" -> Double.toString(row.getDouble(i));
            // binary values: Canal writes each byte as one ISO-8859-1 character
            default -> SourceRows.HEX.contains(c) ? HEX.formatHex(row.getString(i).toString().getBytes(StandardCharsets.ISO_8859_1))
                    : SourceRows.canonical(c, row.getString(i).toString());
        };
    }

    // ---- Debezium JSON through Flink: Connect types as Debezium declares them ----

    private static DataType debeziumRowType() {
        Map<String, DataType> t = new LinkedHashMap<>();
        for (String c : COLUMNS) {
            t.put(c, switch (c) {
                case "id", "siu", "mi", "miu", "i", "dt", "yr" -> DataTypes.INT();
                case "ti", "tiu", "si" -> DataTypes.SMALLINT();
                case "iu", "bi", "tm", "tm6", "tm3", "dtm", "dtm6" -> DataTypes.BIGINT();
                case "b1" -> DataTypes.BOOLEAN();
                case "biu", "b64", "dec1", "dec2", "bin", "vbin", "tb", "bl", "mb", "lb" -> DataTypes.BYTES();
                case "f" -> DataTypes.FLOAT();
                case "f2", "d" -> DataTypes.DOUBLE();
                case "g" -> DataTypes.ROW(DataTypes.FIELD("wkb", DataTypes.BYTES()), DataTypes.FIELD("srid", DataTypes.INT()));
                case "pt" -> DataTypes.ROW(DataTypes.FIELD("x", DataTypes.DOUBLE()), DataTypes.FIELD("y", DataTypes.DOUBLE()),
                        DataTypes.FIELD("wkb", DataTypes.BYTES()), DataTypes.FIELD("srid", DataTypes.INT()));
                default -> DataTypes.STRING();
            });
        }
        return DataTypes.ROW(t.entrySet().stream().map(e -> DataTypes.FIELD(e.getKey(), e.getValue())).toArray(DataTypes.Field[]::new));
    }

    private static Object debezium(String c, RowData row, int i) throws Exception {
        return switch (c) {
            case "id", "siu", "mi", "miu", "i" -> String.valueOf(row.getInt(i));
            case "yr" -> String.format("%04d", row.getInt(i));
            case "ti", "tiu", "si" -> String.valueOf(row.getShort(i));
            case "iu", "bi" -> String.valueOf(row.getLong(i));
            case "b1" -> row.getBoolean(i) ? "1" : "0";
            case "f" -> Float.toString(row.getFloat(i));
            case "f2" -> Float.toString((float) row.getDouble(i));
            case "d" -> Double.toString(row.getDouble(i));
            case "g" -> {
                RowData geo = row.getRow(i, 2);
                byte[] srid = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(geo.isNullAt(1) ? 0 : geo.getInt(1)).array();
                yield HEX.formatHex(srid) + HEX.formatHex(geo.getBinary(0));
            }
            case "pt" -> { // x and y must be the WKB's coordinates
                RowData p = row.getRow(i, 4);
                byte[] wkb = p.getBinary(2);
                ByteBuffer b = ByteBuffer.wrap(wkb).order(wkb[0] == 0 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
                assertEquals(b.getDouble(5), p.getDouble(0));
                assertEquals(b.getDouble(13), p.getDouble(1));
                byte[] srid = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(p.isNullAt(3) ? 0 : p.getInt(3)).array();
                yield HEX.formatHex(srid) + HEX.formatHex(wkb);
            }
            default -> debeziumValue(c, switch (c) {
                case "dt" -> row.getInt(i);
                case "tm", "tm6", "tm3", "dtm", "dtm6" -> row.getLong(i);
                case "biu", "b64", "dec1", "dec2", "bin", "vbin", "tb", "bl", "mb", "lb" -> row.getBinary(i);
                default -> row.getString(i).toString();
            });
        };
    }

    /** A Debezium value (as Java: Integer days, Long micros/millis, byte[], String) in the canonical form. */
    private static Object debeziumValue(String c, Object v) throws Exception {
        return switch (c) {
            case "biu" -> v instanceof BigDecimal b ? b.toPlainString() : new BigInteger((byte[]) v).toString();
            case "b64" -> new BigInteger(1, reverse((byte[]) v)).toString();
            case "dec1" -> v instanceof BigDecimal b ? b.toPlainString() : new BigDecimal(new BigInteger((byte[]) v), 30).toPlainString();
            case "dec2" -> v instanceof BigDecimal b ? b.toPlainString() : new BigDecimal(new BigInteger((byte[]) v), 2).toPlainString();
            case "dt" -> LocalDate.ofEpochDay(((Number) v).longValue()).toString();
            case "tm" -> time(((Number) v).longValue(), 0);
            case "tm6" -> time(((Number) v).longValue(), 6);
            case "tm3" -> time(((Number) v).longValue(), 3);
            case "dtm" -> LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) v).longValue(), 1000), 0, ZoneOffset.UTC).toString().replace('T', ' ')
                    + (LocalDateTime.ofEpochSecond(Math.floorDiv(((Number) v).longValue(), 1000), 0, ZoneOffset.UTC).getSecond() == 0 ? ":00" : "");
            case "dtm6" -> {
                long micros = ((Number) v).longValue();
                LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000), 0, ZoneOffset.UTC);
                yield dateTime(t) + "." + String.format("%06d", Math.floorMod(micros, 1_000_000));
            }
            case "ts", "ts6" -> ((String) v).replace('T', ' ').replace("Z", "");
            default -> SourceRows.HEX.contains(c) ? HEX.formatHex((byte[]) v) : SourceRows.canonical(c, (String) v);
        };
    }

    private static String dateTime(LocalDateTime t) {
        return String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(),
                t.getSecond());
    }

    private static String time(long micros, int fsp) {
        String sign = micros < 0 ? "-" : "";
        long a = Math.abs(micros);
        long sec = a / 1_000_000;
        String text = String.format("%s%02d:%02d:%02d", sign, sec / 3600, sec / 60 % 60, sec % 60);
        return fsp == 0 ? text : text + "." + String.format("%06d", a % 1_000_000).substring(0, fsp);
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = b[b.length - 1 - i];
        return r;
    }

    /** JsonConverter's Struct of the row: the same values (Decimal logical type as BigDecimal). */
    private static void assertConnectRow(List<Object> expected, Struct after, String what) throws Exception {
        Map<String, Object> want = new LinkedHashMap<>();
        Map<String, Object> got = new LinkedHashMap<>();
        for (int i = 0; i < COLUMNS.size(); i++) {
            String c = COLUMNS.get(i);
            want.put(c, expected.get(i));
            Object v = after.get(c);
            Object canonical;
            if (v == null) canonical = null;
            else if (v instanceof Struct geo) {
                Integer sridValue = geo.getInt32("srid"); // null: SRID 0, as Debezium gives it
                byte[] srid = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(sridValue == null ? 0 : sridValue).array();
                canonical = HEX.formatHex(srid) + HEX.formatHex(geo.getBytes("wkb"));
            } else if (v instanceof Boolean b) canonical = b ? "1" : "0";
            else if (v instanceof Float f) canonical = Float.toString(f);
            else if (v instanceof Double d) canonical = c.equals("f2") ? Float.toString((float) (double) d) : Double.toString(d);
            else if (v instanceof ByteBuffer bb) canonical = debeziumValue(c, bb.array());
            else if (v instanceof byte[] || v instanceof BigDecimal || v instanceof String) canonical = debeziumValue(c, v);
            else if (c.equals("yr")) canonical = String.format("%04d", (Integer) v);
            else if (Set.of("dt", "tm", "tm6", "tm3", "dtm", "dtm6").contains(c)) canonical = debeziumValue(c, v);
            else canonical = String.valueOf(v);
            got.put(c, canonical);
        }
        assertEquals(want, got, "JsonConverter: " + what);
    }

    /** Debezium gives zero DATE/DATETIME/TIMESTAMP values of nullable columns as null (docs/formats.md). */
    private static Object debeziumExpected(String c, Object v) {
        if ("0000-00-00".equals(v) && c.equals("dt")) return null;
        if ("0000-00-00 00:00:00".equals(v)) return null;
        return v;
    }

    private static List<Object> debeziumExpected(List<Object> row) {
        if (row == null) return null;
        List<Object> out = new ArrayList<>(row);
        for (int i = 0; i < COLUMNS.size(); i++) out.set(i, debeziumExpected(COLUMNS.get(i), row.get(i)));
        return out;
    }

    private static JsonConverter converter(boolean schemas, boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", String.valueOf(schemas), "decimal.format", "BASE64"), isKey);
        return c;
    }

    private static List<RowData> decode(DeserializationSchema<RowData> schema, byte[] value) throws Exception {
        List<RowData> rows = new ArrayList<>();
        schema.deserialize(value, new Collector<>() {
            @Override public void collect(RowData r) { rows.add(r); }
            @Override public void close() {}
        });
        return rows;
    }

    private static DeserializationSchema.InitializationContext context() {
        return new DeserializationSchema.InitializationContext() {
            @Override public MetricGroup getMetricGroup() { return null; }
            @Override public UserCodeClassLoader getUserCodeClassLoader() {
                return SimpleUserCodeClassLoader.create(FormatsIT.class.getClassLoader());
            }
        };
    }
}
