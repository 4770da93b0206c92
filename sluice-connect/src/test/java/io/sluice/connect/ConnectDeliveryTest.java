package io.sluice.connect;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.engine.delivery.DeliveryFactory;
import io.sluice.engine.state.Checkpoint;
import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicWatch;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectDeliveryTest {

    private static DeliveryFactory.Setup setup() {
        JobConfig.Target t = new JobConfig.Target();
        t.bootstrapServers = "unused:9092";
        t.topic = "dts";
        KafkaTarget target = new KafkaTarget(t);
        return new DeliveryFactory.Setup(target, new CheckpointTopic(target, "dts-sluice-checkpoints"),
                new TopicWatch(target, Map.of()), "server-a");
    }

    private final ReleasedGroups groups = new ReleasedGroups(null, null);

    private ConnectDelivery delivery() {
        return new ConnectDelivery("job1", true, 50, groups, setup());
    }

    private static Checkpoint at(long pos, long nextId) {
        return Checkpoint.at(new BinlogOffset("bin.000001", pos, null), 0, nextId);
    }

    private static byte[] v(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    @Test
    void aGroupIsReleasedWholeAtCommitClosedByItsCheckpointMarker() throws Exception {
        ConnectDelivery d = delivery();
        d.send(0, v("r1"));
        d.send("ddl-topic", 2, v("r2"));
        assertTrue(groups.take(10).isEmpty(), "nothing before the commit");
        d.commit(at(100, 3));
        List<List<SourceRecord>> released = groups.take(10);
        assertEquals(1, released.size());
        List<SourceRecord> g = released.get(0);
        assertEquals(3, g.size());
        assertEquals("dts", g.get(0).topic());
        assertEquals(0, g.get(0).kafkaPartition());
        assertNull(g.get(0).key());
        assertArrayEquals(v("r1"), (byte[]) g.get(0).value());
        assertEquals("ddl-topic", g.get(1).topic());
        assertEquals(2, g.get(1).kafkaPartition());
        SourceRecord marker = g.get(2);
        assertEquals("dts-sluice-checkpoints", marker.topic());
        assertEquals(0, marker.kafkaPartition());
        assertArrayEquals(v("job1"), (byte[]) marker.key());
        Checkpoint written = Checkpoint.fromJson((byte[]) marker.value());
        assertEquals(100, written.binlogPosition());
        assertEquals("server-a", written.sourceServer());
        assertEquals(Map.of("job", "job1"), marker.sourcePartition());
        assertEquals(new String((byte[]) marker.value(), StandardCharsets.UTF_8), marker.sourceOffset().get("checkpoint"));
    }

    @Test
    void dataRecordsCarryThePreviousCheckpointSoAnAckedPrefixAlwaysEndsAtACheckpoint() throws Exception {
        ConnectDelivery d = delivery();
        d.send(0, v("a"));
        d.commit(at(100, 2));
        d.send(0, v("b"));
        d.commit(at(200, 3));
        List<List<SourceRecord>> released = groups.take(10);
        assertEquals(2, released.size());
        SourceRecord first = released.get(0).get(0);
        assertEquals(Map.of("job", "job1"), first.sourcePartition());
        assertNull(first.sourceOffset(), "no checkpoint before the first one");
        SourceRecord firstMarker = released.get(0).get(1);
        SourceRecord second = released.get(1).get(0);
        assertEquals(firstMarker.sourceOffset(), second.sourceOffset());
    }

    @Test
    void theSchemaHistoryGoesFirstUnderItsOwnKeyAndPartitionOnlyWhenItChanged() throws Exception {
        ConnectDelivery d = delivery();
        d.send(0, v("a"));
        d.commit(at(100, 2).withSchemaHistory("{\"h\":1}"));
        d.commit(at(150, 2));
        List<List<SourceRecord>> released = groups.take(10);
        List<SourceRecord> g = released.get(0);
        assertEquals(3, g.size());
        assertArrayEquals(v("job1/schema-history"), (byte[]) g.get(1).key());
        assertEquals(Map.of("job", "job1", "part", "schema-history"), g.get(1).sourcePartition());
        assertEquals(Map.of("history", "{\"h\":1}"), g.get(1).sourceOffset());
        assertNull(Checkpoint.fromJson((byte[]) g.get(2).value()).schemaHistory(), "the checkpoint itself holds no history");
        assertEquals(1, released.get(1).size(), "unchanged history: the checkpoint alone");
        assertEquals("{\"h\":1}", d.lastCommitted().schemaHistory());
        assertEquals(150, d.lastCommitted().binlogPosition());
    }

    /**
     * Connect's at-least-once offset commit (SubmittedRecords): per source partition, the offset of
     * the last record of the acknowledged prefix of that partition's records. Whatever single record
     * is not acknowledged yet when the worker flushes (and then crashes), the stored checkpoint and
     * the schema history read back belong together: the history is the one in force at that checkpoint.
     */
    @Test
    void anAtLeastOnceWorkerNeverStoresAHistoryAheadOfItsCheckpoint() throws Exception {
        ConnectDelivery d = new ConnectDelivery("job1", false, 50, groups, setup());
        Map<Long, String> historyAt = new java.util.HashMap<>();
        List<SourceRecord> sent = new ArrayList<>();
        String[] histories = {"{\"h\":1}", null, "{\"h\":2}", null}; // a DDL in the first and third group
        String inForce = null;
        for (int i = 0; i < histories.length; i++) {
            long pos = 100L * (i + 1);
            d.send(0, v("row" + i));
            d.commit(at(pos, i + 2).withSchemaHistory(histories[i]));
            if (histories[i] != null) inForce = histories[i];
            historyAt.put(pos, inForce);
            groups.take(10).forEach(sent::addAll);
        }
        for (int unacked = 0; unacked < sent.size(); unacked++) {
            Map<Map<String, ?>, Map<String, ?>> stored = committedOffsets(sent, unacked);
            Checkpoint cp = ConnectOffsets.checkpoint("job1", objects(stored.get(ConnectOffsets.checkpointPartition("job1"))),
                    objects(stored.get(ConnectOffsets.historyPartition("job1"))));
            if (cp == null) continue; // the first group's records not all written: no checkpoint yet
            assertEquals(historyAt.get(cp.binlogPosition()), cp.schemaHistory(),
                    "record " + unacked + " unacknowledged: checkpoint at " + cp.binlogPosition() + " read back with another history");
        }
    }

    /** What SubmittedRecords lets the worker commit when all records but {@code unacked} are acknowledged. */
    private static Map<Map<String, ?>, Map<String, ?>> committedOffsets(List<SourceRecord> sent, int unacked) {
        Map<Map<String, ?>, Map<String, ?>> committed = new java.util.HashMap<>();
        java.util.Set<Map<String, ?>> blocked = new java.util.HashSet<>();
        for (int i = 0; i < sent.size(); i++) {
            SourceRecord r = sent.get(i);
            if (i == unacked) blocked.add(r.sourcePartition());
            if (blocked.contains(r.sourcePartition())) continue;
            if (r.sourceOffset() != null) committed.put(r.sourcePartition(), r.sourceOffset());
        }
        return committed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> objects(Map<String, ?> m) { return (Map<String, Object>) m; }

    @Test
    void anAtLeastOnceCheckpointCarriesTheHistoryInForceAndTheHistoryRecordThePreviousCheckpoint() throws Exception {
        ConnectDelivery d = new ConnectDelivery("job1", false, 50, groups, setup());
        d.commit(at(100, 2).withSchemaHistory("{\"h\":1}"));
        d.commit(at(150, 2));
        List<List<SourceRecord>> released = groups.take(10);
        SourceRecord history = released.get(0).get(0);
        assertArrayEquals(v("job1/schema-history"), (byte[]) history.key(), "the checkpoint topic gets the same records as from the CLI");
        assertEquals(ConnectOffsets.checkpointPartition("job1"), history.sourcePartition());
        assertNull(history.sourceOffset(), "no checkpoint before the first one");
        assertEquals("{\"h\":1}", released.get(0).get(1).sourceOffset().get("history"));
        assertEquals("{\"h\":1}", released.get(1).get(0).sourceOffset().get("history"), "unchanged: still carried");
        Checkpoint read = ConnectOffsets.checkpoint("job1", objects(released.get(1).get(0).sourceOffset()), null);
        assertEquals(150, read.binlogPosition());
        assertEquals("{\"h\":1}", read.schemaHistory());
    }

    /** docs/configuration.md (target.commitIntervalMs): exactly-once commits as soon as the source is caught up, in the connector too. */
    @Test
    void onAnExactlyOnceWorkerAGroupIsReleasedAsSoonAsTheSourceIsCaughtUp() {
        assertTrue(new ConnectDelivery("job1", true, 50, new ReleasedGroups(null, null), setup()).commitsWhenCaughtUp());
        assertFalse(new ConnectDelivery("job1", false, 50, new ReleasedGroups(null, null), setup()).commitsWhenCaughtUp());
    }

    @Test
    void anOffsetLargerThanTheWorkerWritesStopsTheJobWithTheFix() {
        String bigHistory = "{\"t\":\"" + "x".repeat(1_100_000) + "\"}";
        for (boolean exactlyOnce : new boolean[] {true, false}) {
            ConnectDelivery d = new ConnectDelivery("job1", exactlyOnce, 50, new ReleasedGroups(null, null), setup());
            SluiceException e = assertThrows(SluiceException.class, () -> d.commit(at(100, 2).withSchemaHistory(bigHistory)));
            assertTrue(e.problem().contains("as a Connect offset") && e.fix().contains("producer.override.max.request.size")
                    && e.fix().contains("dts-sluice-checkpoints") && e.fix().contains("split the tables"), e.oneLine());
        }
        // escaped as JSON (quotes in a history's DDL text) it is larger than its characters
        String quoted = "{\"t\":\"" + "\\\"".repeat(300_000) + "\"}";
        assertThrows(SluiceException.class, () -> delivery().commit(at(100, 2).withSchemaHistory(quoted)));
        // with the producer's limit raised in the connector config, it goes through
        long raised = OffsetSize.limit(Map.of(OffsetSize.OVERRIDE, "4194304"));
        ReleasedGroups g = new ReleasedGroups(null, null);
        new ConnectDelivery("job1", true, 50, g, setup(), new OffsetSize("job1", raised, "dts-sluice-checkpoints"))
                .commit(at(100, 2).withSchemaHistory(bigHistory));
        assertFalse(g.lastOffset().isEmpty());
    }

    @Test
    void abortDropsOnlyTheGroupNotReleasedYet() throws Exception {
        ConnectDelivery d = delivery();
        d.send(0, v("a"));
        d.commit(at(100, 2));
        d.send(0, v("b"));
        d.abort();
        assertEquals(0, d.openRecords());
        d.send(0, v("c"));
        d.close(); // a session ends: its dispatcher, should it outlive it, adds nothing more
        assertThrows(TaskStoppingException.class, () -> d.commit(at(300, 9)));
        List<List<SourceRecord>> released = groups.take(10);
        assertEquals(1, released.size());
        assertEquals(2, released.get(0).size());
        assertEquals(100, d.lastCommitted().binlogPosition());
        ConnectDelivery next = delivery(); // the next session
        assertEquals(100, next.lastCommitted().binlogPosition());
        next.send(0, v("d"));
        next.commit(at(400, 10));
        assertEquals(2, groups.take(10).get(0).size(), "only the new session's record and its marker");
    }

    @Test
    void lastCommittedIsTheStartCheckpointUntilAGroupIsReleased() {
        Checkpoint start = at(42, 7).withSchemaHistory("{\"h\":0}");
        ConnectDelivery d = new ConnectDelivery("job1", false, 50, new ReleasedGroups(start, Map.of("checkpoint", "{}")), setup());
        assertEquals(42, d.lastCommitted().binlogPosition());
        assertEquals("{\"h\":0}", d.lastCommitted().schemaHistory());
        assertFalse(d.exactlyOnce());
        d.send(0, v("a"));
        d.commit(at(50, 8));
        assertEquals(50, d.lastCommitted().binlogPosition());
        assertEquals("{\"h\":0}", d.lastCommitted().schemaHistory(), "the history read at start still applies");
        assertNull(delivery().lastCommitted());
    }

    @Test
    void commitWaitsWhileTheWorkerLagsAndGoesOnWhenItPolls() throws Exception {
        ConnectDelivery d = delivery();
        for (int i = 0; i < ReleasedGroups.MAX_RELEASED; i++) d.commit(at(100 + i, 1));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> d.commit(at(200, 1)));
        assertThrows(java.util.concurrent.TimeoutException.class, () -> blocked.get(300, TimeUnit.MILLISECONDS));
        assertEquals(ReleasedGroups.MAX_RELEASED, groups.take(10).size());
        blocked.get(10, TimeUnit.SECONDS);
        SourceRecord marker = groups.take(10).get(0).get(0);
        assertEquals(200, Checkpoint.fromJson((byte[]) marker.value()).binlogPosition());
    }

    @Test
    void aStoppingTaskReleasesAWaitingCommitWithAFailureNotAPretendedCommit() throws Exception {
        ConnectDelivery d = delivery();
        for (int i = 0; i < ReleasedGroups.MAX_RELEASED; i++) d.commit(at(100 + i, 1));
        CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> d.commit(at(200, 1)));
        Thread.sleep(100);
        groups.stop();
        Exception e = assertThrows(java.util.concurrent.ExecutionException.class, () -> blocked.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof TaskStoppingException, String.valueOf(e.getCause()));
        assertEquals(100 + ReleasedGroups.MAX_RELEASED - 1, d.lastCommitted().binlogPosition());
    }

    @Test
    void takeWaitsBoundedWhenNothingIsReleased() throws Exception {
        assertTrue(groups.take(50).isEmpty());
    }
}
