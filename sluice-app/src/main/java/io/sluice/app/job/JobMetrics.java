package io.sluice.app.job;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one job, read by the status line (and later the status page and metrics endpoint). */
public final class JobMetrics implements io.sluice.source.mysql.BinlogReader.Notices {

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    /** Source time (epoch ms) of the last binlog event handled; 0 before any. */
    private volatile long lastSourceTimeMs;
    /** The last event handled was a heartbeat: the stream had read to the binlog end. */
    private volatile boolean caughtUp;

    void recordSent(long eventTimeSec, int size) {
        records.increment();
        bytes.add(size);
    }

    /** The dispatcher handled a binlog event (row, commit, DDL) written at {@code sourceTimeMs} on the source. */
    void sourceEventHandled(long sourceTimeMs) {
        if (sourceTimeMs > 0) lastSourceTimeMs = sourceTimeMs;
        caughtUp = false;
    }

    /** The dispatcher handled a heartbeat: every event before the binlog end is handled. */
    void caughtUp() {
        caughtUp = true;
    }

    void transactionCommitted() {
        transactions.increment();
    }

    void committed() {
        commits.increment();
    }

    void restarted(String why) {
        restarts.increment();
        lastError = java.time.Instant.now() + " " + why;
    }

    private volatile String lastError;

    /** A failure met while recovering (e.g. Kafka still unreachable): shown as the last error, not counted as a restart. */
    void lastError(String why) {
        lastError = java.time.Instant.now() + " " + why;
    }

    private final LongAdder schemaMismatches = new LongAdder();

    /** A disagreement with the binlog's column metadata the job continued after (source.schemaMismatch: warn). */
    void schemaMismatch(String why) {
        schemaMismatches.increment();
        lastError = java.time.Instant.now() + " " + why;
    }

    public long schemaMismatches() { return schemaMismatches.sum(); }

    private final LongAdder statementDmlSkipped = new LongAdder();
    private final LongAdder truncates = new LongAdder();

    /** A statement-logged change (binlog_format STATEMENT/MIXED) of a table that is not selected, passed. */
    @Override public void statementDmlSkipped(io.sluice.core.model.TableId table) { statementDmlSkipped.increment(); }

    /** A TRUNCATE of a selected table passed with source.onTruncate: warn. */
    @Override public void truncated(io.sluice.core.model.TableId table) { truncates.increment(); }

    public long statementDmlSkipped() { return statementDmlSkipped.sum(); }

    public long truncates() { return truncates.sum(); }

    /** The last failure the job recovered from or schema mismatch it passed (time and message), or null. */
    public String lastError() { return lastError; }

    private final java.util.concurrent.atomic.LongAdder initSuperseded = new java.util.concurrent.atomic.LongAdder();

    /** Rows of initialization chunks dropped because the stream changed them between the watermarks. */
    void initRowsSuperseded(long rows) { initSuperseded.add(rows); }

    public long initRowsSuperseded() { return initSuperseded.sum(); }

    public long commits() { return commits.sum(); }

    public long restarts() { return restarts.sum(); }

    public long records() { return records.sum(); }

    public long bytes() { return bytes.sum(); }

    public long transactions() { return transactions.sum(); }

    /**
     * How far the stream is behind the source, as Debezium's MilliSecondsBehindSource: now minus the
     * source time of the last event handled (rows, commits also of transactions on unselected tables,
     * DDL), and 0 once the stream has read to the binlog end (a heartbeat after the last event). A
     * quiet, caught-up job shows 0; a stalled one, a growing number.
     */
    public long lagMillis() {
        long t = lastSourceTimeMs;
        return caughtUp || t == 0 ? 0 : Math.max(0, System.currentTimeMillis() - t);
    }
}
