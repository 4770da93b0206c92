package io.sluice.engine.job;

/**
 * How long to wait before the next streaming session: doubling from {@code initialMs} up to
 * {@code maxMs} while sessions keep failing, and back to {@code initialMs} after a session that
 * was healthy (kept committing for {@code healthyMs}): a job that ran for days and then hits one
 * network blip reconnects after a second, not after the longest wait it ever reached.
 */
final class ReconnectBackoff {

    private final long initialMs;
    private final long maxMs;
    private final long healthyMs;
    private long nextMs;

    ReconnectBackoff(long initialMs, long maxMs, long healthyMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.healthyMs = healthyMs;
        this.nextMs = initialMs;
    }

    /**
     * The wait after a session failed.
     *
     * @param healthyForMs how long the failed session kept committing: from its start to its last
     *                     committed checkpoint (0 if it committed none)
     */
    long afterFailure(long healthyForMs) {
        if (healthyForMs >= healthyMs) nextMs = initialMs;
        long wait = nextMs;
        nextMs = Math.min(nextMs * 2, maxMs);
        return wait;
    }

    /** The wait after an attempt that did not even start a session (e.g. the producer cannot be reopened). */
    long afterFailedAttempt() {
        return afterFailure(0);
    }
}
