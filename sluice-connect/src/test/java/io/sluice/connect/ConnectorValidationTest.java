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

    @Test
    void thePasswordIsScrubbed() {
        assertEquals("access denied for **** here", ConnectorValidation.scrub("access denied for hunter2 here", "hunter2"));
    }

    private static ConfigValue value(Config c, String name) {
        return c.configValues().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
    }
}
