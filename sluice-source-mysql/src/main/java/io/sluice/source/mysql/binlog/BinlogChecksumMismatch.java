package io.sluice.source.mysql.binlog;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;

import java.io.IOException;

/**
 * A binlog event whose CRC32 trailer does not match its bytes (binlog_checksum=CRC32), found by
 * {@link WholeEventDeserializer} before anything is decoded from it. Thrown as an IOException
 * because the client's {@code nextEvent} may throw only that; {@link BinlogReader} turns it into
 * the job's failure with the binlog file, which only it knows.
 */
final class BinlogChecksumMismatch extends IOException {

    /** Where the event starts in its binlog file, or -1 for an event the server made up (heartbeat, fake ROTATE). */
    final long position;
    final int eventType;

    BinlogChecksumMismatch(long position, int eventType, long stated, long computed) {
        super("binlog event of type " + eventType + (position < 0 ? "" : " at position " + position)
                + " fails its CRC32 checksum (it states " + Long.toHexString(stated) + ", its bytes give " + Long.toHexString(computed) + ")");
        this.position = position;
        this.eventType = eventType;
    }

    /**
     * The job's failure: the first time at an event, transient (the job re-reads from its checkpoint:
     * the bytes may have been damaged in transit), the second time at the same event for this job
     * ({@code failed}), fatal (the event is damaged in the server's binlog file, and re-reading would
     * loop forever). An event the server generated (no position) is made anew each time: transient
     * until it failed {@link FailedEvents#GENERATED_FAILURES_TO_STOP} times in a row with the reader
     * at the same {@code file:readUpTo} (the reader reset the count when it got past that place).
     *
     * @param readUpTo where the client had read up to in {@code file} (the position a generated event is sent at)
     */
    SluiceException failure(String where, String file, long readUpTo, FailedEvents failed) {
        String at = position < 0 ? file + " (an event the server generated, no position)" : file + ":" + position;
        String problem = "MySQL at " + where + " sent a binlog event at " + at + " whose CRC32 checksum does not match its bytes (type "
                + eventType + "): the event is corrupt on the server or in transit";
        String check = position < 0 ? "check the network between Sluice and the server (with source.ssl.mode: required, TLS detects damage in transit)"
                : verifyCommand(position, file);
        if (position < 0) {
            int inARow = failed.generatedFailed(new FailedEvents.GeneratedFailure(where, file, readUpTo, eventType));
            if (inARow >= FailedEvents.GENERATED_FAILURES_TO_STOP) {
                return new SluiceException("MySQL at " + where + " sent a binlog event it generated (type " + eventType + ") at "
                        + file + ":" + readUpTo + " whose CRC32 checksum does not match its bytes, " + inARow + " times in a row",
                        verifyCommand(readUpTo, file) + ", and the network between Sluice and the server (with source.ssl.mode: required,"
                                + " TLS detects damage in transit); Sluice resumes from its last checkpoint, nothing is written past it", this);
            }
        }
        if (failed.first(position < 0 ? null : where + "/" + at)) {
            return new TransientException(problem + " (reading it once more)",
                    "none needed if it was damaged in transit: Sluice resumes from its last checkpoint, nothing is written past it;"
                            + " if it recurs, " + check, this);
        }
        return new SluiceException(problem + " (it failed twice)", check + "; Sluice resumes from its last checkpoint,"
                + " nothing is written past it (if the binlog file is damaged, restore it from a replica's relay log or re-initialize"
                + " the job with `sluice run --reinitialize`)", this);
    }

    private static String verifyCommand(long position, String file) {
        return "check it with `mysqlbinlog --verify-binlog-checksum --start-position=" + position + " " + file + "` on the source";
    }
}
