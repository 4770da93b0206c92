package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.DdlChange;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * target.topics entries naming their own format: each record, DDL records included, in the format
 * of the topic it goes to; Canal batching where that topic's format batches; the ids read back
 * per topic's format; two formats meeting in one topic stop the job.
 */
class DispatcherTopicFormatsTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema ORDERS = table("shop", "orders");
    private static final TableSchema ITEMS = table("shop", "items");
    private static final TableSchema OTHER = table("crm", "other");

    private static TableSchema table(String db, String name) {
        return new TableSchema(new TableId(db, name), List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    }

    /** Each record as "topic id", read with the topic's format; each commit as "commit". */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> events = new ArrayList<>();
        final Map<String, byte[]> last = new LinkedHashMap<>();
        final Map<String, RecordFormat> formats;
        Checkpoint committed;

        RecordingDelivery(Map<String, RecordFormat> formats) { this.formats = formats; }

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            events.add(topic + " " + formats.get(topic).id(value)); // throws for a record of another format
            last.put(topic, value);
        }
        @Override public void commit(Checkpoint c) { events.add("commit"); committed = c; }
    }

    private static JobConfig config() {
        JobConfig c = new JobConfig();
        c.name = "j";
        c.source = new JobConfig.Source();
        c.source.name = "src";
        c.objects = new JobConfig.Objects();
        c.objects.include.add("*.*");
        c.target = new JobConfig.Target();
        c.target.topic = "rest";
        c.target.canal.batch = JobConfig.CanalBatch.EVENT;
        Map<String, Object> topics = new LinkedHashMap<>();
        topics.put("shop.orders", Map.of("topic", "orders", "format", "debeziumJson"));
        topics.put("shop.*", Map.of("topic", "shop", "format", "canalJson"));
        c.target.setTopics(topics);
        return c;
    }

    private static RowChange insert(TableSchema t, int id, long eventEnd) {
        return new RowChange(t, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(id))},
                new SourcePosition(FILE, eventEnd, 100, "gtid:1", 0));
    }

    @Test
    void eachRecordIsInItsTopicsFormat() throws Exception {
        JobConfig config = config();
        Router router = new Router(config.objects, config.target);
        TopicFormats formats = TopicFormats.of(config, router, List.of(ORDERS.id(), ITEMS.id(), OTHER.id()));
        assertEquals(Map.of("rest", JobConfig.Format.DTS_AVRO, "orders", JobConfig.Format.DEBEZIUM_JSON, "shop", JobConfig.Format.CANAL_JSON),
                formats.all());
        RecordingDelivery delivery = new RecordingDelivery(Map.of(
                "rest", RecordFormats.of(config.target, JobConfig.Format.DTS_AVRO),
                "orders", RecordFormats.of(config.target, JobConfig.Format.DEBEZIUM_JSON),
                "shop", RecordFormats.of(config.target, JobConfig.Format.CANAL_JSON)));
        Dispatcher d = new Dispatcher(router, RecordFormats.encoder(config, formats, "5.7.22", router), delivery, 1, 1000,
                Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        d.writeDdl(null, 0);
        Thread thread = new Thread(d);
        thread.start();
        d.onRow(insert(ORDERS, 1, 110));
        d.onRow(insert(ITEMS, 2, 120));  // one rows event of items: one Canal message
        d.onRow(insert(ITEMS, 3, 120));
        d.onRow(insert(OTHER, 4, 130));
        d.onRow(insert(ORDERS, 5, 140));
        d.onCommit(new BinlogOffset(FILE, 200, ""), "gtid:1", List.of());
        // DROP TABLE shop.items (no definition after it): a Canal DDL message in items' topic
        d.onDdl(new DdlChange("DROP TABLE shop.items", ITEMS.id(), null, null, new SourcePosition(FILE, 300, 200, "gtid:2", 0)));
        d.onCommit(new BinlogOffset(FILE, 300, ""), "gtid:2", List.of());
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        assertEquals(List.of("orders 1", "shop 2", "rest 3", "orders 4", "shop 5", "commit"), delivery.events);
        String ddl = new String(delivery.last.get("shop"), StandardCharsets.UTF_8);
        assertTrue(ddl.contains("\"isDdl\":true") && ddl.contains("DROP TABLE shop.items"), ddl);
        String canal = new String(RecordFormats.of(config.target, JobConfig.Format.CANAL_JSON).encoder("src", "5.7", router)
                .encodeRows(9, List.of(insert(ITEMS, 2, 120), insert(ITEMS, 3, 120)), router.route(ITEMS)), StandardCharsets.UTF_8);
        assertTrue(canal.contains("\"data\":[{\"id\":\"2\"},{\"id\":\"3\"}]"), canal);
    }

    /**
     * A table created (or renamed) into a topic no row went to yet: its DDL record, the topic's first,
     * is in the table's route's format, not target.format, and the topic has that format from then on.
     */
    @Test
    void ddlOfATableNewToTheJobIsInItsTopicsFormat() throws Exception {
        JobConfig config = config();
        Map<String, Object> topics = new LinkedHashMap<>();
        topics.put("crm.*", Map.of("topic", "crm.{table}", "format", "debeziumJson"));
        topics.put("shop.*", Map.of("topic", "shop.{table}", "format", "canalJson"));
        config.target.setTopics(topics);
        Router router = new Router(config.objects, config.target);
        TopicFormats formats = TopicFormats.of(config, router, List.of(OTHER.id(), ITEMS.id()));
        RecordFormat debezium = RecordFormats.of(config.target, JobConfig.Format.DEBEZIUM_JSON);
        RecordFormat canal = RecordFormats.of(config.target, JobConfig.Format.CANAL_JSON);
        RecordingDelivery delivery = new RecordingDelivery(Map.of("crm.other", debezium, "crm.fresh", debezium,
                "shop.renamed", canal, "shop.items", canal, "rest", RecordFormats.of(config.target, JobConfig.Format.DTS_AVRO)));
        Dispatcher d = new Dispatcher(router, RecordFormats.encoder(config, formats, "5.7.22", router), delivery, 1, 1000,
                Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        d.writeDdl(null, 0);
        d.recordTopicFormats(() -> formats.names(List.of("rest", "crm.fresh", "shop.renamed")));
        Thread thread = new Thread(d);
        thread.start();
        TableSchema fresh = table("crm", "fresh");
        d.onDdl(new DdlChange("CREATE TABLE crm.fresh (id INT PRIMARY KEY)", fresh.id(), fresh, null,
                new SourcePosition(FILE, 200, 100, "gtid:1", 0)));
        d.onCommit(new BinlogOffset(FILE, 200, ""), "gtid:1", List.of());
        d.onRow(insert(fresh, 7, 250));
        d.onCommit(new BinlogOffset(FILE, 260, ""), "gtid:2", List.of());
        TableSchema renamed = table("shop", "renamed");
        d.onDdl(new DdlChange("RENAME TABLE shop.items TO shop.renamed", renamed.id(), renamed, null,
                new SourcePosition(FILE, 300, 260, "gtid:3", 0)));
        d.onCommit(new BinlogOffset(FILE, 300, ""), "gtid:3", List.of());
        d.finish();
        thread.join(10_000);
        assertNull(d.failure()); // a record in another format than its topic's fails RecordingDelivery.send
        assertEquals(List.of("crm.fresh 1", "crm.fresh 2", "shop.renamed 3", "commit"), delivery.events);
        String ddl = new String(delivery.last.get("shop.renamed"), StandardCharsets.UTF_8);
        assertTrue(ddl.contains("\"isDdl\":true") && ddl.contains("RENAME TABLE"), ddl);
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, formats.of("crm.fresh"));
        assertEquals(JobConfig.Format.CANAL_JSON, formats.of("shop.renamed"));
        // each checkpoint names its topics' formats: a restart after crm.fresh is dropped still reads it as Debezium JSON
        assertEquals(Map.of("rest", "dtsAvro", "crm.fresh", "debeziumJson", "shop.renamed", "canalJson"), delivery.committed.topicFormats());
        assertEquals(delivery.committed.topicFormats(), Checkpoint.fromJson(delivery.committed.toJson()).topicFormats());
    }

    @Test
    void twoFormatsInOneTopicStopTheJob() {
        JobConfig config = config();
        Map<String, Object> topics = new LinkedHashMap<>();
        topics.put("shop.orders", Map.of("topic", "shop", "format", "debeziumJson")); // shop.* writes Canal there
        topics.put("shop.*", Map.of("topic", "{database}", "format", "canalJson"));
        config.target.setTopics(topics);
        Router router = new Router(config.objects, config.target);
        SluiceException e = assertThrows(SluiceException.class, () -> TopicFormats.of(config, router, List.of(ORDERS.id(), ITEMS.id())));
        assertTrue(e.problem().contains("topic shop would get canalJson records (table shop.items) and debeziumJson records (table shop.orders)"),
                e.problem());
        assertTrue(e.fix().contains("a topic of its own"), e.fix());
        // a table created later that brings the second format stops the job when its first record is encoded
        TopicFormats formats = TopicFormats.of(config, router, List.of(ORDERS.id()));
        var encoder = RecordFormats.encoder(config, formats, "5.7", router);
        assertThrows(SluiceException.class, () -> encoder.encode(1, insert(ITEMS, 1, 110), router.route(ITEMS)));
    }
}
