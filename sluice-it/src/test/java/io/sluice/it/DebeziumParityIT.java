package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RawTopic;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sluice's debeziumJson records against Debezium's own: Debezium 3.6.1's MySQL connector runs
 * embedded (sluice-it-debezium, its own JVM: it needs kafka-clients 4.x) on the same two tables as
 * a Sluice job, both snapshot/initialize the type matrix (ti) and stream inserts, an update, a
 * delete and an update of the primary key (ts: a delete of the old key, then a create of the new one). Kafka Connect's JsonConverter (3.9.1) reads every key and value of both into Connect
 * schemas and Structs, compared field by field: every schema attribute (name, type, optional,
 * default, version, parameters, field order) and every value of key, before, after, source, op,
 * ts_*, transaction. A second pair of tables (NotNullRows) does the same with NOT NULL columns of
 * every type family, zero values and DEFAULTs. The differences found must be exactly those docs/formats.md lists under
 * "Deliberate differences from Debezium", mirrored in {@link #DELIBERATE}: a new one fails.
 */
class DebeziumParityIT {

    /**
     * The deliberate differences (docs/formats.md), as the paths {@link #compare} reports, each
     * with the op it applies to ({@code *} any; {@code r} snapshot/INIT; {@code cud} streamed).
     */
    static final Map<String, String> DELIBERATE = new LinkedHashMap<>();

    private static void deliberate(String ops, String path, String reason) {
        for (char op : ops.toCharArray()) DELIBERATE.put(op + " " + path, reason);
    }

    static {
        String any = "rcud", streamed = "cud";
        deliberate(any, "value source.version", "Sluice's version string");
        deliberate(any, "value source.sequence", "the Sluice record id (Debezium: null)");
        for (String ts : List.of("ts_ms", "ts_us", "ts_ns")) {
            deliberate(any, "value " + ts, "the time each process handled the event");
            deliberate("r", "value source." + ts, "INIT: when the chunk was read (Debezium: when its snapshot was)");
            deliberate(streamed, "value source." + ts, "MySQL 8.0: Debezium takes the GTID event's commit time in µs, Sluice the event header's seconds");
        }
        deliberate(streamed, "value source.pos", "the transaction's start (Debezium: its last event's position)");
        deliberate(streamed, "value source.server_id", "0 (Debezium: the source server's id)");
        deliberate(streamed, "value source.thread", "null (Debezium: the session's thread id)");
        deliberate(streamed, "value source.row", "0 (Debezium: the row's index in its binlog event)");
        deliberate("r", "value source.snapshot", "\"true\" on every INIT record (Debezium: first/last marks)");
        deliberate("r", "value source.file", "INIT: the binlog position the chunk was read at");
        deliberate("r", "value source.pos", "INIT: the binlog position the chunk was read at");
        deliberate("r", "value source.gtid", "INIT: null");
        for (String row : List.of("after", "before")) {
            deliberate(any, "value " + row + ".yr", "YEAR 0 is 0 (Debezium: 2000 in its snapshot, 1900 streaming)");
            deliberate(any, "value " + row + ".j", "JSON: the compact text also in snapshots (Debezium: MySQL's spaced text), "
                    + "unsigned numbers above 2^31-1 exact (Debezium's binlog reader wraps them negative)");
        }
        deliberate("r", "value after.f", "INIT FLOAT: the stored float (Debezium's snapshot: MySQL's 6-digit text)");
        // NotNullRows: the columns with a DEFAULT (and later's, set by ALTER TABLE ... MODIFY while streaming)
        for (String col : List.of("tiu", "i", "bi", "b1", "dec2", "d", "dtd", "tm6", "dtm6", "ts", "ts6", "c", "ed", "later")) {
            for (String row : List.of("after", "before")) {
                deliberate(any, "schema " + row + "." + col + ".default", "no column defaults in the schema (Sluice's schema history does not keep them)");
            }
        }
        for (String row : List.of("after", "before")) {
            for (String col : List.of("dtd", "dtm6", "ts6")) {
                deliberate(any, "value " + row + "." + col, "a zero date in a NOT NULL column with a DEFAULT: the epoch (Debezium: the column's default)");
            }
            deliberate(any, "schema " + row + ".g.optional", "GEOMETRY NOT NULL: required (Debezium 3.6.1 declares it optional, POINT NOT NULL required)");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL831"})
    void sluiceDebeziumJsonEqualsDebeziumsOwnEventsFieldByField(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_dbz_parity_" + flavor.server;
        Scenario s = new Scenario(db, TypeRows.columns(), TypeRows.ROWS, table -> TypeRows.insert(server, table),
                List.of("UPDATE " + db + ".ts SET ti = 1, c_utf8 = 'changed' WHERE id = 1", "DELETE FROM " + db + ".ts WHERE id = 2",
                        "UPDATE " + db + ".ts SET id = 901 WHERE id = 3"),
                // the streamed changes in the same order: the key change is a delete of id 3, then a create of id 901
                List.of("ts u 1", "ts d 2", "ts d 3", "ts c 901"), List.of(2, 3), 8731, 8741);
        assertOnlyDeliberateDifferences(flavor, run(flavor, server, dir, s));
    }

    /**
     * NOT NULL columns of every type family, with and without DEFAULT values, holding zero dates and
     * zero-ish values (session sql_mode=''), values their defaults gave, and a column made NOT NULL by
     * ALTER TABLE ... MODIFY while streaming (the schema history must follow it): Debezium declares a
     * NOT NULL column required (optional: false) and gives a zero date in it the epoch, not null.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL831"})
    void notNullColumnsAndZeroValuesEqualDebeziumsOwnEvents(Flavor flavor, @TempDir Path dir) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_dbz_notnull_" + flavor.server;
        String ts = db + ".ts";
        Scenario s = new Scenario(db, NotNullRows.columns(), NotNullRows.ROWS, table -> NotNullRows.insert(server, table),
                List.of("ALTER TABLE " + ts + " MODIFY later INT NOT NULL DEFAULT 5",
                        "UPDATE " + ts + " SET dt = '0000-00-00', dtm6 = '0000-00-00 00:00:00', c = 'changed', later = 6 WHERE id = 2",
                        "DELETE FROM " + ts + " WHERE id = 3"),
                List.of("ts u 2", "ts d 3"), List.of(3), 8751, 8761);
        assertOnlyDeliberateDifferences(flavor, run(flavor, server, dir, s));
    }

    /** Fills a table with its rows. */
    interface Rows {
        void insert(String table) throws Exception;
    }

    /**
     * Two tables of {@code columns} in {@code db}: {@code ti} filled before both start (snapshot/INIT),
     * {@code ts} filled while both stream, then {@code changes} run; {@code streamed} the labels of
     * the changes' events in order, {@code tombstones} the ids of Debezium's tombstones.
     */
    record Scenario(String db, Map<String, String> columns, int rows, Rows fill, List<String> changes, List<String> streamed,
                    List<Object> tombstones, long sluiceServerId, long debeziumServerId) {

        /** The snapshot rows, the streamed inserts and the changes' events. */
        int records() {
            return 2 * rows + streamed.size();
        }
    }

    /** Runs a Sluice job and Debezium on the scenario's tables; the differences found: op + path -> first event showing it. */
    private static Map<String, String> run(Flavor flavor, MySqlServer server, Path dir, Scenario s) throws Exception {
        String db = s.db();
        String topic = db.replace('_', '-') + "-" + System.nanoTime();
        StringBuilder cols = new StringBuilder();
        s.columns().forEach((n, d) -> cols.append('`').append(n).append("` ").append(d).append(','));
        cols.setLength(cols.length() - 1);
        server.exec("DROP DATABASE IF EXISTS " + db, "CREATE DATABASE " + db + " CHARACTER SET utf8mb4",
                "CREATE TABLE " + db + ".ti (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                "CREATE TABLE " + db + ".ts (" + cols + ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4");
        s.fill().insert(db + ".ti");
        int records = s.records();

        Path events = dir.resolve("debezium.jsonl");
        Path log = dir.resolve("debezium.log");
        String yaml = JobYaml.of("dbzp-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".ti, " + db + ".ts",
                        s.sluiceServerId() + flavor.ordinal())
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  format: debeziumJson\n  debezium: {schemas: true}\n");
        Process debezium = startDebezium(server, db, flavor.server, s.debeziumServerId() + flavor.ordinal(), dir, events, log);
        List<ConsumerRecord<byte[], byte[]>> sluice;
        try (RunningJob job = RunningJob.start(yaml); RawTopic reader = new RawTopic(Servers.kafkaBootstrap(), topic)) {
            assertEquals(s.rows(), reader.await(s.rows(), Duration.ofSeconds(120)).size(), "Sluice INIT records");
            awaitLog(debezium, log, "Connected to binlog at", Duration.ofSeconds(120)); // its snapshot is done
            s.fill().insert(db + ".ts");
            server.exec(s.changes().toArray(String[]::new));
            reader.await(records, Duration.ofSeconds(120));
            sluice = reader.drain(Duration.ofSeconds(2));
            assertNull(job.failure());
            awaitLines(debezium, log, events, records + s.tombstones().size(), Duration.ofSeconds(120));
        } finally {
            debezium.destroyForcibly().waitFor();
        }
        assertEquals(records, sluice.size(), "Sluice records");

        JsonConverter keys = converter(true);
        JsonConverter values = converter(false);
        Map<String, SchemaAndValue[]> ours = new TreeMap<>();
        List<String> ourOrder = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : sluice) {
            SchemaAndValue k = keys.toConnectData(topic, r.key());
            SchemaAndValue v = values.toConnectData(topic, r.value());
            String label = label((Struct) k.value(), (Struct) v.value());
            ours.put(label, new SchemaAndValue[] {k, v});
            ourOrder.add(label);
        }
        Map<String, SchemaAndValue[]> theirs = new TreeMap<>();
        List<String> theirOrder = new ArrayList<>();
        List<Object> tombstones = new ArrayList<>();
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            JsonNode n = JSON.readTree(line);
            SchemaAndValue k = keys.toConnectData(topic, JSON.writeValueAsBytes(n.get("key")));
            if (n.get("value").isNull()) { // Debezium's tombstone after a delete: documented, Sluice writes none
                tombstones.add(((Struct) k.value()).get("id"));
                continue;
            }
            SchemaAndValue v = values.toConnectData(topic, JSON.writeValueAsBytes(n.get("value")));
            String label = label((Struct) k.value(), (Struct) v.value());
            theirs.put(label, new SchemaAndValue[] {k, v});
            theirOrder.add(label);
        }
        assertEquals(s.tombstones(), tombstones, "Debezium's tombstones: after each delete");
        assertEquals(ours.keySet(), theirs.keySet(), "the same change events");
        assertEquals(s.streamed(), ourOrder.stream().filter(s.streamed()::contains).toList(), "Sluice's order");
        assertEquals(s.streamed(), theirOrder.stream().filter(s.streamed()::contains).toList(), "Debezium's order");
        assertEquals(records, ours.size());

        Map<String, String> found = new TreeMap<>(); // op + path -> first event showing it
        for (Map.Entry<String, SchemaAndValue[]> e : ours.entrySet()) {
            SchemaAndValue[] o = e.getValue();
            SchemaAndValue[] t = theirs.get(e.getKey());
            String op = ((Struct) o[1].value()).getString("op");
            List<String> diffs = new ArrayList<>();
            compareSchema("key", o[0].schema(), t[0].schema(), diffs);
            compareValue("key", o[0].value(), t[0].value(), diffs);
            compareSchema("", o[1].schema(), t[1].schema(), diffs);
            compareValue("", o[1].value(), t[1].value(), diffs);
            for (String d : diffs) {
                String[] pathAndValues = d.split("\t", 2);
                found.putIfAbsent(op + " " + pathAndValues[0], e.getKey() + (pathAndValues.length > 1 ? ": " + pathAndValues[1] : ""));
            }
        }
        return found;
    }

    private static void assertOnlyDeliberateDifferences(Flavor flavor, Map<String, String> found) {
        Set<String> undocumented = new TreeSet<>(found.keySet());
        undocumented.removeAll(DELIBERATE.keySet());
        Set<String> unseen = new TreeSet<>(DELIBERATE.keySet());
        unseen.removeAll(found.keySet());
        System.out.println("differences from Debezium (" + flavor + "): " + found);
        System.out.println("documented differences not seen on " + flavor + ": " + unseen);
        assertTrue(undocumented.isEmpty(), "differences from Debezium not listed in docs/formats.md: "
                + undocumented.stream().map(d -> d + " (" + found.get(d) + ")").toList());
    }

    /** "table op id" of an event. */
    private static String label(Struct key, Struct value) {
        return value.getStruct("source").getString("table") + " " + value.getString("op") + " " + key.get("id");
    }

    // ---- field-by-field comparison; paths: "schema X.attribute" and "value X" ----

    private static void compareSchema(String path, Schema ours, Schema theirs, List<String> diffs) {
        String p = "schema " + (path.isEmpty() ? "<envelope>" : path);
        if (ours == null || theirs == null) {
            if (ours != theirs) diffs.add(p + (ours == null ? " missing" : " extra"));
            return;
        }
        if (ours.type() != theirs.type()) {
            diffs.add(p + ".type");
            return;
        }
        if (!Objects.equals(ours.name(), theirs.name())) diffs.add(p + ".name");
        if (ours.isOptional() != theirs.isOptional()) diffs.add(p + ".optional");
        if (!Objects.equals(ours.version(), theirs.version())) diffs.add(p + ".version");
        if (!Objects.equals(ours.doc(), theirs.doc())) diffs.add(p + ".doc");
        if (!Objects.equals(ours.parameters(), theirs.parameters())) diffs.add(p + ".parameters");
        if (!sameValue(ours.defaultValue(), theirs.defaultValue())) diffs.add(p + ".default");
        if (ours.type() == Schema.Type.STRUCT) {
            List<String> on = ours.fields().stream().map(Field::name).toList();
            List<String> tn = theirs.fields().stream().map(Field::name).toList();
            for (String f : on) if (!tn.contains(f)) diffs.add(p + "." + f + " extra");
            for (String f : tn) if (!on.contains(f)) diffs.add(p + "." + f + " missing");
            if (!on.stream().filter(tn::contains).toList().equals(tn.stream().filter(on::contains).toList())) diffs.add(p + ".fieldOrder");
            for (Field f : ours.fields()) {
                Field tf = theirs.field(f.name());
                if (tf != null) compareSchema(join(path, f.name()), f.schema(), tf.schema(), diffs);
            }
        } else if (ours.type() == Schema.Type.ARRAY) {
            compareSchema(path + "[]", ours.valueSchema(), theirs.valueSchema(), diffs);
        } else if (ours.type() == Schema.Type.MAP) {
            compareSchema(path + "{k}", ours.keySchema(), theirs.keySchema(), diffs);
            compareSchema(path + "{v}", ours.valueSchema(), theirs.valueSchema(), diffs);
        }
    }

    private static void compareValue(String path, Object ours, Object theirs, List<String> diffs) {
        if (ours instanceof Struct o && theirs instanceof Struct t) {
            for (Field f : o.schema().fields()) {
                if (t.schema().field(f.name()) != null) compareValue(join(path, f.name()), o.get(f), t.get(f.name()), diffs);
            }
        } else if (!sameValue(ours, theirs)) {
            diffs.add("value " + (path.isEmpty() ? "<envelope>" : path) + "\t" + render(ours) + " (Sluice) vs " + render(theirs) + " (Debezium)");
        }
    }

    private static String render(Object v) {
        Object b = bytes(v);
        return b instanceof byte[] a ? java.util.HexFormat.of().formatHex(a) : String.valueOf(b);
    }

    private static boolean sameValue(Object a, Object b) {
        return Objects.deepEquals(bytes(a), bytes(b));
    }

    private static Object bytes(Object v) {
        if (v instanceof ByteBuffer b) {
            byte[] out = new byte[b.remaining()];
            b.duplicate().get(out);
            return out;
        }
        return v;
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static JsonConverter converter(boolean isKey) {
        JsonConverter c = new JsonConverter();
        c.configure(Map.of("schemas.enable", "true"), isKey);
        return c;
    }

    // ---- Debezium embedded, in its own JVM ----

    /**
     * Debezium's MySQL connector on {@code db.ti} and {@code db.ts}: snapshot, then streaming; the
     * modes Sluice writes (decimal precise, adaptive_time_microseconds, bytes, and BIGINT UNSIGNED
     * precise: Sluice's only mode for it), offsets and schema history in memory, no snapshot locks
     * (the servers are shared; nothing writes these tables during the snapshot).
     */
    private static Process startDebezium(MySqlServer server, String db, String prefix, long serverId, Path dir, Path events, Path log)
            throws IOException {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("name", "dbz-parity-" + prefix);
        p.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        p.put("topic.prefix", prefix); // Sluice's source.name: the schema names' prefix
        p.put("database.hostname", server.host());
        p.put("database.port", String.valueOf(server.port()));
        p.put("database.user", "root");
        p.put("database.password", "");
        p.put("database.server.id", String.valueOf(serverId));
        p.put("database.ssl.mode", "disabled");
        p.put("database.include.list", db);
        p.put("table.include.list", db + ".ti," + db + ".ts");
        p.put("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
        p.put("offset.flush.interval.ms", "60000");
        p.put("schema.history.internal", "io.debezium.relational.history.MemorySchemaHistory");
        // only these tables' structure in the snapshot: by default it reads every table on the shared server,
        // and fails when a test running alongside drops one meanwhile ("Table ... doesn't exist")
        p.put("schema.history.internal.store.only.captured.tables.ddl", "true");
        p.put("schema.history.internal.store.only.captured.databases.ddl", "true");
        p.put("include.schema.changes", "false");
        p.put("snapshot.locking.mode", "none");
        p.put("decimal.handling.mode", "precise");
        p.put("time.precision.mode", "adaptive_time_microseconds");
        p.put("binary.handling.mode", "bytes");
        p.put("bigint.unsigned.handling.mode", "precise");
        p.put("converter.schemas.enable", "true");
        Path props = dir.resolve("debezium.properties");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(props, text);
        Path runner = Servers.root().resolve("sluice-it-debezium/target");
        assertTrue(Files.isDirectory(runner.resolve("lib")), "build sluice-it-debezium first (mvn package): " + runner);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", runner.resolve("classes") + ":" + runner.resolve("lib") + "/*",
                "io.sluice.it.debezium.DebeziumToFile", props.toString(), events.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitLog(Process debezium, Path log, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains(text))) {
            if (!debezium.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Debezium did not log '" + text + "': " + tail(log));
            }
            Thread.sleep(200);
        }
    }

    private static void awaitLines(Process debezium, Path log, Path events, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(events) || Files.readAllLines(events).size() < count) {
            if (!debezium.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("Debezium wrote " + (Files.exists(events) ? Files.readAllLines(events).size() : 0)
                        + " of " + count + " events: " + tail(log));
            }
            Thread.sleep(200);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) return "(no log)";
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
