package io.sluice.app.cli;

import io.sluice.engine.job.SyncJob;
import io.sluice.core.config.JobConfig;
import io.sluice.core.config.JobConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sluice run --config job.yaml}: runs one job until SIGTERM/SIGINT, then exits 0. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a sync job until stopped (SIGTERM finishes in-flight writes first).")
final class RunCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "The job file (YAML).")
    Path config;

    @Option(names = "--reinitialize", description = "Start over: ignore the job's checkpoint and start from the current binlog end,"
            + " with a new full-data snapshot when initialization.fullData is on (consumers see INIT records again).")
    boolean reinitialize;

    @Override
    public Integer call() throws Exception {
        RunWarmUp.awaitInitialized(); // started by main: Jackson and logback are the warm-up thread's until then
        JobConfig jobConfig = JobConfigLoader.withSystemEnvironment().load(config);
        SyncJob job = new SyncJob(jobConfig).reinitialize(reinitialize);
        // SIGTERM/SIGINT ask the job to finish in-flight writes; run() then returns and we exit 0.
        // (A shutdown hook alone would leave the JVM exiting with 143.)
        StopWatchdog watchdog = new StopWatchdog(job);
        for (String name : new String[] {"TERM", "INT"}) {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                job.requestStop();
                watchdog.start();
            });
        }
        try (var instance = InstanceLock.acquire(jobConfig); // before MySQL, Kafka and the status port: a second instance stops here
             var mbeans = io.sluice.app.status.JobMBeans.register(jobConfig.name, job);
             var status = jobConfig.status.httpPort > 0 ? new io.sluice.app.status.StatusServer(jobConfig.status.bindAddress,
                     jobConfig.status.httpPort, jobConfig.name, job, jobConfig.status.authToken) : null) {
            job.run();
        }
        return 0;
    }
}
