package io.sluice.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConnectOffsetsTest {

    /**
     * Connect looks an offset up by its partition map serialized as JSON: the key order must not depend
     * on the JVM (a worker that takes the task over reads what another wrote), and must be the order
     * of Connect's own HashMaps (REST GET/PATCH /connectors/{name}/offsets).
     */
    @Test
    void partitionsSerializeInTheOrderOfAHashMapOfTheSameKeys() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Object> reversed = new HashMap<>();
        reversed.put("part", "schema-history");
        reversed.put("job", "orders");
        assertEquals(json.writeValueAsString(reversed), json.writeValueAsString(ConnectOffsets.historyPartition("orders")));
        assertEquals(HashMap.class, ConnectOffsets.historyPartition("orders").getClass());
        assertEquals("{\"job\":\"orders\"}", json.writeValueAsString(ConnectOffsets.checkpointPartition("orders")));
    }

    @Test
    void aHistoryCarriedByTheCheckpointOffsetWinsOverTheHistoryPartition() {
        byte[] json = io.sluice.engine.state.Checkpoint.at(new io.sluice.core.model.BinlogOffset("b.000001", 100, null), 0, 2).toJson();
        Map<String, Object> stale = ConnectOffsets.historyOffset("{\"h\":1}");
        assertEquals("{\"h\":2}", ConnectOffsets.checkpoint("j", ConnectOffsets.checkpointOffset(json, "{\"h\":2}"), stale).schemaHistory());
        assertEquals("{\"h\":1}", ConnectOffsets.checkpoint("j", ConnectOffsets.checkpointOffset(json), stale).schemaHistory());
        assertEquals(ConnectOffsets.checkpointOffset(json), ConnectOffsets.checkpointOffset(json, null));
    }
}
