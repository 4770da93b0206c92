package io.sluice.app.cli;

import io.sluice.engine.precheck.CheckResult;
import io.sluice.engine.precheck.Precheck;
import io.sluice.core.config.JobConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sluice check --config job.yaml}: the precheck, one line per item; exit 2 when an item fails. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Check source and target before starting a job: each item passes, warns or fails, with the fix.")
final class CheckCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, description = "The job file (YAML).")
    Path config;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        List<CheckResult> results = new Precheck(JobConfigLoader.withSystemEnvironment().load(config))
                .run(r -> {
                    out.println(r.line());
                    out.flush();
                });
        long failed = results.stream().filter(r -> r.status() == CheckResult.Status.FAIL).count();
        long warned = results.stream().filter(r -> r.status() == CheckResult.Status.WARN).count();
        out.println(failed == 0 ? "precheck passed" + (warned > 0 ? " with " + warned + " warning(s)" : "")
                : "precheck failed: " + failed + " item(s) to fix");
        return failed == 0 ? 0 : SluiceCli.EXIT_USER_ERROR;
    }
}
