package io.sluice.core.config;

import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** target.topics in the job file: its forms, its order, and the mistakes named with their fix. */
class TopicsConfigTest {

    private static String job(String topics) {
        return """
                name: j
                source: {name: s, host: h, user: u, serverId: 1}
                target:
                  bootstrapServers: k:9092
                  topic: rest
                %s
                objects: {include: [shop.*]}
                """.formatted(topics);
    }

    private static JobConfig parse(String topics) {
        return new JobConfigLoader(k -> null).parse(job(topics), "job.yaml");
    }

    private static SluiceException fails(String topics) {
        SluiceException e = assertThrows(SluiceException.class, () -> parse(topics));
        assertTrue(e.fix() != null && !e.fix().isBlank(), "a fix: " + e.getMessage());
        assertTrue(e.problem().startsWith("job.yaml: key 'target.topics"), e.problem());
        return e;
    }

    @Test
    void aMappingKeepsItsOrder() {
        JobConfig c = parse("  topics: {shop.orders: orders, 'shop.*': shop-rest, '`a.b`.c': odd}");
        assertEquals(List.of("shop.orders", "shop.*", "`a.b`.c"), List.copyOf(c.target.topics.keySet()));
        assertEquals(List.of("orders", "shop-rest", "odd"), List.copyOf(c.target.topics.values()));
    }

    @Test
    void theFlatTextFormIsTheSameMapping() {
        JobConfig c = parse("  topics: 'shop.orders:orders,shop.*:shop-rest'");
        assertEquals(Map.of("shop.orders", "orders", "shop.*", "shop-rest"), c.target.topics);
        assertEquals(List.of("shop.orders", "shop.*"), List.copyOf(c.target.topics.keySet()));
    }

    @Test
    void absentMeansEveryTableToTheDefaultTopic() {
        assertTrue(parse("").target.topics.isEmpty());
    }

    @Test
    void placeholdersAreAccepted() {
        assertEquals("cdc.{database}.{table}", parse("  topics: {'shop.*': 'cdc.{database}.{table}'}").target.topics.get("shop.*"));
    }

    @Test
    void anEmptyTopicNameIsNamedWithTheFix() {
        SluiceException e = fails("  topics: {shop.orders: ''}");
        assertTrue(e.problem().contains("'target.topics.shop.orders' has an empty topic name"), e.problem());
        assertTrue(e.fix().contains("remove the entry"), e.fix());
        fails("  topics: {shop.orders: }");
        fails("  topics: 'shop.orders:'");
    }

    @Test
    void badEntriesAreNamed() {
        assertTrue(fails("  topics: {shop.orders: 'no spaces'}").problem().contains("a Kafka topic name"));
        assertTrue(fails("  topics: {shop.orders: 'x.{schema}'}").problem().contains("{database} and {table}"));
        assertTrue(fails("  topics: {orders: x}").problem().contains("table patterns"), "a pattern without a database");
        assertTrue(fails("  topics: 'shop.orders'").problem().contains("pattern:topic"));
        assertTrue(fails("  topics: 'shop.a:x,shop.a:y'").problem().contains("written twice"));
        assertTrue(fails("  topics: {shop.orders: [a, b]}").problem().contains("not a list"));
        assertTrue(fails("  topics: [a, b]").problem().contains("expected a mapping"));
        assertTrue(fails("  topics: {shop.orders: rest-sluice-checkpoints}").problem().contains("checkpoint topic"));
    }

