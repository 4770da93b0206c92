package io.sluice.engine.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Makes a Kafka that stops answering visible. The producer waits and retries on its own while the
 * brokers are unreachable (sends, flushes and transaction commits block; nothing is dropped), which
 * without this says nothing for minutes. A ticker thread looks once a second at the call to Kafka in
 * progress: one that has not returned after {@link #WARN_AFTER_MS} logs a WARN naming the brokers
 * and what Sluice waits for, repeated every {@link #REPEAT_MS} with the outage's length while it
 * lasts, and the status shows it; the first call that returns afterwards logs its end as INFO.
 *
 * <p>The calling thread only bumps a counter (odd while a call is in progress): no clock read per
 * record. An outage that outlives a session (a commit that timed out, a producer reopened) stays one
 * outage until a call succeeds.
 */
final class KafkaWaits implements AutoCloseable {

    static final long WARN_AFTER_MS = 10_000;
    static final long REPEAT_MS = 60_000;
    private static final long TICK_MS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(KafkaWaits.class);

    private final String bootstrapServers;
    private final JobMetrics metrics;
    /** The last committed position, for the message. */
    private final Supplier<Object> position;
    private final ScheduledExecutorService ticker;

    /** Odd while a call is in progress; only the calling thread (one at a time) writes it. */
    private volatile long calls;
    /** What the call in progress does; written before {@link #calls}, so a reader of calls sees it. */
    private String doing = "";
    /** When the first WARN's call was first seen waiting; 0 while no outage is reported. */
    private volatile long outageSinceNs;
    private Instant outageSince;
    // the ticker's view, under this object's lock
    private long seenCall = -1;
    private long seenAtNs;
    private long lastWarnNs;

    KafkaWaits(String bootstrapServers, JobMetrics metrics, Supplier<Object> position) {
        this.bootstrapServers = bootstrapServers;
        this.metrics = metrics;
        this.position = position;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-kafka-waits");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    /** A call to Kafka starts, doing what the WARN says (e.g. "committing a transaction"). */
    void begin(String doing) {
        this.doing = doing;
        calls = calls + 1;
    }

    /** The call returned ({@code answered}) or threw; a return after a reported outage ends it. */
    void end(boolean answered) {
        calls = calls + 1;
        if (answered && outageSinceNs != 0) recovered();
    }

    /** {@code call} between {@link #begin} and {@link #end}. */
    <T> T call(String doing, Supplier<T> call) {
        begin(doing);
        boolean answered = false;
        try {
            T result = call.get();
            answered = true;
            return result;
        } finally {
            end(answered);
        }
    }

    private synchronized void tick() {
        long call = calls;
        if ((call & 1) == 0) return;
        long now = System.nanoTime();
        if (call != seenCall) {
            seenCall = call;
            seenAtNs = now;
        }
        if (outageSinceNs == 0) {
            if (now - seenAtNs < TimeUnit.MILLISECONDS.toNanos(WARN_AFTER_MS)) return;
            outageSinceNs = seenAtNs;
            if (calls != call) { // it returned meanwhile (and saw no outage, or waits for this lock to find none)
                outageSinceNs = 0;
                return;
            }
            outageSince = Instant.now().minusNanos(now - seenAtNs);
        } else if (now - lastWarnNs < TimeUnit.MILLISECONDS.toNanos(REPEAT_MS)) {
            return;
        }
        lastWarnNs = now;
        long seconds = TimeUnit.NANOSECONDS.toSeconds(now - outageSinceNs);
        String what = "Kafka at " + bootstrapServers + " has not answered for " + seconds + " s (Sluice is " + doing + ")";
        log.warn("{}: the changes read since the last checkpoint ({}) are held and the position does not advance, nothing is lost;"
                + " the producer keeps retrying and streaming carries on where it waits once Kafka answers."
                + " Check that the brokers are up and reachable from this host", what, position.get());
        // the field before the error: a status read that shows this error shows the outage too
        metrics.kafkaUnanswered(new JobMetrics.KafkaUnanswered(outageSince, doing));
        metrics.lastError(what);
    }

    private synchronized void recovered() {
        if (outageSinceNs == 0) return; // the ticker took its WARN back
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - outageSinceNs);
        log.info("Kafka at {} answers again, after about {} s without an answer; nothing was lost, the job carries on",
                bootstrapServers, seconds);
        outageSinceNs = 0;
        outageSince = null;
        metrics.kafkaUnanswered(null);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
