package io.sluice.engine.state;

import io.sluice.core.model.TableId;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InitProgressTest {

    @Test
    void tablesWhoseNamesHoldDotsKeepOneUnambiguousKeyThroughTheCheckpoint() throws Exception {
        TableId dotted = new TableId("db.x", "t.y");
        InitProgress p = InitProgress.pending(List.of(dotted.toString(), new TableId("库", "表").toString()))
                .afterChunk(dotted.toString(), List.of("id"), List.of(new byte[] {1}), 10, false);
        Checkpoint c = Checkpoint.fromJson(new Checkpoint("mysql-bin.000001", 4, "", 0, 1, null, p, List.of(), null, null, null, null).toJson());
        assertEquals(Set.of("`db.x`.`t.y`", "库.表"), c.initialization().tables().keySet());
        assertEquals(dotted, TableId.parse(c.initialization().tables().keySet().iterator().next()));
        assertEquals(10, c.initialization().tables().get("`db.x`.`t.y`").rows());
    }

    @Test
    void aCheckpointOfAnEarlierVersionLoadsWithItsKeysRewritten() throws Exception {
        // written before backticks: table `t.y` of shop as shop.t.y, its progress continues under `shop`.`t.y`
        String old = "{\"binlogFile\":\"mysql-bin.000001\",\"binlogPosition\":4,\"gtidSet\":\"\",\"skipRows\":0,\"nextId\":7,"
                + "\"schemaHistory\":null,\"initialization\":{\"tables\":{\"shop.t.y\":{\"done\":false,\"after\":[\"01\"],\"rows\":5},"
                + "\"shop.orders\":{\"done\":true,\"after\":null,\"rows\":3}}}}";
        Checkpoint c = Checkpoint.fromJson(old.getBytes(StandardCharsets.UTF_8));
        assertEquals(Set.of("`shop`.`t.y`", "shop.orders"), c.initialization().tables().keySet());
        InitProgress next = c.initialization().afterChunk(new TableId("shop", "t.y").toString(), List.of("id"), null, 2, true);
        assertEquals(7, next.tables().get("`shop`.`t.y`").rows());
        assertTrue(next.complete(), "the chunk written under the new key completes the old entry");
    }

    @Test
    void theResumePointKeepsTheKeyItBelongsToThroughTheCheckpoint() throws Exception {
        InitProgress p = InitProgress.pending(List.of("db.a"))
                .afterChunk("db.a", List.of("code", "n"), List.of(new byte[] {'x'}, new byte[] {'1'}), 10, false);
        String json = new String(new Checkpoint("mysql-bin.000001", 4, "", 0, 1, null, p, List.of(), null, null, null, null).toJson(),
                StandardCharsets.UTF_8);
        InitProgress.TableInit loaded = Checkpoint.fromJson(json.getBytes(StandardCharsets.UTF_8)).initialization().tables().get("db.a");
        assertEquals(List.of("code", "n"), loaded.key());
        assertEquals(List.of("78", "31"), loaded.after());
        assertTrue(loaded.savedForOtherKey(List.of("id")));
        assertFalse(loaded.savedForOtherKey(List.of("code", "n")));
        // a done table, or one not started, saves no key (older versions never saw the field there either)
        InitProgress done = p.afterChunk("db.a", List.of("code", "n"), null, 1, true);
        assertNull(done.tables().get("db.a").key());
    }

    @Test
    void aResumePointSavedWithoutItsKeyIsTakenForTheKeyChosenNow() throws Exception {
        String old = "{\"binlogFile\":\"mysql-bin.000001\",\"binlogPosition\":4,\"gtidSet\":\"\",\"skipRows\":0,\"nextId\":7,"
                + "\"schemaHistory\":null,\"initialization\":{\"tables\":{\"shop.orders\":{\"done\":false,\"after\":[\"01\"],\"rows\":5}}}}";
        InitProgress.TableInit loaded = Checkpoint.fromJson(old.getBytes(StandardCharsets.UTF_8)).initialization().tables().get("shop.orders");
        assertNull(loaded.key());
        assertFalse(loaded.savedForOtherKey(List.of("id")));
        assertEquals(List.of("01"), loaded.after());
    }
}
