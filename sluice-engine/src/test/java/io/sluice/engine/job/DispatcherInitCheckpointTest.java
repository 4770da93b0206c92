package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Router;
import io.sluice.engine.init.PendingChunk;
import io.sluice.engine.state.Checkpoint;
import io.sluice.engine.state.InitProgress;
import io.sluice.format.dts.DtsAvroEncoder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * A chunk with nothing to write (an empty table) still moves the initialization on: its checkpoint is
 * committed within the commit interval, like records, not only by the idle checkpoint.
 */
class DispatcherInitCheckpointTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    private static final class RecordingDelivery extends TestDelivery {
        final List<Checkpoint> commits = new CopyOnWriteArrayList<>();

        @Override public void commit(Checkpoint c) { commits.add(c); }
        @Override public int commitIntervalMs() { return 50; }
    }

    @Test
    void theInitializationOfAnEmptyTableIsCommittedBeforeTheIdleCheckpoint() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        RecordingDelivery delivery = new RecordingDelivery();
        Checkpoint start = Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1)
                .withInitialization(InitProgress.pending(List.of(T.id().toString())));
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                100, start, new JobMetrics(), TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        try {
            PendingChunk chunk = new PendingChunk(T.id(), List.of("id"), n -> { });
            d.openChunk(chunk);
            chunk.arrive(new PendingChunk.Rows(T, List.of(), null, null, 0, true)); // the table's only chunk: no rows
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Dispatcher.IDLE_CHECKPOINT_MS - 1_000);
            while (delivery.commits.isEmpty() && System.nanoTime() < deadline) Thread.sleep(10);
            assertFalse(delivery.commits.isEmpty(), "no checkpoint before the idle interval");
            assertNull(delivery.commits.get(0).initialization(), "the checkpoint records the initialization as complete");
        } finally {
            d.finish();
            thread.join(10_000);
        }
        assertNull(d.failure());
    }
}
