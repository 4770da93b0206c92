package io.sluice.connect;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReinitializeTokenTest {

    private static Map<String, String> props(String token) {
        Map<String, String> p = new HashMap<>();
        if (token != null) p.put(ReinitializeToken.KEY, token);
        return p;
    }

    private static Map<String, Object> offset(String token) {
        return ConnectOffsets.checkpointOffset("{}".getBytes(), null, token);
    }

    @Test
    void aTokenOtherThanTheRecordedOneStartsOverAndIsRecorded() {
        ReinitializeToken t = ReinitializeToken.decide(props("2"), offset("1"));
        assertTrue(t.reinitialize());
        assertEquals("2", t.recorded());
        assertTrue(ReinitializeToken.decide(props("1"), offset(null)).reinitialize(), "a connector that never had a token");
    }

    @Test
    void theRecordedTokenAgainDoesNothing() {
        ReinitializeToken t = ReinitializeToken.decide(props(" 1 "), offset("1"));
        assertFalse(t.reinitialize());
        assertEquals("1", t.recorded());
    }

    @Test
    void aTokenRemovedFromTheConfigKeepsTheRecordedOne() {
        ReinitializeToken t = ReinitializeToken.decide(props(""), offset("1"));
        assertFalse(t.reinitialize());
        assertEquals("1", t.recorded(), "else submitting 1 again later would start over");
        assertNull(ReinitializeToken.decide(props(null), offset(null)).recorded());
    }

    /** Without a checkpoint in the offsets the usual start applies (and its lost-checkpoint guard): a token is only recorded. */
    @Test
    void withoutACheckpointInTheOffsetsTheTokenIsOnlyRecorded() {
        ReinitializeToken t = ReinitializeToken.decide(props("1"), null);
        assertFalse(t.reinitialize());
        assertEquals("1", t.recorded());
    }

    @Test
    void theCheckpointOffsetCarriesTheToken() throws Exception {
        ReleasedGroups groups = new ReleasedGroups(null, null);
        ConnectDelivery d = new ConnectDelivery("job1", true, 50, groups, ConnectDeliveryTestSetup.setup()).recordingToken("7");
        d.commit(io.sluice.engine.state.Checkpoint.at(new io.sluice.core.model.BinlogOffset("bin.000001", 4, null), 0, 1));
        var g = groups.take(10).get(0);
        assertEquals("7", g.get(g.size() - 1).sourceOffset().get(ConnectOffsets.TOKEN_FIELD));
    }
}
