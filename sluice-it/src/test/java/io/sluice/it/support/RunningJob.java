package io.sluice.it.support;

import io.sluice.engine.job.SyncJob;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** A sync job running in this JVM on its own thread, for tests. */
public final class RunningJob implements AutoCloseable {

    private final SyncJob job;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private RunningJob(JobConfig config, boolean reinitialize) {
        job = new SyncJob(config).reinitialize(reinitialize);
        thread = new Thread(() -> {
            try {
                job.run();
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "test-job-" + config.name);
    }

    public static RunningJob start(String yaml) throws InterruptedException {
        return start(yaml, false);
    }

    /** @param reinitialize as {@code sluice run --reinitialize} */
    public static RunningJob start(String yaml, boolean reinitialize) throws InterruptedException {
        RunningJob j = new RunningJob(new JobConfigLoader(k -> null).parse(yaml, "test job"), reinitialize);
        j.thread.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!"streaming".equals(j.job.phase())) {
            String problem = j.failure.get() != null ? "job failed to start"
                    : !j.thread.isAlive() || System.nanoTime() > deadline ? "job did not reach streaming; phase " + j.job.phase() : null;
            if (problem != null) {
                // not left running into the next test
                j.job.requestStop();
                j.job.awaitStopped(60, TimeUnit.SECONDS);
                throw new IllegalStateException(problem, j.failure.get());
            }
            Thread.sleep(50);
        }
        return j;
    }

    /** Starts the job without waiting for it to stream (e.g. to watch its initialization). */
    public static RunningJob launch(String yaml) {
        RunningJob j = new RunningJob(new JobConfigLoader(k -> null).parse(yaml, "test job"), false);
        j.thread.start();
        return j;
    }

    public SyncJob job() { return job; }

    public Throwable failure() { return failure.get(); }

    @Override
    public void close() throws InterruptedException {
        job.requestStop();
        if (!job.awaitStopped(60, TimeUnit.SECONDS)) throw new IllegalStateException("job did not stop");
        thread.join(10_000);
        if (failure.get() != null) throw new IllegalStateException("job failed", failure.get());
    }
}
