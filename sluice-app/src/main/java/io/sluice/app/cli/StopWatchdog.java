package io.sluice.app.cli;

import io.sluice.engine.job.SyncJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bounds how long SIGTERM/SIGINT take. The job stops cleanly in every phase it can check the stop
 * request in; where it cannot (a connect or a Kafka call blocked inside a client library), the
 * process exits anyway after {@link #GRACE_MS}. That is safe: like a crash, it loses nothing that
 * was committed, and the next run resumes from the last checkpoint.
 */
final class StopWatchdog {

    private static final Logger log = LoggerFactory.getLogger(StopWatchdog.class);
    static final long GRACE_MS = 9_000;

    private final SyncJob job;
    private final AtomicBoolean started = new AtomicBoolean();

    StopWatchdog(SyncJob job) {
        this.job = job;
    }

    /** After the first stop signal; later signals change nothing. */
    void start() {
        if (!started.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                if (job.awaitStopped(GRACE_MS, TimeUnit.MILLISECONDS)) return;
                log.warn("the job did not stop within {} ms of the stop signal (phase {}); exiting now: the next run resumes"
                        + " from the last committed checkpoint", GRACE_MS, job.phase());
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-stop-watchdog");
        t.setDaemon(true);
        t.start();
    }
}
