package io.sluice.engine.state;

import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive OS lock on {@code <state.dir>/<job>.lock}, held while an at-least-once job runs: nothing
 * in Kafka fences a second copy of such a job (no transactional id), which would write every change
 * twice. The file holds the holder's pid and host, so a refused second copy can name it. The OS
 * releases the lock when the process dies, so a crash leaves nothing to clean up.
 */
public final class JobLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private JobLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, or stops the job naming the instance that holds it. */
    public static JobLock acquire(Path file, String jobName) {
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException sameJvm) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new SluiceException("another instance of job " + jobName + " is running (" + (holder.isEmpty() ? "unknown process" : holder)
                        + ", holding " + file + "): two copies of an at-least-once job would write every change twice",
                        "run one instance per job name: stop the other instance first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + host()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new JobLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new SluiceException("cannot lock " + file + ": " + e.getMessage(), "make state.dir writable", e);
        }
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
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}
