package io.sluice.app.cli;

import io.sluice.core.config.JobConfigLoader;
import io.sluice.app.status.JobMBeans;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;

/**
 * For {@code sluice run}, started by {@code main} before the command line is parsed (picocli's model of
 * every command takes ~0.25 s of the main thread): a daemon thread that builds the job file's binding
 * and starts logging, then loads the run's classes ({@link ClassPreloader}); the MBean server starts on
 * a thread of its own ({@link JobMBeans#warmUp}).
 *
 * <p>The first two initialize classes (Jackson's, logback's), so the main thread does not touch either
 * until they are done: {@link RunCommand} waits for {@link #awaitInitialized} before it reads the job
 * file. Nothing of the job runs here (no file is read, no connection opened), and a failure here only
 * means it happens again, and is reported, on the main thread.
 */
final class RunWarmUp implements Runnable {

    private static final CountDownLatch INITIALIZED = new CountDownLatch(1);
    private static volatile boolean started;

    /** Starts the warm-up when the command line names {@code run}; any other command does without it. */
    static void startFor(String[] args) {
        if (args.length == 0 || !args[0].equals("run")) return;
        started = true;
        JobMBeans.warmUp();
        Thread t = new Thread(new RunWarmUp(), "sluice-warm-up");
        t.setDaemon(true);
        t.start();
    }

    /** Returns once Jackson and logback are initialized by the warm-up; at once when none was started (tests, other commands). */
    static void awaitInitialized() throws InterruptedException {
        if (started) INITIALIZED.await();
    }

    @Override
    public void run() {
        try {
            JobConfigLoader.warmUp();
            LoggerFactory.getILoggerFactory();
        } catch (Throwable e) { // met again on the main thread, which reports it
        } finally {
            INITIALIZED.countDown();
        }
        new ClassPreloader(ClassPreloader.RUN_CLASSES).run();
    }
}
