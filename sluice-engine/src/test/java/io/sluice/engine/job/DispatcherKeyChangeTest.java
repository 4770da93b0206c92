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
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.route.Router;
import io.sluice.engine.state.Checkpoint;
import io.sluice.format.json.CanalJsonEncoder;
import io.sluice.format.json.DebeziumJsonEncoder;
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * debeziumJson writes an UPDATE of the primary key as a delete of the old key then a create of the
 * new one, each with its own id: the pair is one binlog row for the resume point (skipRows), two
 * records for the split limit, and no split commit falls between its two records.
 */
class DispatcherKeyChangeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT), Column.of("v", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    private static final TableSchema NO_KEY = new TableSchema(new TableId("shop", "nokey"),
            List.of(Column.of("id", ColumnType.INT), Column.of("v", ColumnType.INT)), Map.of());

    /** Each record as "id op key before->after", and each commit as "records/resume position/skipRows". */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> log = new ArrayList<>();
        int sent;

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            try {
                JsonNode v = JSON.readTree(value);
                log.add(v.get("source").get("sequence").asText() + " " + v.get("op").asText() + " "
                        + (key == null ? "null" : new String(key, StandardCharsets.UTF_8)) + " "
                        + id(v.get("before")) + "->" + id(v.get("after")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            sent++;
        }
        private static String id(JsonNode row) { return row.isNull() ? "-" : row.get("id").asText() + "/" + row.get("v").asText(); }
        @Override public void commit(Checkpoint c) { log.add("commit " + sent + " records, resume " + c.binlogPosition() + "/" + c.skipRows()); sent = 0; }
    }

    private static Value[] row(int id, int v) {
        return new Value[]{new Value.IntegerValue(10, String.valueOf(id)), new Value.IntegerValue(10, String.valueOf(v))};
    }

    private static RowChange change(TableSchema t, Operation op, Value[] before, Value[] after, long end) {
        return new RowChange(t, op, before, after, new SourcePosition(FILE, end, 100, "gtid:100", 0));
    }

    /** One source transaction (at 100, committed at 200) of 5 binlog rows; 2 of them change their key. */
    private static List<RowChange> transaction() {
        return List.of(
                change(T, Operation.INSERT, null, row(1, 0), 110),
                change(T, Operation.UPDATE, row(2, 0), row(3, 1), 120),       // key 2 -> 3
                change(T, Operation.UPDATE, row(4, 0), row(5, 1), 130),       // key 4 -> 5
                change(T, Operation.UPDATE, row(6, 0), row(6, 1), 140),       // same key: one u record
                change(NO_KEY, Operation.UPDATE, row(7, 0), row(8, 1), 150)); // no key: one u record
    }

    private static List<String> run(RecordEncoder encoder, Checkpoint start, List<RowChange> rows) throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), encoder, delivery, 1,
                2, start, new JobMetrics(), TestSchemaCaches.empty());
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
    void aKeyChangeIsADeleteThenACreateCountedAsOneRowAndNeverSplit() throws Exception {
        List<String> log = run(new DebeziumJsonEncoder("src", false), Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), transaction());
        assertEquals(List.of(
                "1 c {\"id\":1} -->1/0",
                "2 d {\"id\":2} 2/0->-",      // the open transaction reaches the limit (2 records) here,
                "3 c {\"id\":3} -->3/1",      // but the split waits for the pair's second record
                                               // and resumes past 2 binlog rows
                "commit 3 records, resume 100/2",
                "4 d {\"id\":4} 4/0->-",
                "5 c {\"id\":5} -->5/1",
                "commit 2 records, resume 100/3",
                "6 u {\"id\":6} 6/0->6/1",
                "7 u null 7/0->8/1",
                "commit 2 records, resume 100/5",
                "commit 0 records, resume 200/0"), log);
    }

    @Test
    void aRestartInsideTheSplitTransactionSkipsWholePairs() throws Exception {
        // from the first split commit: 2 binlog rows (3 records: one pair) are in Kafka, ids go on from 4
        List<String> log = run(new DebeziumJsonEncoder("src", false), Checkpoint.at(new BinlogOffset(FILE, 100, ""), 2, 4), transaction());
        assertEquals(List.of(
                "4 d {\"id\":4} 4/0->-",
                "5 c {\"id\":5} -->5/1",
                "commit 2 records, resume 100/3",
                "6 u {\"id\":6} 6/0->6/1",
                "7 u null 7/0->8/1",
                "commit 2 records, resume 100/5",
                "commit 0 records, resume 200/0"), log);
        // from the second: 3 binlog rows (5 records: two pairs), ids from 6
        log = run(new DebeziumJsonEncoder("src", false), Checkpoint.at(new BinlogOffset(FILE, 100, ""), 3, 6), transaction());
        assertEquals(List.of(
                "6 u {\"id\":6} 6/0->6/1",
                "7 u null 7/0->8/1",
                "commit 2 records, resume 100/5",
                "commit 0 records, resume 200/0"), log);
    }

    @Test
    void otherFormatsWriteOneUpdateRecord() {
        assertEquals(false, new CanalJsonEncoder().splitsKeyChanges());
        assertEquals(false, new io.sluice.format.dts.DtsAvroEncoder("src", "8.0").splitsKeyChanges());
    }
}
