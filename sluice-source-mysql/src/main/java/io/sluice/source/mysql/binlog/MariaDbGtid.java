package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.MariadbGtidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

/**
 * MariaDB's GTID event with its extra flags, which the binlog client does not read. They say which
 * phase of a two-phase ALTER (binlog_alter_two_phase, MariaDB 10.8+, settable per session) the group
 * is: the ALTER is logged twice, at its start (START ALTER) and once it is done (COMMIT ALTER, or
 * ROLLBACK ALTER if it failed). Rows logged between the two still have the old layout, so the schema
 * history applies the statement at its COMMIT ALTER only.
 */
final class MariaDbGtid extends MariadbGtidEventData {

    enum AlterPhase { NONE, START, COMMIT, ROLLBACK }

    // Gtid_log_event's flags2 and flags_extra
    private static final int FL_GROUP_COMMIT_ID = 2;
    private static final int FL_PREPARED_XA = 64;
    private static final int FL_COMPLETED_XA = 128;
    private static final int FL_START_ALTER = 2;
    private static final int FL_COMMIT_ALTER = 4;
    private static final int FL_ROLLBACK_ALTER = 8;

    private int flagsExtra;

    AlterPhase alterPhase() {
        if ((flagsExtra & FL_START_ALTER) != 0) return AlterPhase.START;
        if ((flagsExtra & FL_COMMIT_ALTER) != 0) return AlterPhase.COMMIT;
        if ((flagsExtra & FL_ROLLBACK_ALTER) != 0) return AlterPhase.ROLLBACK;
        return AlterPhase.NONE;
    }

    /**
     * Sequence (8), domain (4), flags2 (1), then as flags2 says a commit id (8) and an XA id (format 4,
     * gtrid and bqual lengths 1 each, their bytes); then the extra flags byte if the event has one
     * (older servers pad the 19-byte post-header with zeros: no extra flags).
     */
    static final class Deserializer implements EventDataDeserializer<MariaDbGtid> {
        @Override
        public MariaDbGtid deserialize(ByteArrayInputStream in) throws IOException {
            MariaDbGtid g = new MariaDbGtid();
            g.setSequence(in.readLong(8));
            g.setDomainId(in.readInteger(4));
            int flags = in.readInteger(1);
            g.setFlags(flags);
            if ((flags & FL_GROUP_COMMIT_ID) != 0) in.skip(8);
            if ((flags & (FL_PREPARED_XA | FL_COMPLETED_XA)) != 0) {
                in.skip(4);
                int gtrid = in.readInteger(1);
                int bqual = in.readInteger(1);
                in.skip(gtrid + bqual);
            }
            if (in.available() > 0) g.flagsExtra = in.readInteger(1); // the rest (engines, the START's sequence) is skipped with the block
            return g;
        }
    }
}
