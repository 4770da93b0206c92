import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.File;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a Sluice topic and prints each DTS record, until stopped. From an unpacked release (Java 17+,
 * which runs a single source file; lib/ has Avro and the Kafka client):
 *   java -cp "lib/*" docs/examples/DtsConsumer.java BOOTSTRAP TOPIC docs/format/Record.avsc [GROUP]
 * In a project: org.apache.avro:avro and org.apache.kafka:kafka-clients.
 */
public class DtsConsumer {

    public static void main(String[] args) throws Exception {
        // Record.avsc is a JSON array of named types (a union); the message value is one Record
        Schema union = new Schema.Parser().parse(new File(args[2]));
        Schema recordSchema = union.getTypes().stream()
                .filter(s -> s.getFullName().equals("com.alibaba.dts.formats.avro.Record")).findFirst().orElseThrow();
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(recordSchema);

        Properties p = new Properties();
        p.put("bootstrap.servers", args[0]);
        p.put("group.id", args.length > 3 ? args[3] : "dts-consumer-example");
        p.put("isolation.level", "read_committed");   // only committed Kafka transactions (exactly-once)
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");          // commit offsets after applying the records
        Map<Integer, Long> lastId = new HashMap<>();   // per partition: ids only grow within one
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(args[1]));
            while (true) {
                var batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> m : batch) {
                    BinaryDecoder in = DecoderFactory.get().binaryDecoder(m.value(), null);
                    GenericRecord r = reader.read(null, in);
                    long id = (Long) r.get("id");
                    // at-least-once: a retried send can repeat a record with its id; skip it
                    if (id <= lastId.getOrDefault(m.partition(), 0L)) continue;
                    lastId.put(m.partition(), id);
                    System.out.println(describe(r));   // apply the change here
                }
                if (!batch.isEmpty()) consumer.commitSync();
            }
        }
    }

    /** "#id OPERATION db.table before=... after=..." with the column names of the record's fields. */
    static String describe(GenericRecord r) {
        String op = r.get("operation").toString();
        StringBuilder s = new StringBuilder("#" + r.get("id") + " " + op + " " + r.get("objectName"));
        if (op.equals("DDL")) return s.append(" ").append(r.get("afterImages")).toString();
        List<String> names = new ArrayList<>();
        for (Object f : (List<?>) r.get("fields")) names.add(((GenericRecord) f).get("name").toString());
        for (String image : List.of("beforeImages", "afterImages")) {
            if (r.get(image) == null) continue;
            List<?> values = (List<?>) r.get(image);
            Map<String, Object> row = new java.util.LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) row.put(names.get(i), value(values.get(i)));
            s.append(image.equals("beforeImages") ? " before=" : " after=").append(row);
        }
        return s.toString();
    }

    /** One column value (a branch of the image union) as a Java value; see docs/format.md. */
    static Object value(Object v) {
        if (!(v instanceof GenericRecord g)) return v;                 // null
        return switch (g.getSchema().getName()) {
            case "Integer" -> new java.math.BigInteger(g.get("value").toString());
            case "Decimal" -> new BigDecimal(g.get("value").toString());
            case "Float" -> g.get("value");
            case "Character" -> text((ByteBuffer) g.get("value"), g.get("charset").toString());
            case "TextObject" -> g.get("value").toString();             // ENUM, SET, JSON
            case "BinaryObject", "BinaryGeometry" -> bytes((ByteBuffer) g.get("value"));
            default -> g;                                                // DateTime, Timestamp, ...: their fields
        };
    }

    static Object text(ByteBuffer b, String mysqlCharset) {
        if (mysqlCharset.equals("binary")) return bytes(b);
        Charset cs = switch (mysqlCharset) {
            case "utf8", "utf8mb3", "utf8mb4" -> StandardCharsets.UTF_8;
            case "latin1" -> Charset.forName("windows-1252");          // MySQL's latin1 is cp1252
            case "ascii" -> StandardCharsets.US_ASCII;
            default -> Charset.forName(mysqlCharset);                  // gbk, big5, ...
        };
        return new String(bytes(b), cs);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}
