package io.sluice.engine.init;

import io.sluice.engine.state.InitProgress;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Initialization progress: rows written / estimated rows (InnoDB's TABLE_ROWS, never below what
 * was written) per table and overall, the rate since this run started, and the ETA; as a log line
 * and as a bar for an interactive terminal.
 */
final class ProgressMeter {

    private final Map<String, InitProgress.TableInit> atStart;
    private final Map<String, AtomicLong> written = new ConcurrentHashMap<>();
    private final Map<String, Long> estimated = new ConcurrentHashMap<>();
    private final LongSupplier clockMs;
    private final long startedMs;
    private final long rowsAtStart;

    ProgressMeter(Map<String, InitProgress.TableInit> atStart, LongSupplier clockMs) {
        this.atStart = atStart;
        this.clockMs = clockMs;
        this.startedMs = clockMs.getAsLong();
        long done = 0;
        for (Map.Entry<String, InitProgress.TableInit> e : atStart.entrySet()) {
            written.put(e.getKey(), new AtomicLong(e.getValue().rows()));
            done += e.getValue().rows();
        }
        this.rowsAtStart = done;
    }

    void estimate(String table, long rows) {
        estimated.put(table, rows);
    }

    /** Every table is read: the estimates give way to the rows written (100%, no ETA). */
    void finish() {
        for (String table : atStart.keySet()) estimated.put(table, writtenOf(table));
    }

    void written(String table, long rows) {
        written.computeIfAbsent(table, k -> new AtomicLong()).addAndGet(rows);
    }

    private long writtenOf(String table) {
        AtomicLong w = written.get(table);
        return w == null ? 0 : w.get();
    }

    private long estimateOf(String table) {
        long w = writtenOf(table);
        boolean finishedBefore = atStart.get(table).done();
        return Math.max(estimated.getOrDefault(table, finishedBefore ? w : 0L), w);
    }

    /** Totals now: rows done, rows estimated, rows/s in this run, seconds left (-1: unknown). */
    record Totals(long done, long total, long rate, long etaSeconds) {}

    Totals totals() {
        long done = 0;
        long total = 0;
        for (String t : atStart.keySet()) {
            done += writtenOf(t);
            total += estimateOf(t);
        }
        double seconds = Math.max(0.001, (clockMs.getAsLong() - startedMs) / 1000.0);
        long rate = (long) ((done - rowsAtStart) / seconds);
        long eta = rate > 0 && total > done ? Math.max(1, (total - done) / rate) : -1;
        return new Totals(done, total, rate, eta);
    }

    /** Each table now, in the checkpoint's order: rows written, estimate, rows/s in this run, seconds left (-1: unknown). */
    java.util.List<Initializer.TableProgress> tables() {
        double seconds = Math.max(0.001, (clockMs.getAsLong() - startedMs) / 1000.0);
        java.util.List<Initializer.TableProgress> out = new java.util.ArrayList<>();
        for (Map.Entry<String, InitProgress.TableInit> e : atStart.entrySet()) {
            String table = e.getKey();
            long w = writtenOf(table);
            long est = estimateOf(table);
            long rate = (long) ((w - e.getValue().rows()) / seconds);
            long eta = rate > 0 && est > w ? Math.max(1, (est - w) / rate) : -1;
            out.add(new Initializer.TableProgress(table, w, est, rate, eta));
        }
        return out;
    }

    /** {@code initialization: 120000/200000 rows (60%), 40000 rows/s, ETA 2 s; db.t 120000/200000 (60%), ...}. */
    String line() {
        Totals t = totals();
        StringBuilder tables = new StringBuilder();
        for (String table : atStart.keySet()) {
            if (atStart.get(table).done()) continue;
            long w = writtenOf(table);
            long est = estimateOf(table);
            tables.append("; ").append(table).append(' ').append(w).append('/').append(est).append(percent(w, est));
        }
        return "initialization: " + t.done() + "/" + t.total() + " rows" + percent(t.done(), t.total()) + ", " + t.rate() + " rows/s"
                + (t.etaSeconds() >= 0 ? ", ETA " + t.etaSeconds() + " s" : "") + tables;
    }

    /** {@code [##########..........]  50%  100000/200000 rows  40000 rows/s  ETA 2 s} with a bar {@code width} cells wide. */
    String bar(int width) {
        Totals t = totals();
        int filled = t.total() <= 0 ? 0 : (int) Math.min(width, t.done() * width / t.total());
        long pct = t.total() <= 0 ? 0 : Math.min(100, t.done() * 100 / t.total());
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + String.format("%3d%%", pct) + "  " + t.done() + "/"
                + t.total() + " rows  " + t.rate() + " rows/s" + (t.etaSeconds() >= 0 ? "  ETA " + t.etaSeconds() + " s" : "");
    }

    private static String percent(long done, long total) {
        return total <= 0 ? "" : " (" + Math.min(100, done * 100 / total) + "%)";
    }
}
