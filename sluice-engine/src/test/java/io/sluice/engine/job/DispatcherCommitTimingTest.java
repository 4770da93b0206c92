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
import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.state.Checkpoint;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.sink.kafka.RecordOrigin;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With a delivery that commits when caught up (exactly-once), a source transaction with nothing
 * queued after it is committed at once, not after commitIntervalMs (here an hour); changes that
 * arrive while a commit runs share the next Kafka transaction (group commit).
 */
class DispatcherCommitTimingTest {

    private static final String FILE = "mysql-bin.000003";
    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    /** Records the rows of each Kafka transaction; its first commit waits for {@link #firstCommitGo}. */
    private static class CaughtUpDelivery extends TestDelivery {
        final List<String> commits = new CopyOnWriteArrayList<>();
        final CountDownLatch firstCommitEntered = new CountDownLatch(1);
        final CountDownLatch firstCommitGo = new CountDownLatch(1);
        volatile int sent;

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) { sent++; }
        @Override public void commit(Checkpoint c) {
            firstCommitEntered.countDown();
            try {
                firstCommitGo.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            commits.add(sent + " rows, resume " + c.binlogPosition());
            sent = 0;
        }
        @Override public boolean commitsWhenCaughtUp() { return true; }
    }

    private static RowChange row(long end, long txStart) {
        return new RowChange(T, Operation.INSERT, null, new Value[]{Value.IntegerValue.of(10, end)},
                new SourcePosition(FILE, end, txStart, "gtid:" + txStart, 0));
    }

    private static Dispatcher dispatcher(Delivery delivery) {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        return new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1, 1000,
                Checkpoint.at(new BinlogOffset(FILE, 100, ""), 0, 1), new JobMetrics(), TestSchemaCaches.empty());
    }

    private static void awaitCommits(CaughtUpDelivery delivery, int n) throws InterruptedException {
        awaitCommits(delivery, n, 20_000);
    }

    private static void awaitCommits(CaughtUpDelivery delivery, int n, long timeoutMs) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMs;
        while (delivery.commits.size() < n && System.currentTimeMillis() < end) Thread.sleep(5);
    }

    @Test
    void caughtUpSourceTransactionsCommitWithoutWaitingForTheIntervalAndChangesDuringACommitShareTheNext() throws Exception {
        CaughtUpDelivery delivery = new CaughtUpDelivery();
        Dispatcher d = dispatcher(delivery);
        Thread thread = new Thread(d);
        thread.start();
        try {
            d.onRow(row(110, 100));
            d.onRow(row(120, 100));
            d.onCommit(new BinlogOffset(FILE, 200, ""), "gtid:100", List.of()); // nothing after it: committed now
            assertTrue(delivery.firstCommitEntered.await(20, TimeUnit.SECONDS), "caught up, yet no commit before the hour-long interval");
            for (int tx = 2; tx <= 4; tx++) { // three source transactions arrive while that commit runs
                d.onRow(row(tx * 100 + 10, tx * 100));
                d.onCommit(new BinlogOffset(FILE, tx * 100 + 100, ""), "gtid:" + tx * 100, List.of());
            }
            delivery.firstCommitGo.countDown();
            awaitCommits(delivery, 2);
            assertEquals(List.of("2 rows, resume 200", "3 rows, resume 500"), delivery.commits);
        } finally {
            delivery.firstCommitGo.countDown();
            d.finish();
            thread.join(10_000);
        }
        assertNull(d.failure());
    }

    /** Commits at once, except its second commit, which takes {@link #SLOW_COMMIT_MS} (a Kafka retry, a GC pause). */
    private static final class OneSlowCommitDelivery extends CaughtUpDelivery {
        static final long SLOW_COMMIT_MS = 10_000;

        OneSlowCommitDelivery() { firstCommitGo.countDown(); }

        @Override public void commit(Checkpoint c) {
            if (commits.size() == 1) {
                try {
                    Thread.sleep(SLOW_COMMIT_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            super.commit(c);
        }
    }

    @Test
    void oneSlowCommitDoesNotHoldTheNextCaughtUpTransactionBackAsLongAgain() throws Exception {
        OneSlowCommitDelivery delivery = new OneSlowCommitDelivery();
        Dispatcher d = dispatcher(delivery);
        Thread thread = new Thread(d);
        thread.start();
        try {
            for (int tx = 1; tx <= 3; tx++) {
                d.onRow(row(tx * 100 + 10, tx * 100));
                d.onCommit(new BinlogOffset(FILE, tx * 100 + 100, ""), "gtid:" + tx * 100, List.of());
                // the second commit takes 10 s; the third transaction, caught up after it, must not wait
                // another 10 s (the group-commit pause echoing one slow commit was the latency tail)
                awaitCommits(delivery, tx, tx == 3 ? OneSlowCommitDelivery.SLOW_COMMIT_MS / 2 : 30_000);
                assertEquals(tx, delivery.commits.size(), "transaction " + tx + " not committed yet: " + delivery.commits);
            }
            assertEquals(List.of("1 rows, resume 200", "1 rows, resume 300", "1 rows, resume 400"), delivery.commits);
        } finally {
            d.finish();
            thread.join(20_000);
        }
        assertNull(d.failure());
    }
}
