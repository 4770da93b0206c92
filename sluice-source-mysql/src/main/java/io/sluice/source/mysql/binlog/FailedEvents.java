package io.sluice.source.mysql.binlog;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The binlog events one job failed to read once (a checksum mismatch, an event that cannot be
 * decoded): the first failure at an event is taken for damage in transit and the job re-reads from
 * its checkpoint; a second one at the same event stops it. Owned by the job, not by a
 * {@link BinlogReader}: it outlives the job's sessions (each reconnect makes a new reader) and is
 * not shared with other jobs in the same JVM (the connectors of a Kafka Connect worker), whose own
 * first failure at the same event must not count against this one.
 */
public final class FailedEvents {

    private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();

    /**
     * Whether this is the first failure at {@code location} ({@code server/file:position}) for this
     * job; always true for an event without a position ({@code null}): one the server generated
     * (heartbeat, made-up ROTATE) is made anew each time (checksum failures of those are counted
     * in a row instead, {@link #generatedFailed}).
     */
    boolean first(String location) {
        return location == null || failedOnce.add(location);
    }

    /** Failures in a row of a server-generated event before a job stops: more than transit damage would make. */
    static final int GENERATED_FAILURES_TO_STOP = 5;

    /**
     * Where a server-generated event last failed its checksum: the server, the binlog file and
     * position the reader stood at, and the event's type. Such an event has no position of its own
     * and is made anew on each read, so it is "the same" only by that place and type.
     */
    record GeneratedFailure(String where, String file, long position, int eventType) {

        /**
         * Whether an event read intact in {@code readingFile} shows the reader got past this place: a
         * file event ending after it ({@code nextPosition} > 0), or a generated one of the same type
         * ({@code nextPosition} 0) sent with the reader at or after it ({@code readUpTo}). Files in binlog
         * order ({@link BinlogReader#compare}: the number may widen).
         */
        boolean passedBy(String readingFile, long nextPosition, boolean sameType, long readUpTo) {
            int byFile = Integer.signum(BinlogReader.compare(readingFile, 0, file, 0));
            if (nextPosition > 0) return byFile > 0 || byFile == 0 && nextPosition > position;
            return sameType && (byFile > 0 || byFile == 0 && readUpTo >= position);
        }
    }

    private GeneratedFailure generatedAt;
    private int generatedInARow;

    /** Counts one more checksum failure of a server-generated event at {@code at}; returns how many in a row there. */
    synchronized int generatedFailed(GeneratedFailure at) {
        generatedInARow = at.equals(generatedAt) ? generatedInARow + 1 : 1;
        generatedAt = at;
        return generatedInARow;
    }

    /** The place of the failures counted, or null: a reader watches for reading past it. */
    synchronized GeneratedFailure generatedFailure() {
        return generatedAt;
    }

    /** The reader got past the place of {@code at} (or read such an event there intact): the failures were transient. */
    synchronized void generatedReadPast(GeneratedFailure at) {
        if (at.equals(generatedAt)) {
            generatedAt = null;
            generatedInARow = 0;
        }
    }
}
