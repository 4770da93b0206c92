package io.sluice.engine.state;

import io.sluice.core.model.BinlogFileStamp;
import io.sluice.core.model.BinlogOffset;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code topicFormats} and {@code binlogFileStamp} in a checkpoint's JSON: written, read back, absent from an older Sluice's checkpoint. */
class CheckpointTopicFormatsTest {

    @Test
    void eachTopicsFormatIsKeptAndAnOlderCheckpointStillReads() throws Exception {
        Checkpoint c = Checkpoint.at(new BinlogOffset("mysql-bin.000002", 400, ""), 0, 9)
                .withTopicIds(Map.of("cdc.tmp", "AAAAAAAAAAAAAAAAAAAAAA"))
                .withTopicFormats(Map.of("cdc.tmp", "debeziumJson"));
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertEquals(Map.of("cdc.tmp", "debeziumJson"), Checkpoint.fromJson(c.toJson()).topicFormats());
        assertEquals(c, Checkpoint.fromJson(c.toJson()));
        // none recorded: not written at all
        assertFalse(new String(c.withTopicFormats(Map.of()).toJson(), StandardCharsets.UTF_8).contains("topicFormats"), json);
        // an older Sluice's checkpoint
        String old = "{\"binlogFile\":\"mysql-bin.000002\",\"binlogPosition\":400,\"gtidSet\":\"\",\"skipRows\":0,\"nextId\":9,"
                + "\"schemaHistory\":null,\"topicIds\":{\"cdc.tmp\":\"AAAAAAAAAAAAAAAAAAAAAA\"}}";
        Checkpoint read = Checkpoint.fromJson(old.getBytes(StandardCharsets.UTF_8));
        assertNull(read.topicFormats());
        assertEquals(Map.of("cdc.tmp", "AAAAAAAAAAAAAAAAAAAAAA"), read.topicIds());
        // what an older Sluice does with a newer checkpoint's field: skips fields it does not know (as this one does)
        Checkpoint future = Checkpoint.fromJson((old.substring(0, old.length() - 1) + ",\"someLaterField\":{\"a\":1}}").getBytes(StandardCharsets.UTF_8));
        assertEquals(read, future);
    }

    @Test
    void theBinlogFileStampIsKeptAndAnOlderCheckpointHasNone() throws Exception {
        Checkpoint c = Checkpoint.at(new BinlogOffset("mysql-bin.000002", 400, ""), 0, 9)
                .withBinlogFileStamp(new BinlogFileStamp("3e11fa47-71ca-11e1-9e33-c80aa9429562", 1_796_000_000L));
        String json = new String(c.toJson(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"binlogFileStamp\":{\"server\":\"3e11fa47-71ca-11e1-9e33-c80aa9429562\",\"created\":1796000000}"), json);
        assertEquals(c, Checkpoint.fromJson(c.toJson()));
        assertEquals(c, c.withNextId(10).withTopicIds(Map.of("t", "id")).withSourceServer("s").withTopicFormats(Map.of("t", "dtsAvro"))
                .withSchemaHistory("h").withInitialization(null).withPreparedXa(java.util.List.of())
                .withNextId(9).withTopicIds(null).withSourceServer(null).withTopicFormats(null).withSchemaHistory(null), "every copy keeps the stamp");
        assertFalse(new String(c.withBinlogFileStamp(null).toJson(), StandardCharsets.UTF_8).contains("binlogFileStamp"));
        String old = "{\"binlogFile\":\"mysql-bin.000002\",\"binlogPosition\":400,\"gtidSet\":\"\",\"skipRows\":0,\"nextId\":9}";
        assertNull(Checkpoint.fromJson(old.getBytes(StandardCharsets.UTF_8)).binlogFileStamp());
    }
}
