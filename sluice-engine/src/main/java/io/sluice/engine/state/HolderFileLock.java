package io.sluice.engine.state;

import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Function;

/**
 * An exclusive OS lock on a file that says who holds it, so a refused second holder can name the
 * first. The OS releases the lock when the process dies: a crash leaves nothing to clean up. The
 * mechanics of {@link JobLock} and the CLI's one-instance-per-host lock.
 */
public final class HolderFileLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private HolderFileLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock on {@code file} (creating it and its directory) and writes {@code holder} into it.
     *
     * @param refused the error when another process (or this JVM) holds it, given the text its holder wrote
     * @param failed  the error when the file cannot be created or locked
     */
    public static HolderFileLock acquire(Path file, String holder, Function<String, SluiceException> refused,
                                         Function<IOException, SluiceException> failed) {
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
                String other = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw refused.apply(other);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            return new HolderFileLock(channel, lock);
        } catch (IOException e) {
            try {
                if (channel != null) channel.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw failed.apply(e);
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
