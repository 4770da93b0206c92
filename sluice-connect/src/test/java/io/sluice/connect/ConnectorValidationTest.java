package io.sluice.connect;

import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectorValidationTest {

    @Test
    void precheckItemsLandOnTheKeyToChange() {
        assertEquals("source.host", ConnectorValidation.keyFor("source connectivity"));
        assertEquals("source.user", ConnectorValidation.keyFor("privileges"));
        assertEquals("source.serverId", ConnectorValidation.keyFor("server_id"));
        assertEquals("source.host", ConnectorValidation.keyFor("binlog_format"));
        assertEquals("objects.include", ConnectorValidation.keyFor("selected tables"));
        assertEquals("target.topic", ConnectorValidation.keyFor("Kafka topic"));
        assertEquals("target.ddl.topic", ConnectorValidation.keyFor("Kafka DDL topic"));
        assertEquals("target.bootstrapServers", ConnectorValidation.keyFor("delivery"));
    }

    @Test
    void jobFileErrorsNameTheirKey() {
        assertEquals("objects.include", ConnectorValidation.keyOf("connector x: key 'objects.include[2]' is invalid, expected db.table"));
        assertEquals(null, ConnectorValidation.keyOf("something else"));
    }

    @Test
    void aBadValueIsReportedOnItsKeyWithoutThePassword() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "v1");
        p.put("source.host", "db1");
        p.put("source.user", "sluice");
        p.put("source.password", "pw-never-shown");
        p.put("source.serverId", "0");
        p.put("source.name", "shop");
        p.put("target.bootstrapServers", "k:9092");
        p.put("target.topic", "t");
        p.put("objects.include", "shop.orders");
        SluiceSourceConnector connector = new SluiceSourceConnector();
        Config result = connector.validate(p);
        ConfigValue serverId = value(result, "source.serverId");
        assertEquals(1, serverId.errorMessages().size(), serverId.errorMessages().toString());
        assertTrue(serverId.errorMessages().get(0).contains("positive 32-bit integer"), serverId.errorMessages().toString());
        for (ConfigValue v : result.configValues()) {
            for (String m : v.errorMessages()) assertFalse(m.contains("pw-never-shown"), m);
        }
    }

    @Test
    void aMissingRequiredKeyIsConnectsOwnError() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "v2");
        Config result = new SluiceSourceConnector().validate(p);
        assertFalse(value(result, "source.host").errorMessages().isEmpty());
        assertFalse(value(result, "objects.include").errorMessages().isEmpty());
    }

    @Test
    void anotherConverterThanByteArrayIsAnError() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "v3");
        p.put("source.host", "db1");
        p.put("source.user", "sluice");
        p.put("source.serverId", "0");
        p.put("source.name", "shop");
        p.put("target.bootstrapServers", "k:9092");
        p.put("target.topic", "t");
        p.put("objects.include", "shop.orders");
        p.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        Config result = new SluiceSourceConnector().validate(p);
        assertTrue(value(result, "value.converter").errorMessages().get(0).contains("ByteArrayConverter"));
    }

    /** Whatever an operator types, validate answers with errors on keys (a thrown exception would be a 500 from the REST API). */
    @Test
    void oddKeysAndValuesGiveErrorsOnKeysNeverAnException() {
        Map<String, String> base = new HashMap<>();
        base.put("name", "v4");
        base.put("source.host", "db1.invalid");
        base.put("source.user", "sluice");
        base.put("source.password", "pw-never-shown");
        base.put("source.serverId", "3100001");
        base.put("source.name", "shop");
        base.put("target.bootstrapServers", "k.invalid:9092");
        base.put("target.topic", "t");
        base.put("objects.include", "shop.orders");
        Map<String, String> odd = new java.util.LinkedHashMap<>();
        odd.put("source.hots", "db1");
        odd.put("source.port", "abc");
        odd.put("source.serverId", "-1x");
        odd.put("source..host", "db1");
        odd.put("source.port.x", "1");
        odd.put("objects.include.x", "a");
        odd.put("target.producer", "x");
        odd.put("objects.mapping.columns.shop", "y");
        odd.put("initialization.chunkSize", "0");
        odd.put("target.partitions", "99999999999");
        odd.put("initialization.fullData", "yes please");
        for (Map.Entry<String, String> e : odd.entrySet()) {
            Map<String, String> p = new HashMap<>(base);
            p.put(e.getKey(), e.getValue());
            Config c = new SluiceSourceConnector().validate(p);
            long errors = c.configValues().stream().mapToLong(v -> v.errorMessages().size()).sum();
            assertTrue(errors > 0, e + ": no error");
            for (ConfigValue v : c.configValues()) {
                for (String m : v.errorMessages()) assertFalse(m.contains("pw-never-shown"), m);
            }
        }
        Config typo = new SluiceSourceConnector().validate(new HashMap<>(Map.of("name", "v5", "source.hots", "db1")));
        assertFalse(value(typo, "source.host").errorMessages().isEmpty(), "the missing key is reported on itself");
    }

    /** A format option no topic uses is refused on its key, as the CLI refuses it (the connector reads the config through the same loader). */
    @Test
    void aFormatOptionNoTopicUsesIsAnErrorOnItsKey() {
        Map<String, String> p = new HashMap<>();
        p.put("name", "v2");
        p.put("source.host", "db1");
        p.put("source.user", "sluice");
        p.put("source.serverId", "5");
        p.put("source.name", "shop");
        p.put("target.bootstrapServers", "k:9092");
        p.put("target.topic", "t");
        p.put("target.debezium.schemas", "false");
        p.put("objects.include", "shop.orders");
        Config result = new SluiceSourceConnector().validate(p);
        ConfigValue schemas = value(result, "target.debezium.schemas");
        assertEquals(1, schemas.errorMessages().size(), result.configValues().toString());
        assertTrue(schemas.errorMessages().get(0).contains("no topic is written as debeziumJson"), schemas.errorMessages().toString());

        p.remove("target.debezium.schemas");
        p.put("target.format", "canalJson");
        p.put("target.canal.batchMaxRows", "10");
        ConfigValue maxRows = value(new SluiceSourceConnector().validate(p), "target.canal.batchMaxRows");
        assertEquals(1, maxRows.errorMessages().size(), maxRows.toString());
        assertTrue(maxRows.errorMessages().get(0).contains("target.canal.batch is row"), maxRows.errorMessages().toString());
    }

    @Test
    void thePasswordIsScrubbed() {
        assertEquals("access denied for **** here", ConnectorValidation.scrub("access denied for hunter2 here", "hunter2"));
    }

    private static ConfigValue value(Config c, String name) {
        return c.configValues().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}
