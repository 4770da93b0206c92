package io.sluice.it.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sluice} as a real process, killed the hard way or stopped with SIGTERM. Every process
 * started here is ended by {@link EndSluiceProcesses} after each test (also a failed one) and by
 * a shutdown hook when the test JVM exits, so none outlives the suite.
 */
public final class SluiceProcess implements AutoCloseable {

    private static final Set<Process> STARTED = ConcurrentHashMap.newKeySet();
    /** A small heap, and C1 only: the tests' runs are short, start-up dominates (bin/sluice adds the build's class-data archive). */
    static final String BASE_JAVA_OPTS = "-Xmx256m -XX:TieredStopAtLevel=1";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(SluiceProcess::killAll, "kill-sluice-processes"));
    }

    private final Process process;

    private SluiceProcess(Process process) {
        this.process = process;
    }

    /** SIGKILLs every process started here that still runs (with its children: {@code script} runs one); returns how many. */
    public static int killAll() {
        int killed = 0;
        for (Process p : STARTED) {
            if (p.isAlive()) killed++;
            kill(p);
        }
        STARTED.clear();
        return killed;
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A command that ends by itself ({@code check}, {@code tail --idle-seconds}, {@code --help}): its exit code and output. */
    public record Result(int exitCode, String stdout, String stderr) {
        public String all() { return stdout + stderr; }
    }

    /** Runs {@code bin/sluice args...} to its end (at most {@code timeoutSeconds}, else it is killed and this fails). */
    public static Result exec(long timeoutSeconds, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", bin().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sluice-out", ".txt"), err = Files.createTempFile("sluice-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("SLUICE_JAVA_OPTS", BASE_JAVA_OPTS);
            pb.environment().putAll(env);
            Process p = pb.start();
            STARTED.add(p);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(p);
                throw new IllegalStateException("sluice " + String.join(" ", args) + " did not end within " + timeoutSeconds
                        + " s; output:\n" + Files.readString(out) + Files.readString(err));
            }
            STARTED.remove(p);
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    public static Result exec(long timeoutSeconds, String... args) throws IOException, InterruptedException {
        return exec(timeoutSeconds, Map.of(), args);
    }

    public static SluiceProcess start(Path jobFile, Path log) throws IOException {
        return start(log, "bash", bin().toString(), "run", "--config", jobFile.toString());
    }

    /**
     * {@code sluice run} as on another host: its own {@code java.io.tmpdir}, so the lock that refuses a
     * second instance of a job on one host does not see the instances started here.
     */
    public static SluiceProcess startAsOnAnotherHost(Path jobFile, Path log, Path tmpDir) throws IOException {
        Files.createDirectories(tmpDir);
        return startIn(Servers.root(), Map.of("SLUICE_JAVA_OPTS", BASE_JAVA_OPTS + " -Djava.io.tmpdir=" + tmpDir), log,
                "bash", bin().toString(), "run", "--config", jobFile.toString());
    }

    /** {@code bin/sluice ARGS...} (any command), output appended to {@code log}. */
    public static SluiceProcess startCommand(Path log, String... args) throws IOException {
        String[] command = new String[args.length + 2];
        command[0] = "bash";
        command[1] = bin().toString();
        System.arraycopy(args, 0, command, 2, args.length);
        return start(log, command);
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
        pb.environment().put("SLUICE_JAVA_OPTS", BASE_JAVA_OPTS);
        Process p = pb.start();
        STARTED.add(p);
        return new SluiceProcess(p);
    }

    /**
     * Runs {@code command} (such as an unpacked release's {@code bin/sluice}) in {@code workingDir} with
     * {@code env} added, to its end (at most {@code timeoutSeconds}, else it is killed and this fails).
     */
    public static Result execIn(Path workingDir, Map<String, String> env, long timeoutSeconds, String... command)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("sluice-out", ".txt"), err = Files.createTempFile("sluice-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            STARTED.add(p);
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(p);
                throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeoutSeconds
                        + " s; output:\n" + Files.readString(out) + Files.readString(err));
            }
            STARTED.remove(p);
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Starts {@code command} in {@code workingDir} with {@code env} added, its output appended to {@code log}. */
    public static SluiceProcess startIn(Path workingDir, Map<String, String> env, Path log, String... command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        STARTED.add(p);
        return new SluiceProcess(p);
    }

    /** SIGKILL: no shutdown hook, no final commit. */
    public void kill() {
        kill(process);
        STARTED.remove(process);
    }

    /** SIGTERM; returns the exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            kill();
            throw new IllegalStateException("sluice did not stop on SIGTERM");
        }
        STARTED.remove(process);
        return process.exitValue();
    }

    /** SIGTERM; the exit code, or -1 if the process was still running {@code timeout} later (then it is killed). */
    public int terminateWithin(java.time.Duration timeout) throws InterruptedException {
        process.destroy();
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) return process.exitValue();
        kill();
        return -1;
    }

    /** Waits for the process to end by itself; its exit code, or -1 if it still runs after {@code timeout}. */
    public int awaitExit(java.time.Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    public boolean isAlive() { return process.isAlive(); }

    public long pid() { return process.pid(); }

    /** Ends the process the hard way if it still runs (try-with-resources). */
    @Override
    public void close() {
        if (process.isAlive()) kill();
    }
}
