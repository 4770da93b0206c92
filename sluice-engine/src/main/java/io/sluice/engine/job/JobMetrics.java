package io.sluice.engine.job;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one job, read by the status line (and later the status page and metrics endpoint). */
public final class JobMetrics implements io.sluice.source.mysql.binlog.BinlogReader.Notices {

    private final LongAdder records = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder transactions = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    /** Source time (epoch ms) of the last binlog event handled; 0 before any. */
    private volatile long lastSourceTimeMs;
    /** The last event handled was a heartbeat: the stream had read to the binlog end. */
    private volatile boolean caughtUp;

    /**
     * {@code count} records of {@code size} bytes in all handed to the target. The dispatcher counts
     * on its own thread and adds its counts here once per batch of changes, not per event (three
     * contended-safe additions per event were ~2% of its thread).
     */
    void recordsSent(long count, long size) {
        records.add(count);
        bytes.add(size);
    }

    /** The dispatcher handled {@code count} binlog events (rows, commits, DDL): see {@link #recordsSent}. */
    void sourceEventsHandled(long count) {
        eventsSeen.add(count);
    }

    /** The dispatcher handled a binlog event (row, commit, DDL) written at {@code sourceTimeMs} on the source. */
    void sourceEventHandled(long sourceTimeMs) {
        // volatile writes only when the value changes (the source time moves once a second): one event costs less
        if (sourceTimeMs > 0 && sourceTimeMs != lastSourceTimeMs) lastSourceTimeMs = sourceTimeMs;
        if (caughtUp) caughtUp = false;
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
        error(why);
    }

    private volatile String lastError;

    /** A failure met while recovering (e.g. Kafka still unreachable): shown as the last error, not counted as a restart. */
    void lastError(String why) {
        error(why);
    }

    /** A call to Kafka unanswered since {@code since}, while Sluice was {@code doing} that (see {@link KafkaWaits}). */
    public record KafkaUnanswered(java.time.Instant since, String doing) {}

    private volatile KafkaUnanswered kafkaUnanswered;

    void kafkaUnanswered(KafkaUnanswered now) {
        kafkaUnanswered = now;
    }

    /** The Kafka outage going on (reported after {@link KafkaWaits#WARN_AFTER_MS}), or null. */
    public KafkaUnanswered kafkaUnanswered() { return kafkaUnanswered; }

    private final LongAdder schemaMismatches = new LongAdder();

    /** A disagreement with the binlog's column metadata the job continued after (source.schemaMismatch: warn). */
    void schemaMismatch(String why) {
        schemaMismatches.increment();
        error(why);
    }

    /** A failure recovered from or a warning passed: the last error, and one of the recent ones. */
    private void error(String why) {
        java.time.Instant at = java.time.Instant.now();
        lastError = at + " " + why;
        synchronized (recentErrors) {
            if (recentErrors.size() == RECENT_ERRORS) recentErrors.removeFirst();
            recentErrors.addLast(new RecentError(at, why));
        }
    }

    /** How many recent errors the status keeps (a ring: the oldest gives way). */
    public static final int RECENT_ERRORS = 20;
    private final java.util.ArrayDeque<RecentError> recentErrors = new java.util.ArrayDeque<>();

    /** A failure the job recovered from (or is recovering from), or a warning it passed. */
    public record RecentError(java.time.Instant at, String message) {}

    /** The last {@link #RECENT_ERRORS} errors, oldest first. */
    public java.util.List<RecentError> recentErrors() {
        synchronized (recentErrors) {
            return java.util.List.copyOf(recentErrors);
        }
    }

    private final LongAdder eventsSeen = new LongAdder();

    /** Binlog events handled (rows, commits, DDL; heartbeats not), as Debezium's TotalNumberOfEventsSeen. */
    public long eventsSeen() { return eventsSeen.sum(); }

    private volatile java.util.function.BooleanSupplier connected = () -> false;

    /** Whether a streaming session's binlog connection is up (Debezium's Connected). */
    public boolean connected() { return connected.getAsBoolean(); }

    void connection(java.util.function.BooleanSupplier up) { connected = up; }

    private volatile java.util.function.IntSupplier queueRemaining = () -> 0;
    private volatile int queueCapacity;

    /** The reader-to-dispatcher queue of the current session (Debezium's QueueTotalCapacity / QueueRemainingCapacity). */
    void queue(int capacity, java.util.function.IntSupplier remaining) {
        queueCapacity = capacity;
        queueRemaining = remaining;
    }

    public int queueCapacity() { return queueCapacity; }

    public int queueRemainingCapacity() { return queueRemaining.getAsInt(); }

    public long schemaMismatches() { return schemaMismatches.sum(); }

    private final LongAdder statementDmlSkipped = new LongAdder();
    private final LongAdder truncates = new LongAdder();

    /** A statement-logged change (binlog_format STATEMENT/MIXED) of a table that is not selected, passed. */
    @Override public void statementDmlSkipped(io.sluice.core.model.TableId table) { statementDmlSkipped.increment(); }

    /** A TRUNCATE of a selected table passed with source.onTruncate: warn. */
    @Override public void truncated(io.sluice.core.model.TableId table) { truncates.increment(); }

    public long statementDmlSkipped() { return statementDmlSkipped.sum(); }

    public long truncates() { return truncates.sum(); }

    private final LongAdder renamesIn = new LongAdder();
    private final LongAdder drops = new LongAdder();

    /** A table renamed into the selection whose existing rows were not written. */
    @Override public void renamedIn(io.sluice.core.model.TableId table) { renamesIn.increment(); }

    /** A DROP TABLE of a selected table (consumers keep its rows). */
    @Override public void dropped(io.sluice.core.model.TableId table) { drops.increment(); }

    public long renamesIn() { return renamesIn.sum(); }

    public long drops() { return drops.sum(); }

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
