package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JSON document of about 2 MB (MySQL's large binary format: 4-byte offsets; 50,000 members of
 * every JSON type, nested arrays and objects, escapes, non-ASCII text) through a real binlog: its
 * INSERT, an UPDATE of another column (the document unchanged in both images) and an UPDATE of one
 * of its members arrive as the JSON MySQL stored (its own text of the document, compared as trees,
 * numbers by value), and the unchanged document's text is the same in the before and the after image;
 * a new job's initialization then reads the row with a SELECT and its INIT record carries the very
 * text the stream did.
 */
@Timeout(240)
class LargeJsonIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80"})
    void aMultiMegabyteDocumentArrivesWholeThroughInsertsAndUpdates(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_bigjson_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, status INT, doc JSON)");
        ObjectNode doc = document(new SplittableRandom(7));
        String text = JSON.writeValueAsString(doc);
        assertTrue(text.length() > 1_500_000, "a document of " + text.length() + " chars");

        String topic = "it-bigjson-" + flavor.server + "-" + System.nanoTime();
        String streamed;
        int limit = 20_000_000; // an UPDATE's record holds the document twice: above Kafka's default 1 MB
        createTopic(topic, limit);
        String yaml = JobYaml.of("bigjson-" + flavor.server, server, Servers.kafkaBootstrap(), topic, state, db + ".t", 7301,
                "max.request.size: " + limit + ", buffer.memory: 67108864");
        try (RunningJob job = RunningJob.start(yaml); DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            // the reference is the document as MySQL stored it: its parser may keep a double a few ulps off the text
            // it was given (9.198307792660975E-8 became 9.198307792660977E-8 on 5.7 and 8.0)
            JsonNode stored, storedChanged;
            try (Connection c = server.root();
                 PreparedStatement ps = c.prepareStatement("INSERT INTO " + db + ".t VALUES (1, 1, ?)")) {
                ps.setString(1, text);
                ps.executeUpdate();
                stored = storedDoc(c, db);
                c.createStatement().execute("UPDATE " + db + ".t SET status = 2 WHERE id = 1");
                c.createStatement().execute("UPDATE " + db + ".t SET doc = JSON_SET(doc, '$.m00010', 'changed \"here\" \u00e9') WHERE id = 1");
                storedChanged = storedDoc(c, db);
            }
            assertEquals(doc.size(), stored.size());
            assertEquals("changed \"here\" \u00e9", storedChanged.get("m00010").asText());
            List<GenericRecord> records = out.await(3, Duration.ofSeconds(120));
            assertEquals(3, records.size(), () -> "three records; the job's failure: " + job.failure());
            assertEquals(List.of("INSERT", "UPDATE", "UPDATE"), records.stream().map(r -> r.get("operation").toString()).toList());

            assertSameJson(stored, docOf(records.get(0), "afterImages"), "the INSERT");
            String before = docOf(records.get(1), "beforeImages"), after = docOf(records.get(1), "afterImages");
            assertEquals(before, after, "the document the UPDATE did not change is the same text in both images");
            assertSameJson(stored, after, "the UPDATE of another column");
            assertEquals(after, docOf(records.get(2), "beforeImages"));
            assertSameJson(storedChanged, docOf(records.get(2), "afterImages"), "the UPDATE of a member");
            streamed = docOf(records.get(2), "afterImages");
        }

        // a new job's initialization reads the row with a SELECT (MySQL's text, past the one-pass path's 1 MB): its INIT
        // record carries the text the stream did
        String init = initialized(server, db, topic + "-init", state.resolve("init"), 7302, limit);
        assertTrue(streamed.equals(init), () -> "the INIT record's text is the stream's; they differ " + difference(streamed, init));
    }

    /**
     * Values MySQL keeps inside a document as its own types (DECIMAL, DATETIME, DATE, TIME: "opaque"
     * in the binary format), beside a double without a fractional part: the streamed record's text
     * is the initialization's.
     */
    @ParameterizedTest
    @EnumSource(value = Flavor.class, names = {"MYSQL57", "MYSQL80"})
    void opaqueValuesReadTheSameFromTheBinlogAndFromASelect(Flavor flavor, @TempDir Path state) throws Exception {
        MySqlServer server = flavor.start();
        String db = "it_opaquejson_" + flavor.server;
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY, doc JSON)");
        String topic = "it-opaquejson-" + flavor.server + "-" + System.nanoTime();
        String streamed;
        try (RunningJob job = RunningJob.start(JobYaml.of("opaquejson-" + flavor.server, server, topic, state, db + ".t", 7303));
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            server.exec("INSERT INTO " + db + ".t VALUES (1, JSON_OBJECT('dec', CAST(1.50 AS DECIMAL(4,2)),"
                    + " 'dt', CAST('2020-01-02 03:04:05.678' AS DATETIME(3)), 'd', CAST('2020-01-02' AS DATE),"
                    + " 't', CAST('03:04:05' AS TIME), 'tn', CAST('-12:34:56.5' AS TIME(1)), 'th', CAST('838:59:59' AS TIME),"
                    + " 'd0', CAST(12345678.90 AS DECIMAL(10,2)), 'd18', CAST('123456789012345678.5' AS DECIMAL(20,1)),"
                    + " 'x', -4999.0e0, 'y', 0.5e0, 'n', 7))");
            List<GenericRecord> records = out.await(1, Duration.ofSeconds(60));
            assertEquals(1, records.size(), () -> "the INSERT; the job's failure: " + job.failure());
            streamed = docOf(records.get(0), "afterImages");
        }
        assertEquals(streamed, initialized(server, db, topic + "-init", state.resolve("init"), 7304, 0),
                "the streamed text is the initialization's");
    }

    /** 50,000 members: strings (escapes, control characters, non-ASCII, emoji), integers to 2^62, doubles, literals, nested containers. */
    private static ObjectNode document(SplittableRandom rnd) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < 50_000; i++) doc.set(String.format("m%05d", i), value(rnd, 0));
        return doc;
    }

    private static JsonNode value(SplittableRandom rnd, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (rnd.nextInt(depth < 3 ? 9 : 7)) {
            case 0 -> f.textNode("text " + rnd.nextInt(1_000_000) + " \"quoted\" back\\slash tab\t newline\n \u0001 \u00e9\u4e2d \ud83d\ude00");
            case 1 -> f.numberNode(rnd.nextInt());
            case 2 -> f.numberNode(rnd.nextLong() >> 1);
            case 3 -> f.numberNode(rnd.nextInt(-1_000_000, 1_000_000) / 64.0);
            case 4 -> f.numberNode(rnd.nextDouble() * 1e-7);
            case 5 -> f.booleanNode(rnd.nextBoolean());
            case 6 -> f.nullNode();
            case 7 -> {
                ArrayNode a = f.arrayNode();
                for (int k = rnd.nextInt(5); k > 0; k--) a.add(value(rnd, depth + 1));
                yield a;
            }
            default -> {
                ObjectNode o = f.objectNode();
                for (int k = rnd.nextInt(5); k > 0; k--) o.set("n" + k, value(rnd, depth + 1));
                yield o;
            }
        };
    }

    private static String difference(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.charAt(i) == b.charAt(i)) i++;
        int from = Math.max(0, i - 60);
        return "at " + i + " of " + a.length() + "/" + b.length() + ": streamed ..." + a.substring(from, Math.min(a.length(), i + 60))
                + "... INIT ..." + b.substring(from, Math.min(b.length(), i + 60)) + "...";
    }

    /**
     * The document of row 1 as a new job's initialization writes it (its one INIT record).
     * @param limit the topic's and the producer's record size limit, 0 for Kafka's defaults
     */
    private static String initialized(MySqlServer server, String db, String topic, Path state, long serverId, int limit) throws Exception {
        if (limit > 0) createTopic(topic, limit);
        String yaml = JobYaml.of("json-init-" + System.nanoTime(), server, Servers.kafkaBootstrap(), topic, state, db + ".t", serverId,
                limit > 0 ? "max.request.size: " + limit + ", buffer.memory: 67108864" : null) + "initialization:\n  fullData: true\n";
        try (RunningJob job = RunningJob.start(yaml); DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            List<GenericRecord> records = out.await(1, Duration.ofSeconds(120));
            assertEquals(1, records.size(), () -> "the INIT record; the job's failure: " + job.failure());
            assertEquals("INIT", records.get(0).get("operation").toString());
            return docOf(records.get(0), "afterImages");
        }
    }

    /** A topic taking records of up to {@code limit} bytes. */
    private static void createTopic(String topic, int limit) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Servers.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes", String.valueOf(limit)))))
                    .all().get();
        }
    }

    /** MySQL's text of the stored document (doubles with enough digits to be the stored ones again). */
    private static JsonNode storedDoc(Connection c, String db) throws Exception {
        try (var rs = c.createStatement().executeQuery("SELECT doc FROM " + db + ".t WHERE id = 1")) {
            assertTrue(rs.next());
            return JSON.readTree(rs.getString(1));
        }
    }

    private static String docOf(GenericRecord record, String image) {
        List<Value> values = Images.of(record, image);
        Value v = values.get(values.size() - 1); // the document is the last column
        assertEquals("JSON", ((Value.TextObjectValue) v).type());
        return ((Value.TextObjectValue) v).value();
    }

    /** Equal JSON trees, numbers compared by value (MySQL prints a double its own way; 1.0 and 1.00 are one number). */
    private static void assertSameJson(JsonNode expected, String actual, String what) throws Exception {
        JsonNode got = JSON.readTree(actual);
        assertEquals(expected.size(), got.size(), what + ": members");
        for (var it = expected.fields(); it.hasNext(); ) {
            var member = it.next();
            JsonNode value = got.get(member.getKey());
            assertTrue(value != null && member.getValue().equals(NUMBERS_BY_VALUE, value),
                    () -> what + ": member " + member.getKey() + " is " + value + ", expected " + member.getValue());
        }
    }

    private static final Comparator<JsonNode> NUMBERS_BY_VALUE = (a, b) -> a.equals(b) ? 0
            : a.isNumber() && b.isNumber() && a.decimalValue().compareTo(b.decimalValue()) == 0 ? 0 : 1;
}
