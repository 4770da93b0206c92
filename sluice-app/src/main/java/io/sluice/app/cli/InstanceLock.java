package io.sluice.app.cli;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.engine.state.HolderFileLock;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Collectors;

/**
 * {@code sluice run} holds an OS lock on a file named after the job while it runs, so that a second
 * instance on the same host is refused before it touches MySQL or Kafka (there it would register
 * with the same replica server id and the same transactional id, and cut the first one off). The OS
 * releases the lock when the process dies: a killed instance never blocks a restart.
 *
 * <p>The job's identity is its name and its Kafka cluster (target.bootstrapServers, in any order):
 * the transactional id {@code sluice-<name>} is unique per cluster, so the same job file pointed at
 * two clusters (one source into two Kafka clusters, with two server ids) are two jobs. The lock
 * lives in {@code <java.io.tmpdir>/sluice-<user>}: it exists on every host, and the user's own
 * directory needs no shared permissions.
 */
final class InstanceLock implements AutoCloseable {

    private final HolderFileLock lock;

    private InstanceLock(HolderFileLock lock) {
        this.lock = lock;
    }

    /** Takes the job's lock, or refuses naming the instance that holds it. */
    static InstanceLock acquire(JobConfig config) {
        return acquire(directory(), config.name, config.target.bootstrapServers);
    }

    static InstanceLock acquire(Path dir, String jobName, String bootstrapServers) {
        Path file = dir.resolve(fileName(jobName, bootstrapServers));
        String holder = "pid " + ProcessHandle.current().pid() + ", started " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return new InstanceLock(HolderFileLock.acquire(file, holder,
                other -> new SluiceException("job " + jobName + " is already running on this host ("
                        + (other.isEmpty() ? "lock " + file : other) + ")", "stop it first"),
                e -> new SluiceException("cannot lock " + file + " (the lock that keeps a second instance of job " + jobName
                        + " from starting on this host): " + e.getMessage(), "make " + dir + " writable for this user", e)));
    }

    static Path directory() {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), user.isEmpty() ? "sluice" : "sluice-" + user);
    }

    /** {@code <name>-<hash of the sorted bootstrap servers>.lock}: readable, and one per job and cluster. */
    static String fileName(String jobName, String bootstrapServers) {
        String servers = Arrays.stream(bootstrapServers.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> s.toLowerCase(java.util.Locale.ROOT)).sorted().collect(Collectors.joining(","));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(servers.getBytes(StandardCharsets.UTF_8));
            return jobName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + HexFormat.of().formatHex(digest, 0, 4) + ".lock";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
