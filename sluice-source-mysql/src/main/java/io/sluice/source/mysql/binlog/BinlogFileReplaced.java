package io.sluice.source.mysql.binlog;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;

import java.time.Instant;

/**
 * The checkpoint's binlog file, read again on the server it was taken on, was created at another time than the
 * checkpoint says: a file of the same name written since (RESET MASTER, a restore from an older backup), whose
 * events before the checkpoint's position are not the ones the job wrote. The job turns it into its start-over
 * error; it is never retried.
 */
public final class BinlogFileReplaced extends SluiceException {

    private final transient BinlogOffset checkpoint;

    BinlogFileReplaced(BinlogOffset checkpoint, long expectedSeconds, long actualSeconds) {
        super("the source's binlog file " + checkpoint.file() + " was created at " + Instant.ofEpochSecond(actualSeconds)
                + ", the one the checkpoint was taken in at " + Instant.ofEpochSecond(expectedSeconds), null);
        this.checkpoint = checkpoint;
    }

    /** The checkpoint the reader was asked to resume from. */
    public BinlogOffset checkpoint() { return checkpoint; }
}
