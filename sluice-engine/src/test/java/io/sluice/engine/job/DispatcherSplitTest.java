package io.sluice.engine.job;

import io.sluice.sink.kafka.RecordOrigin;
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
import io.sluice.format.dts.DtsAvroEncoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * transactionMaxRecords splits only a source transaction larger than it: a small one that follows
 * others in the open Kafka transaction is committed whole (a read_committed consumer never sees half of it).
 */
class DispatcherSplitTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    /** Records the rows sent into each Kafka transaction. */
    private static final class RecordingDelivery extends TestDelivery {
        final List<String> commits = new ArrayList<>();
        int sent;

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) { sent++; }
        @Override public void commit(Checkpoint c) { commits.add(sent + " rows, resume " + c.binlogPosition() + "/" + c.skipRows()); sent = 0; }
    }

    private static RowChange row(long end, long txStart) {
        return new RowChange(T, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(end))},
                new SourcePosition(FILE, end, txStart, "gtid:" + txStart, 0));
    }

    @Test
    void onlyTransactionsLargerThanTheLimitAreSplit() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                3, Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        d.onRow(row(110, 100));                                     // 2 rows: below the limit, stays open
        d.onRow(row(120, 100));
        d.onCommit(new BinlogOffset(FILE, 200, ""), "gtid:100", List.of());
        d.onRow(row(210, 200));                                     // 2 more: the open transaction reaches 3 inside
        d.onRow(row(220, 200));                                     // this one, which is not cut (4 rows, one commit)
        d.onCommit(new BinlogOffset(FILE, 300, ""), "gtid:200", List.of());
        for (int i = 1; i <= 7; i++) d.onRow(row(300 + i * 10, 300)); // 7 rows: split after 3 and 6
        d.onCommit(new BinlogOffset(FILE, 400, ""), "gtid:300", List.of());
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        assertEquals(List.of("4 rows, resume 300/0", "3 rows, resume 300/3", "3 rows, resume 300/6", "1 rows, resume 400/0"),
                delivery.commits);
    }
}
