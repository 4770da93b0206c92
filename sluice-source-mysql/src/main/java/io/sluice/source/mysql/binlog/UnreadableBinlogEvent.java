package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;

/**
 * A binlog event the client could not decode (other than a {@link BinlogChecksumMismatch}), as the
 * job's one-line failure naming where it is: transient the first time at an event (its bytes may
 * have been damaged in transit on a connection without checksums), fatal the second time for the
 * same job (re-reading would fail there forever), with the command that shows the event.
 */
final class UnreadableBinlogEvent {

    private static final int MAX_CAUSE_CHARS = 300;

    private UnreadableBinlogEvent() {}

    /**
     * @param where the server (host:port), @param file the binlog file being read,
     * @param readUpTo where the client had read up to (the failed event starts there or after, when its header is not known)
     */
    static SluiceException failure(Exception ex, String where, String file, long readUpTo, FailedEvents failed) {
        EventHeaderV4 header = ex instanceof EventDataDeserializationException d && d.getEventHeader() instanceof EventHeaderV4 h ? h : null;
        boolean serverMade = header != null && header.getNextPosition() == 0; // heartbeat, made-up ROTATE: no position
        boolean positioned = header != null && header.getNextPosition() >= header.getEventLength() && !serverMade;
        String at;
        String location;
        long start;
        if (positioned) {
            start = header.getPosition();
            at = file + ":" + start;
            location = where + "/" + at;
        } else if (serverMade) {
            start = -1;
            at = file + " (an event the server generated, no position)";
            location = null;
        } else {
            start = readUpTo;
            at = file + " after position " + readUpTo;
            location = where + "/" + at;
        }
        String problem = "MySQL at " + where + " sent a binlog event at " + at
                + (header == null ? "" : " (type " + header.getEventType() + ")") + " that Sluice cannot decode: " + cause(ex);
        String check = start < 0 ? "check the network between Sluice and the server (with source.ssl.mode: required, TLS detects damage in transit)"
                : "look at the event with `mysqlbinlog -v --start-position=" + start + " " + file + "` on the source";
        if (failed.first(location)) {
            return new TransientException(problem + " (reading it once more)",
                    "none needed if it was damaged in transit: Sluice resumes from its last checkpoint, nothing is written past it;"
                            + " if it recurs, " + check, ex);
        }
        return new SluiceException(problem + " (it failed twice)", check + ": if it is intact, Sluice's binlog client cannot read it"
                + " (report it with that output); Sluice resumes from its last checkpoint, nothing is written past it"
                + " (to go on without the event, re-initialize the job with `sluice run --reinitialize`)", ex);
    }

    /** The innermost cause, as "Type: message", short (the client wraps it in a message listing the whole header). */
    private static String cause(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return text.length() > MAX_CAUSE_CHARS ? text.substring(0, MAX_CAUSE_CHARS) + "..." : text;
    }
}
