package io.sluice.engine.state;

import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The job's checkpoint in one JSON file (at-least-once delivery), replaced atomically (write, fsync, rename) on every save. */
public final class LocalStateStore {

    private final Path file;
    private final Path lockFile;

    public LocalStateStore(Path dir, String jobName) {
        String base = jobName.replaceAll("[^A-Za-z0-9._-]", "_");
        this.file = dir.resolve(base + ".state.json");
        this.lockFile = dir.resolve(base + ".lock");
    }

    public Path file() { return file; }

    /** Beside the state file: the {@link JobLock} of the job's running instance. */
    public Path lockFile() { return lockFile; }

    /** The saved state, or null if the job has never checkpointed. */
    public Checkpoint load() {
        if (!Files.exists(file)) return null;
        try {
            return Checkpoint.fromJson(Files.readAllBytes(file));
        } catch (IOException | RuntimeException e) {
            throw new SluiceException("state file " + file + " is unreadable or corrupt: " + e.getMessage(),
                    "restore it from a backup, or start over with `sluice run --reinitialize` (a new snapshot)", e);
        }
    }

    public void save(Checkpoint state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, state.toJson());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SluiceException("cannot write state file " + file + ": " + e.getMessage(),
                    "make state.dir writable and check free disk space", e);
        }
    }
}
