package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DottedJobConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "orders-cdc");
        p.put("connector.class", "io.sluice.connect.SluiceSourceConnector");
        p.put("tasks.max", "1");
        p.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        p.put("transaction.boundary", "connector");
        p.put("source.host", "db1");
        p.put("source.user", "sluice");
        p.put("source.password", "s3cr3t-pw");
        p.put("source.serverId", "5401");
        p.put("source.name", "shop");
        p.put("target.bootstrapServers", "k1:9092");
        p.put("target.topic", "shop-dts");
        p.put("objects.include", "shop.orders, `odd.db`.`a,b` ,shop.items");
        return p;
    }

    @Test
    void dottedKeysBecomeTheJobFileTree() {
        Map<String, String> p = minimal();
        p.put("source.port", "3307");
        p.put("target.partitions", "3");
        p.put("target.partitionBy", "primaryKey");
        p.put("target.ddl.enabled", "true");
        p.put("target.ddl.topic", "shop-ddl");
        p.put("target.transactionMaxRecords", "500");
        p.put("target.producer.compression.type", "lz4");
        p.put("objects.exclude", "shop.tmp_*");
        p.put("objects.mapping.databases.shop", "shop2");
        p.put("objects.mapping.tables.shop.orders", "shop2.orders_v2");
        p.put("objects.mapping.columns.shop.orders.qty", "quantity");
        p.put("initialization.fullData", "false");
        p.put("initialization.chunkSize", "1000");
        p.put("state.checkpointTopic", "cp");
        JobConfig c = DottedJobConfig.parse("orders-cdc", p);
        assertEquals("orders-cdc", c.name);
        assertEquals("db1", c.source.host);
        assertEquals(3307, c.source.port);
        assertEquals("s3cr3t-pw", c.source.password);
        assertEquals(5401L, c.source.serverId);
        assertEquals(3, c.target.partitions);
        assertTrue(c.target.partitionsSet());
        assertEquals(JobConfig.Partitioning.PRIMARY_KEY, c.target.partitionBy);
        assertTrue(c.target.ddl.enabled);
        assertEquals("shop-ddl", c.target.ddl.topic);
        assertEquals(500, c.target.transactionMaxRecords);
        assertEquals(Map.of("compression.type", "lz4"), c.target.producer);
        assertEquals(List.of("shop.orders", "`odd.db`.`a,b`", "shop.items"), c.objects.include);
        assertEquals(List.of("shop.tmp_*"), c.objects.exclude);
        assertEquals(Map.of("shop", "shop2"), c.objects.mapping.databases);
        assertEquals(Map.of("shop.orders", "shop2.orders_v2"), c.objects.mapping.tables);
        assertEquals(Map.of("shop.orders", Map.of("qty", "quantity")), c.objects.mapping.columns);
        assertFalse(c.initialization.fullData);
        assertEquals(1000, c.initialization.chunkSize);
        assertEquals("cp", c.state.checkpointTopic);
    }

    @Test
    void topicsPerTableAndTheRecordFormatComeThroughTheirFlatForms() {
        Map<String, String> p = minimal();
        p.put("target.topics", "shop.orders:orders,shop.*:shop-{table}");
        p.put("target.format", "debeziumJson");
        p.put("target.debezium.schemas", "false");
        JobConfig c = DottedJobConfig.parse("orders-cdc", p);
        assertEquals(java.util.List.of("shop.orders", "shop.*"), java.util.List.copyOf(c.target.topics.keySet()));
        assertEquals("shop-{table}", c.target.topics.get("shop.*"));
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, c.target.format);
        assertFalse(c.target.debezium.schemas);

        // an entry's own format after '@', and the Canal options
        Map<String, String> perTopic = minimal();
        perTopic.put("target.topics", "shop.orders:orders@canalJson,shop.*:shop-{table}");
        perTopic.put("target.format", "debeziumJson");
        perTopic.put("target.canal.batch", "event");
        perTopic.put("target.canal.batchMaxRows", "200");
        JobConfig t = DottedJobConfig.parse("orders-cdc", perTopic);
        assertEquals("orders", t.target.topics.get("shop.orders"));
        assertEquals(JobConfig.Format.CANAL_JSON, t.target.formatOf("shop.orders"));
        assertEquals(JobConfig.Format.DEBEZIUM_JSON, t.target.formatOf("shop.*"));
        assertEquals(JobConfig.CanalBatch.EVENT, t.target.canal.batch);
        assertEquals(200, t.target.canal.batchMaxRows);

        Map<String, String> separate = minimal();
        separate.put("target.topics.shop.orders", "orders");
        SluiceException e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", separate));
        assertTrue(e.fix().contains("target.topics=<pattern>:<topic>"), e.fix());
    }

    @Test
    void keysLeftOutKeepTheJobFileDefaults() {
        JobConfig c = DottedJobConfig.parse("orders-cdc", minimal());
        JobConfig.Target defaults = new JobConfig.Target();
        assertEquals(3306, c.source.port);
        assertEquals(defaults.partitions, c.target.partitions);
        assertFalse(c.target.partitionsSet());
        assertEquals(defaults.transactionMaxRecords, c.target.transactionMaxRecords);
        assertEquals(defaults.commitIntervalMs, c.target.commitIntervalMs);
        assertTrue(c.initialization.fullData);
        assertFalse(c.target.ddl.enabled);
    }

    @Test
    void connectConfigProviderPlaceholdersAreNotExpandedAsEnvironmentVariables() {
        Map<String, String> p = minimal();
        p.put("source.password", "a${HOME}b");
        assertEquals("a${HOME}b", DottedJobConfig.parse("orders-cdc", p).source.password);
    }

    @Test
    void errorsNameTheDottedKey() {
        Map<String, String> p = minimal();
        p.put("target.partitions", "many");
        SluiceException e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", p));
        assertTrue(e.problem().contains("key 'target.partitions'"), e.problem());
        assertEquals("target.partitions", ConnectorValidation.keyOf(e.problem()));

        Map<String, String> q = minimal();
        q.put("target.partitonBy", "table");
        e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", q));
        assertTrue(e.problem().contains("unknown key 'target.partitonBy'"), e.problem());

        Map<String, String> r = minimal();
        r.remove("source.serverId");
        e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", r));
        assertTrue(e.problem().contains("'source.serverId'"), e.problem());

        Map<String, String> s = minimal();
        s.put("initialization.fullData", "yes");
        e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", s));
        assertTrue(e.problem().contains("key 'initialization.fullData'"), e.problem());
    }

    @Test
    void aMapKeyNeedsItsEntryName() {
        Map<String, String> p = minimal();
        p.put("objects.mapping.databases", "shop=shop2");
        SluiceException e = assertThrows(SluiceException.class, () -> DottedJobConfig.parse("orders-cdc", p));
        assertTrue(e.fix().contains("objects.mapping.databases.<name>"), e.fix());
    }

    @Test
    void theStatusPageAndConnectsOwnKeysAreIgnored() {
        Map<String, String> p = minimal();
        p.put("status.httpPort", "8080");
        p.put("errors.tolerance", "all");
        p.put("exactly.once.support", "required");
        p.put("initialization.reinitializeToken", "2026-12-02"); // the Connect shell's own (ReinitializeToken), no job file key
        assertEquals(0, DottedJobConfig.parse("orders-cdc", p).status.httpPort);
    }

    @Test
    void listsSplitOnCommasOutsideBackticks() {
        assertEquals(List.of("a.b", "`c,d`.e"), DottedJobConfig.splitList(" a.b ,, `c,d`.e ,"));
    }
}
