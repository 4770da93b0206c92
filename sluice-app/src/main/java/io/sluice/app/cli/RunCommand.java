package io.sluice.app.cli;

import io.sluice.app.job.SyncJob;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** {@code sluice run --config job.yaml}: runs one job until SIGTERM/SIGINT, then exits 0. */
@Command(name = "run", description = "Run a sync job until stopped (SIGTERM finishes in-flight writes first).")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "The job file (YAML).")
    Path config;

    @Override
    public Integer call() throws Exception {
        JobConfig jobConfig = JobConfigLoader.withSystemEnvironment().load(config);
        SyncJob job = new SyncJob(jobConfig);
        Thread hook = new Thread(() -> {
            job.requestStop();
            try {
                job.awaitStopped(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            job.run();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waits for us
            }
        }
        return 0;
    }
}
