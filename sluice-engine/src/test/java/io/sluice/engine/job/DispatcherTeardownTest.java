package io.sluice.engine.job;

import io.sluice.sink.kafka.RecordOrigin;
import io.sluice.engine.delivery.Delivery;
import io.sluice.engine.state.Checkpoint;
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
import io.sluice.core.source.ChangeHandler;
import io.sluice.format.dts.DtsAvroEncoder;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A reader feeding a dispatcher that stopped draining its queue (Kafka failed, or the session is
 * being torn down) must not block for ever: that blocked the binlog client's disconnect, and with
 * it the whole job (a hang after a long Kafka outage).
 */
class DispatcherTeardownTest {

    private static final TableSchema T = new TableSchema(new TableId("shop", "t"),
            List.of(Column.of("id", ColumnType.INT)), Map.of("PRIMARY", List.of("id")));

    /** A Kafka that takes the first record and then hangs (until interrupted) or fails. */
    private static final class StuckDelivery extends TestDelivery {
        final RuntimeException failure;
        final CountDownLatch firstSend = new CountDownLatch(1);

        StuckDelivery(RuntimeException failure) { this.failure = failure; }

        @Override public void send(String topic, int partition, byte[] key, byte[] value, RecordOrigin origin) {
            firstSend.countDown();
            if (failure != null) throw failure;
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted", e);
            }
        }
        @Override public int commitIntervalMs() { return 50; }
    }

    private static Dispatcher dispatcher(Delivery delivery) {
        JobConfig.Objects objects = new JobConfig.Objects();
        objects.include.add("shop.*");
        JobConfig.Target target = new JobConfig.Target();
        target.topic = "main";
        return new Dispatcher(new Router(objects, target), new DtsAvroEncoder("src", "8.0"), delivery, 1, 20_000,
                Checkpoint.at(new BinlogOffset("mysql-bin.000001", 4, ""), 0, 1), new JobMetrics(),
                TestSchemaCaches.empty());
    }

    /** Feeds far more rows than the queue holds, as the binlog client thread does. */
    private static void feedForever(Dispatcher d) throws InterruptedException {
        for (int i = 1; ; i++) {
            d.onRow(new RowChange(T, Operation.INSERT, null, new Value[]{new Value.IntegerValue(10, String.valueOf(i))},
                    new SourcePosition("mysql-bin.000001", 100 + i, 100 + i, "", 0)));
            d.onCommit(new BinlogOffset("mysql-bin.000001", 101 + i, ""), "");
        }
    }

    @Test
    void aFailedDispatcherClosesItsInputWithItsFailure() {
        RuntimeException kafkaDown = new IllegalStateException("Kafka timed out");
        Dispatcher d = dispatcher(new StuckDelivery(kafkaDown));
        new Thread(d, "test-dispatch").start();
        ChangeHandler.Closed closed = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(ChangeHandler.Closed.class, () -> feedForever(d)));
        assertSame(kafkaDown, closed.getCause(), "the reader stops with the dispatcher's cause");
        assertSame(kafkaDown, d.failure());
    }

    @Test
    void aStuckDispatcherReleasesAWaitingReaderWhenTheSessionIsAbandoned() throws Exception {
        StuckDelivery kafka = new StuckDelivery(null);
        Dispatcher d = dispatcher(kafka);
        Thread thread = new Thread(d, "test-dispatch");
        thread.start();
        Thread reader = new Thread(() -> {
            try {
                feedForever(d);
            } catch (ChangeHandler.Closed | InterruptedException expected) {
                // released
            }
        }, "test-reader");
        reader.start();
        kafka.firstSend.await();
        while (!d.backpressured()) Thread.sleep(10); // the queue is full: the reader waits for room
        d.closeInput();
        reader.join(30_000);
        org.junit.jupiter.api.Assertions.assertFalse(reader.isAlive(), "the reader still waits on a queue nobody drains");
        thread.interrupt();
        thread.join(30_000);
    }

    @Test
    void finishDoesNotBlockOnAFullQueue() throws Exception {
        StuckDelivery kafka = new StuckDelivery(null);
        Dispatcher d = dispatcher(kafka);
        Thread thread = new Thread(d, "test-dispatch");
        thread.start();
        Thread reader = new Thread(() -> {
            try {
                feedForever(d);
            } catch (ChangeHandler.Closed | InterruptedException expected) {
                // released
            }
        }, "test-reader");
        reader.start();
        kafka.firstSend.await();
        while (!d.backpressured()) Thread.sleep(10);
        assertTimeoutPreemptively(Duration.ofSeconds(30), d::finish);
        reader.join(30_000);
        org.junit.jupiter.api.Assertions.assertFalse(reader.isAlive());
        thread.interrupt();
        thread.join(30_000);
    }
}
