package io.sluice.engine.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import io.sluice.engine.state.Checkpoint;
import io.sluice.format.json.CanalJsonEncoder;
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * {@code target.canal.batch: event}: one Canal message per binlog rows event (at most batchMaxRows
 * rows), the message counted as one record for the split limit and as its rows for the resume
 * point, never cut by a split commit; a restart inside a split transaction, also inside a rows
 * event, writes every remaining row once.
 */
class DispatcherCanalBatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT), Column.of("v", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    /** Each message as "id TYPE data-ids old-values @partition", each commit as "commit n, resume position/skipRows". */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> log = new ArrayList<>();
        int sent;

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            try {
                JsonNode m = JSON.readTree(value);
                List<String> ids = new ArrayList<>();
                for (JsonNode row : m.get("data")) ids.add(row.get("id").asText());
                List<String> old = new ArrayList<>();
                if (!m.get("old").isNull()) for (JsonNode row : m.get("old")) old.add(row.path("v").asText());
                log.add(m.get("id").asText() + " " + m.get("type").asText() + " " + ids + (old.isEmpty() ? "" : " old " + old)
                        + (partition == 0 ? "" : " @" + partition));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            sent++;
        }
        @Override public void commit(Checkpoint c) { log.add("commit " + sent + ", resume " + c.binlogPosition() + "/" + c.skipRows()); sent = 0; }
    }

    private static Value[] row(int id, int v) {
        return new Value[]{new Value.IntegerValue(10, String.valueOf(id)), new Value.IntegerValue(10, String.valueOf(v))};
    }

    private static RowChange change(Operation op, Value[] before, Value[] after, long eventEnd) {
        return new RowChange(T, op, before, after, new SourcePosition(FILE, eventEnd, 100, "gtid:100", 0));
    }

    /** One source transaction (at 100, committed at 200): rows events of 3 inserts, 2 updates, 1 delete. */
    private static List<RowChange> transaction() {
        return List.of(
                change(Operation.INSERT, null, row(1, 0), 110),
                change(Operation.INSERT, null, row(2, 0), 110),
                change(Operation.INSERT, null, row(3, 0), 110),
                change(Operation.UPDATE, row(4, 0), row(4, 1), 120),
                change(Operation.UPDATE, row(5, 0), row(5, 1), 120),
                change(Operation.DELETE, row(6, 0), null, 130));
    }

    private static List<String> run(Checkpoint start, List<RowChange> rows, int partitions, int maxRecords) throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        target.partitionBy = partitions > 1 ? JobConfig.Partitioning.PRIMARY_KEY : JobConfig.Partitioning.NONE;
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), new CanalJsonEncoder(2), delivery, partitions,
                maxRecords, start, new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        for (RowChange r : rows) d.onRow(r);
        d.onCommit(new BinlogOffset(FILE, 200, ""), "gtid:100", List.of());
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        return delivery.log;
    }

    @Test
    void aMessagePerRowsEventCappedAtBatchMaxRowsAndNeverSplit() throws Exception {
        List<String> log = run(Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), transaction(), 1, 2);
        assertEquals(List.of(
                "1 INSERT [1, 2]",          // batchMaxRows 2: the event's 3 rows in two messages
                "2 INSERT [3]",
                "commit 2, resume 100/3",   // split after 2 records: 3 binlog rows are in Kafka
                "3 UPDATE [4, 5] old [0, 0]",
                "4 DELETE [6]",
                "commit 2, resume 100/6",
                "commit 0, resume 200/0"), log);
    }

    @Test
    void aRestartInsideTheSplitTransactionWritesTheRemainingRowsOnce() throws Exception {
        List<String> log = run(Checkpoint.at(new BinlogOffset(FILE, 100, ""), 3, 3), transaction(), 1, 2);
        assertEquals(List.of(
                "3 UPDATE [4, 5] old [0, 0]",
                "4 DELETE [6]",
                "commit 2, resume 100/6",
                "commit 0, resume 200/0"), log);
        // inside a rows event (an earlier run wrote a message per row): the event's remaining rows, one message
        log = run(Checkpoint.at(new BinlogOffset(FILE, 100, ""), 1, 2), transaction(), 1, 100);
        assertEquals(List.of(
                "2 INSERT [2, 3]",
                "3 UPDATE [4, 5] old [0, 0]",
                "4 DELETE [6]",
                "commit 3, resume 200/0"), log);
    }

    @Test
    void rowsOfOneEventGoingToSeveralPartitionsAreOneMessagePerPartition() throws Exception {
        List<RowChange> event = new ArrayList<>();
        for (int i = 1; i <= 8; i++) event.add(change(Operation.INSERT, null, row(i, 0), 110));
        List<String> log = run(Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), event, 4, 1000);
        // batchMaxRows 2: messages of rows 1-2, 3-4, 5-6, 7-8, each split by partition; every row once, in its key's partition
        TreeSet<String> rows = new TreeSet<>();
        int messages = 0;
        for (String line : log) {
            if (line.startsWith("commit")) continue;
            messages++;
            String ids = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
            for (String id : ids.split(", ")) assertEquals(true, rows.add(id), "row " + id + " twice: " + log);
        }
        assertEquals(new TreeSet<>(List.of("1", "2", "3", "4", "5", "6", "7", "8")), rows);
        assertEquals(true, messages >= 4 && messages <= 8, log.toString());
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        target.partitionBy = JobConfig.Partitioning.PRIMARY_KEY;
        Router router = new Router(objects, target);
        for (String line : log) {
            if (line.startsWith("commit")) continue;
            int partition = line.contains("@") ? Integer.parseInt(line.substring(line.indexOf('@') + 1)) : 0;
            String ids = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
            for (String id : ids.split(", ")) {
                assertEquals(partition, router.partition(change(Operation.INSERT, null, row(Integer.parseInt(id), 0), 110), 4), line);
            }
        }
    }
}
