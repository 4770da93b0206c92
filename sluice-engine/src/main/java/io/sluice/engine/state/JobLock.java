package io.sluice.engine.state;

import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;

/**
 * An exclusive OS lock on {@code <state.dir>/<job>.lock}, held while an at-least-once job runs: nothing
 * in Kafka fences a second copy of such a job (no transactional id), which would write every change
 * twice. The file holds the holder's pid and host, so a refused second copy can name it. The OS
 * releases the lock when the process dies, so a crash leaves nothing to clean up.
 */
public final class JobLock implements AutoCloseable {

    private final HolderFileLock lock;

    private JobLock(HolderFileLock lock) {
        this.lock = lock;
    }

    /** Takes the lock, or stops the job naming the instance that holds it. */
    public static JobLock acquire(Path file, String jobName) {
        return new JobLock(HolderFileLock.acquire(file, "pid " + ProcessHandle.current().pid() + " on " + host(),
                holder -> new SluiceException("another instance of job " + jobName + " is running ("
                        + (holder.isEmpty() ? "unknown process" : holder) + ", holding " + file
                        + "): two copies of an at-least-once job would write every change twice",
                        "run one instance per job name: stop the other instance first"),
                e -> new SluiceException("cannot lock " + file + ": " + e.getMessage(), "make state.dir writable", e)));
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this host";
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
