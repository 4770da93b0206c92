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
    private final AtomicLong lastEventTimeSec = new AtomicLong();

    void recordSent(long eventTimeSec, int size) {
        records.increment();
        bytes.add(size);
        lastEventTimeSec.set(eventTimeSec);
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

    /** Seconds between now and the source time of the last record sent (0 before any). */
    public long lagSeconds() {
        long t = lastEventTimeSec.get();
        return t == 0 ? 0 : Math.max(0, System.currentTimeMillis() / 1000 - t);
    }
}
