package io.sluice.app.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/** The job's state in one JSON file, replaced atomically (write, fsync, rename) on every save. */
public final class LocalStateStore {

    private final Path file;
    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public LocalStateStore(Path dir, String jobName) {
        this.file = dir.resolve(jobName.replaceAll("[^A-Za-z0-9._-]", "_") + ".state.json");
    }

    public Path file() { return file; }

    /** The saved state, or null if the job has never checkpointed. */
    public JobState load() {
        if (!Files.exists(file)) return null;
        try {
            JobState s = json.readValue(file.toFile(), JobState.class);
            if (s.binlogFile() == null || s.binlogFile().isEmpty() || s.binlogPosition() < 4 || s.nextId() < 0) {
                throw new IOException("binlogFile, binlogPosition (>= 4) and nextId (>= 0) are required");
            }
            return s;
        } catch (IOException e) {
            throw new SluiceException("state file " + file + " is unreadable or corrupt: " + e.getMessage(),
                    "restore it from a backup, or move it away to start again from the current binlog end "
                            + "(changes made while the job was stopped are then not synced)", e);
        }
    }

    public void save(JobState state) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
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
