package io.sluice.engine.job;

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
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The dispatcher adds its counts (events, records, bytes) to {@link JobMetrics} once per batch it takes,
 * not per event: they are all there as soon as it waits for more, not only when it stops.
 */
class DispatcherMetricsTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    private static final class CountingDelivery extends TestDelivery {
        final AtomicLong records = new AtomicLong(), bytes = new AtomicLong();

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            records.incrementAndGet();
            bytes.addAndGet(value.length);
        }
    }

    private static RowChange row(long end, long txStart) {
        return new RowChange(T, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(end))},
                new SourcePosition(FILE, end, txStart, "gtid:" + txStart, 1_700_000_000L));
    }

    @Test
    void countsReachTheMetricsWhileTheDispatcherWaits() throws Exception {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        CountingDelivery delivery = new CountingDelivery();
        JobMetrics metrics = new JobMetrics();
        Dispatcher d = new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1,
                1_000, Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), metrics, TestSchemaCaches.empty());
        Thread thread = new Thread(d);
        thread.start();
        try {
            int rows = 0, commits = 0;
            for (int tx = 0; tx < 30; tx++) { // more than one hand-off batch (64 changes)
                long start = 1_000L * (tx + 1);
                for (int i = 1; i <= 1 + tx % 4; i++, rows++) d.onRow(row(start + i * 10, start));
                d.onCommit(new BinlogOffset(FILE, start + 1_000, ""), "gtid:" + start, List.of());
                commits++;
            }
            long deadline = System.currentTimeMillis() + 10_000;
            while (metrics.eventsSeen() < rows + commits && System.currentTimeMillis() < deadline) Thread.sleep(10);
            // the dispatcher now waits (the commit interval is an hour): everything it handled is counted
            assertEquals(rows + commits, metrics.eventsSeen());
            assertEquals(rows, metrics.records());
            assertEquals(rows, delivery.records.get());
            assertEquals(delivery.bytes.get(), metrics.bytes());
            assertEquals(30, metrics.transactions());
        } finally {
            d.finish();
            thread.join(10_000);
        }
        assertNull(d.failure());
    }
}
