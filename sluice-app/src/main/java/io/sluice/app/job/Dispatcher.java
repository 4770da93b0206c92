package io.sluice.app.job;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.route.Route;
import io.sluice.core.route.Router;
import io.sluice.core.source.ChangeHandler;
import io.sluice.format.dts.DtsAvroEncoder;
import io.sluice.sink.kafka.KafkaSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The stage between the binlog reader and Kafka: a bounded queue (backpressure on the reader),
 * then routing, record ids, encoding and sending, on one thread so ids follow binlog order.
 *
 * <p>Without GTIDs a record's transaction id is the XID, which the binlog gives only at commit, so
 * such a transaction's rows wait here until its commit, up to {@link #MAX_HELD_ROWS}; rows of a
 * larger one go out without it.
 */
final class Dispatcher implements ChangeHandler, Runnable {

    static final int MAX_HELD_ROWS = 10_000;
    private static final Object STOP = new Object();

    private record Commit(BinlogOffset next, String txId) {}

    /** The last commit whose records were all handed to the producer, and the id after them. */
    record Committed(BinlogOffset offset, long nextId) {}

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(8192);
    private final Router router;
    private final DtsAvroEncoder encoder;
    private final KafkaSink sink;
    private final int partitions;
    private final JobMetrics metrics;
    private final List<RowChange> held = new ArrayList<>();
    private boolean holdOverflowed;
    private long nextId;
    private volatile Committed committed;
    private volatile Throwable failure;

    Dispatcher(Router router, DtsAvroEncoder encoder, KafkaSink sink, int partitions, long nextId,
               BinlogOffset start, JobMetrics metrics) {
        this.router = router;
        this.encoder = encoder;
        this.sink = sink;
        this.partitions = partitions;
        this.nextId = nextId;
        this.metrics = metrics;
        this.committed = new Committed(start, nextId);
    }

    @Override
    public void onRow(RowChange change) throws InterruptedException {
        queue.put(change);
    }

    @Override
    public void onCommit(BinlogOffset next, String txId) throws InterruptedException {
        queue.put(new Commit(next, txId));
    }

    /** Ends the loop after everything queued so far has been sent. */
    void finish() throws InterruptedException {
        queue.put(STOP);
    }

    Committed committed() { return committed; }

    Throwable failure() { return failure; }

    @Override
    public void run() {
        try {
            while (true) {
                Object item = queue.take();
                if (item == STOP) return;
                if (item instanceof RowChange change) {
                    onRowChange(change);
                } else {
                    Commit c = (Commit) item;
                    sendHeld(c.txId());
                    committed = new Committed(c.next(), nextId);
                    metrics.transactionCommitted();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void onRowChange(RowChange change) {
        boolean needsXid = change.position().txId().isEmpty();
        if (needsXid && !holdOverflowed) {
            held.add(change);
            if (held.size() < MAX_HELD_ROWS) return;
            holdOverflowed = true;
            sendHeld("");
            return;
        }
        send(change);
    }

    private void sendHeld(String txId) {
        for (RowChange change : held) {
            SourcePosition p = change.position();
            send(new RowChange(change.table(), change.operation(), change.before(), change.after(),
                    new SourcePosition(p.file(), p.endPosition(), p.txStart(), txId, p.timestampSec())));
        }
        held.clear();
        holdOverflowed = false;
    }

    private void send(RowChange change) {
        Route route = router.route(change.table());
        byte[] value = encoder.encode(nextId++, change, route);
        sink.send(router.partition(change, partitions), null, value);
        metrics.recordSent(change.position().timestampSec(), value.length);
    }
}
