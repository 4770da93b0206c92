package io.sluice.engine.init;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.core.model.BinlogOffset;
import io.sluice.core.model.TableId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Runs an initialization query again while MySQL answers "Unknown column" (error 1054): the query was built from the
 * table's definition at the stream's position, and the table dropped or renamed a column the stream has not met yet
 * (resumed from a checkpoint before the statement, or busy). Each attempt reads the definition again, so it succeeds
 * once the stream has applied the statement. It stops with the fix when {@link StaleColumnsWait} finds the history
 * disagrees with the table (changed outside the binlog), and restarts the session when the stream does not pass the
 * mark within {@link #MAX_WAIT_MS}.
 */
final class StaleColumnsRetry {

    private static final Logger log = LoggerFactory.getLogger(StaleColumnsRetry.class);
    static final long WAIT_MS = 200;
    /** Then the session restarts: the stream did not pass the mark (stalled, or inside a long transaction). */
    static final long MAX_WAIT_MS = 120_000;

    /** One attempt: reads the table's definition (after {@link StaleColumnsWait#beforeAttempt}) and runs the query. */
    interface Attempt<T> {
        T run() throws InterruptedException;
    }

    /** Waits between attempts (a sleep; a test passes one that does not). */
    interface Pause {
        void pause(long ms) throws InterruptedException;
    }

    private final Supplier<BinlogOffset> streamPosition;
    private final Supplier<BinlogOffset> binlogEnd;
    private final Pause pause;

    /**
     * @param streamPosition where the stream has handled every event before (the dispatcher's)
     * @param binlogEnd the binlog end now (a watermark), taken after a failed attempt
     */
    StaleColumnsRetry(Supplier<BinlogOffset> streamPosition, Supplier<BinlogOffset> binlogEnd, Pause pause) {
        this.streamPosition = streamPosition;
        this.binlogEnd = binlogEnd;
        this.pause = pause;
    }

    /** {@code attempt} run until it does not fail for an unknown column; {@code what} (e.g. "the chunk") is logged. */
    <T> T run(TableId table, String what, Attempt<T> attempt) throws InterruptedException {
        StaleColumnsWait stale = new StaleColumnsWait(streamPosition);
        for (long waitedMs = 0; ; waitedMs += WAIT_MS) {
            stale.beforeAttempt(); // before the attempt reads the definition (see StaleColumnsWait)
            try {
                return attempt.run();
            } catch (SluiceException e) {
                if (!unknownColumn(e)) throw e;
                String message = e.getCause().getMessage();
                String column = StaleColumnsWait.columnOf(message);
                if (stale.historyDisagrees(column != null ? column : message, binlogEnd)) {
                    throw historyDisagrees(table, column, stale.mark(), e);
                }
                if (waitedMs >= MAX_WAIT_MS) {
                    throw new TransientException("initialization of " + table + ": the table's columns changed and the"
                            + " stream has not reached the statement in " + waitedMs / 1000 + " s (" + e.problem() + ")",
                            "none while the stream catches up (the job resumes from its last checkpoint); if this repeats, the"
                            + " table was changed by a statement the binlog does not carry (e.g. run with sql_log_bin=0): start the"
                            + " job over with `sluice run --reinitialize` (on Kafka Connect, set initialization.reinitializeToken to a"
                            + " new value)", e);
                }
                if (waitedMs == 0) {
                    log.info("initialization: {} has other columns than the stream knows yet ({}); reading {} again once"
                            + " the stream has met the statement (by {}, the binlog end now)", table, e.problem(), what,
                            at(stale.mark()));
                }
                pause.pause(WAIT_MS);
            }
        }
    }

    /**
     * The stream passed the binlog end of the first "Unknown column" and its definition still names the column:
     * the table was changed outside the binlog. Waiting or restarting would meet the same column forever.
     */
    private static SluiceException historyDisagrees(TableId table, String column, BinlogOffset mark, SluiceException e) {
        String missing = column != null ? "has no column " + column + ", which the schema history still has"
                : "lacks a column the schema history still has (" + e.getCause().getMessage() + ")";
        return new SluiceException("initialization of " + table + ": the table " + missing + " after the stream passed "
                + at(mark) + " (the binlog end when the column was found missing): the table was changed by a statement the binlog"
                + " does not carry (e.g. an ALTER TABLE run with sql_log_bin=0), so the history disagrees with the table",
                "re-initialize the job (`sluice run --reinitialize`; on Kafka Connect, set initialization.reinitializeToken to a"
                + " new value) so the history starts from the catalogue again", e);
    }

    /** File and position (the GTID set of a long-lived server would make the line unreadable). */
    private static String at(BinlogOffset offset) {
        return offset.file() + ":" + offset.position();
    }

    /** MySQL's ER_BAD_FIELD_ERROR: a column the query names is not in the table. */
    private static boolean unknownColumn(SluiceException e) {
        return e.getCause() instanceof SQLException sql && sql.getErrorCode() == 1054;
    }
}
