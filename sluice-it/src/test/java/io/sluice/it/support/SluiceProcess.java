package io.sluice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code bin/sluice run} as a real process, killed the hard way or stopped with SIGTERM. */
public final class SluiceProcess {

    private final Process process;

    private SluiceProcess(Process process) {
        this.process = process;
    }

    public static SluiceProcess start(Path jobFile, Path log) throws IOException {
        return start(log, "bash", bin().toString(), "run", "--config", jobFile.toString());
    }

    /** On a pseudo-terminal (util-linux {@code script}, in Debian's essential bsdutils), as a user at a shell runs it. */
    public static SluiceProcess startOnTerminal(Path jobFile, Path log) throws IOException {
        return start(log, "script", "-qfec", "bash " + bin() + " run --config " + jobFile, "/dev/null");
    }

    private static Path bin() {
        if (!Files.exists(Servers.root().resolve("sluice-app/target/sluice-app.jar"))) {
            throw new IllegalStateException("build sluice-app first (mvn package)");
        }
        return Servers.root().resolve("bin/sluice");
    }

    private static SluiceProcess start(Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("SLUICE_JAVA_OPTS", "-Xmx256m -XX:TieredStopAtLevel=1");
        return new SluiceProcess(pb.start());
    }

    /** SIGKILL: no shutdown hook, no final commit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) throw new IllegalStateException("sluice did not stop on SIGTERM");
        return process.exitValue();
    }

    public boolean isAlive() { return process.isAlive(); }

    /** bin/sluice execs java: this is the JVM's pid. */
    public long pid() { return process.pid(); }

    /** Waits for the process to end by itself; returns its exit code, or -1 if it still runs after {@code timeout}. */
    public int awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }
}
