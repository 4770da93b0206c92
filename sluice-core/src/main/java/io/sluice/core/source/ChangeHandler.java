package io.sluice.core.source;

import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.DdlChange;
import io.sluice.core.model.PreparedXa;
import io.sluice.core.model.RowChange;

import java.util.List;

/**
 * Receives a source's changes in commit order. Calls block when the pipeline is full; that is the
 * backpressure that keeps memory bounded.
 */
public interface ChangeHandler {

    void onRow(RowChange change) throws InterruptedException;

    /**
     * The source transaction (or DDL statement) whose rows were just delivered is complete.
     *
     * @param next resuming at this offset replays nothing of it
     * @param txId the transaction's GTID, else its XID, else ""
     */
    void onCommit(BinlogOffset next, String txId) throws InterruptedException;

    /**
     * {@link #onCommit(BinlogOffset, String)}, also naming the XA branches prepared and not yet
     * resolved at {@code next}: a resume from {@code next} must read their prepare groups again.
     */
    default void onCommit(BinlogOffset next, String txId, List<PreparedXa> prepared) throws InterruptedException {
        onCommit(next, txId);
    }

    /**
     * A DDL statement of a selected table (or database), in binlog order: after the rows before it,
     * before the {@link #onCommit} that ends it. Only from a reader asked to emit DDL. Optional.
     */
    default void onDdl(DdlChange ddl) throws InterruptedException { }

    /**
     * The server has nothing more to send for now: every event before {@code at} was delivered
     * (a replication heartbeat, outside any transaction). Optional.
     */
    default void onHeartbeat(BinlogOffset at) throws InterruptedException { }

    /**
     * Thrown by a handler that takes no more changes (it failed, or the session is being torn down):
     * the source stops quietly instead of waiting for room in a pipeline nobody drains. The cause,
     * when there is one, is the handler's own failure, reported by whoever runs the handler.
     */
    final class Closed extends RuntimeException {
        public Closed(Throwable cause) {
            super("the change handler takes no more changes", cause, false, false);
        }
    }
}