    @Test
    void anEntryMayNameItsOwnFormatAsAMappingOrAfterAnAt() {
        JobConfig c = parse("  topics:\n    shop.orders: {topic: orders, format: debeziumJson}\n    'shop.a*': {topic: a}\n    'shop.*': shop-rest");
        assertEquals(List.of("orders", "a", "shop-rest"), List.copyOf(c.target.topics.values()));
        assertEquals(Map.of("shop.orders", JobConfig.Format.DEBEZIUM_JSON), c.target.topicFormats());
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, c.target.formatOf("shop.orders"));
        assertEquals(JobConfig.Format.DTS_AVRO, c.target.formatOf("shop.*"), "an entry without a format: target.format");
        JobConfig text = parse("  topics: 'shop.orders:orders@debeziumJson,shop.a*:a,shop.*:shop-rest@canal_json'");
        assertEquals(Map.of("shop.orders", "orders", "shop.a*", "a", "shop.*", "shop-rest"), text.target.topics);
        assertEquals(Map.of("shop.orders", JobConfig.Format.DEBEZIUM_JSON, "shop.*", JobConfig.Format.CANAL_JSON), text.target.topicFormats());
    }

    @Test
    void aBadOrConflictingEntryFormatIsNamed() {
        assertTrue(fails("  topics: {shop.orders: {topic: o, format: avro}}").problem().contains("expected dtsAvro, canalJson or debeziumJson"));
        assertTrue(fails("  topics: 'shop.orders:o@avro'").problem().contains("the format of entry 'shop.orders'"));
        assertTrue(fails("  topics: {shop.orders: {format: canalJson}}").problem().contains("has no topic"));
        assertTrue(fails("  topics: {shop.orders: {topic: o, partitions: 3}}").problem().contains("takes topic and format"));
        SluiceException e = fails("  topics:\n    shop.a: {topic: x, format: canalJson}\n    shop.b: x");
        assertTrue(e.problem().contains("'target.topics.shop.b' writes dtsAvro records to topic x, which gets canalJson records"), e.problem());
        e = fails("  topics: {shop.a: {topic: rest, format: debeziumJson}}");
        assertTrue(e.problem().contains("which gets dtsAvro records (target.format)"), e.problem());
        assertEquals("rest", parse("  format: canalJson\n  topics: {shop.a: {topic: rest, format: canalJson}}").target.topics.get("shop.a"),
                "the same format as target.format in target.topic");
    }

    @Test
    void aPatternWrittenTwiceInTheMappingIsNamed() {
        SluiceException e = assertThrows(SluiceException.class, () -> parse("  topics:\n    shop.a: x\n    shop.a: y"));
        assertTrue(e.problem().contains("written twice"), e.problem());
    }

    /** canal.batch: event does nothing unless some topic is written as Canal JSON: a mistake, named with its fix. */
    @Test
    void canalBatchEventNeedsACanalJsonTopic() {
        SluiceException e = assertThrows(SluiceException.class, () -> parse("  canal: {batch: event}"));
        assertTrue(e.problem().equals("job.yaml: key 'target.canal.batch' is event but no topic is written as canalJson (target.format is dtsAvro)"),
                e.problem());
        assertTrue(e.fix().contains("target.format: canalJson"), e.fix());
        assertThrows(SluiceException.class, () -> parse("  format: debeziumJson\n  canal: {batch: event}\n  topics: {shop.a: {topic: a, format: dtsAvro}}"));
        assertEquals(JobConfig.CanalBatch.EVENT, parse("  format: canalJson\n  canal: {batch: event}").target.canal.batch);
        assertEquals(JobConfig.CanalBatch.EVENT, parse("  canal: {batch: event}\n  topics: 'shop.a:a@canalJson'").target.canal.batch);
        assertEquals(JobConfig.CanalBatch.ROW, parse("  canal: {batch: row}").target.canal.batch); // the default, harmless anywhere
    }

    /** batchMaxRows without batch: event or a Canal topic, debezium.schemas without a Debezium topic: silently unused, so refused. */
    @Test
    void formatOptionsNoTopicUsesAreNamed() {
        SluiceException e = assertThrows(SluiceException.class, () -> parse("  format: canalJson\n  canal: {batchMaxRows: 50}"));
        assertEquals("job.yaml: key 'target.canal.batchMaxRows' is set but target.canal.batch is row (one message per row)", e.problem());
        assertTrue(e.fix().contains("target.canal.batch: event"), e.fix());
        e = assertThrows(SluiceException.class, () -> parse("  canal: {batch: row, batchMaxRows: 500}"));
        assertEquals("job.yaml: key 'target.canal.batchMaxRows' is set but no topic is written as canalJson (target.format is dtsAvro)", e.problem());
        e = assertThrows(SluiceException.class, () -> parse("  debezium: {schemas: false}"));
        assertEquals("job.yaml: key 'target.debezium.schemas' is set but no topic is written as debeziumJson (target.format is dtsAvro)", e.problem());
        assertTrue(e.fix().contains("target.format: debeziumJson"), e.fix());
        e = assertThrows(SluiceException.class, () -> parse("  format: canalJson\n  debezium: {schemas: false}\n  topics: 'shop.a:a@dtsAvro'"));
        assertTrue(e.problem().endsWith("(target.format is canalJson, target.topics entries: dtsAvro)"), e.problem());
        // the default written out changes nothing: accepted (earlier example job files had debezium.schemas: true under dtsAvro)
        assertTrue(parse("  debezium: {schemas: true}").target.debezium.schemas);
        assertEquals(1000, parse("  canal: {batch: row, batchMaxRows: 1000}").target.canal.batchMaxRows);
        // used: accepted
        assertEquals(50, parse("  format: canalJson\n  canal: {batch: event, batchMaxRows: 50}").target.canal.batchMaxRows);
        assertEquals(50, parse("  canal: {batch: event, batchMaxRows: 50}\n  topics: 'shop.a:a@canalJson'").target.canal.batchMaxRows);
        assertFalse(parse("  debezium: {schemas: false}\n  topics: 'shop.a:a@debeziumJson'").target.debezium.schemas);
        assertFalse(parse("  format: debeziumJson\n  debezium: {schemas: false}").target.debezium.schemas);
    }
}
