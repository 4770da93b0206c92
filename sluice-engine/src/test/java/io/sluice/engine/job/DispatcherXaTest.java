package io.sluice.engine.job;

import io.sluice.engine.state.Checkpoint;
import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Operation;
import io.sluice.core.model.PreparedXa;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.model.Value;
import io.sluice.core.route.Router;
import io.sluice.format.dts.DtsAvroEncoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Every checkpoint carries the XA branches unresolved at its boundary, split ones included, and they survive JSON. */
class DispatcherXaTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));
    private static final PreparedXa X = new PreparedXa("X'78',X'',1", "", FILE, 120, "");

    private static final class RecordingDelivery extends TestDelivery {
        final List<Checkpoint> commits = new ArrayList<>();

        @Override public void commit(Checkpoint c) { commits.add(c); }
    }

    private static RowChange row(int id, long end, long txStart) {
        return new RowChange(T, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(id))},
                new SourcePosition(FILE, end, txStart, "gtid", 0));
    }

    @Test
    void checkpointsCarryTheUnresolvedBranches() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                1, Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        d.onCommit(new BinlogOffset(FILE, 200, ""), "", List.of(X));   // the prepare group of X ends
        d.onRow(row(1, 280, 250));                                      // a transaction split after each row
        d.onRow(row(2, 290, 250));
        d.onCommit(new BinlogOffset(FILE, 300, ""), "gtid", List.of(X));
        d.onCommit(new BinlogOffset(FILE, 400, ""), "", List.of());      // X resolved
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        List<String> seen = delivery.commits.stream()
                .map(c -> c.binlogPosition() + "/" + c.skipRows() + "/" + c.preparedXa().size()).toList();
        assertEquals(List.of("250/1/1", "250/2/1", "400/0/0"), seen);
        Checkpoint split = delivery.commits.get(0);
        assertEquals(List.of(X), Checkpoint.fromJson(split.toJson()).preparedXa());
        assertEquals(List.of(), Checkpoint.fromJson(delivery.commits.get(2).toJson()).preparedXa());
    }

    /**
     * Resuming a split transaction by GTID while a branch is prepared: the server sends the prepare
     * group again first. A stop right after it must not commit a checkpoint past that group without
     * the skip (the next run would write the split transaction's first rows again).
     */
    @Test
    void aPrepareGroupSentAgainBeforeASplitTransactionKeepsTheSkip() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Checkpoint start = Checkpoint.at(new BinlogOffset(FILE, 250, ""), 1, 5).withPreparedXa(List.of(X));
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                100, start, new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        d.onCommit(new BinlogOffset(FILE, 200, ""), "", List.of(X));   // X's prepare group, sent again
        d.finish();
        thread.join(10_000);
        assertNull(d.failure());
        assertEquals(List.of(), delivery.commits, "nothing to commit: the start checkpoint (with its skip) is still the resume point");
    }
}
