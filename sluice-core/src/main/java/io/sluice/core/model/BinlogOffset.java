package io.sluice.core.model;

/**
 * A place to resume reading the binlog: the file and position just after a transaction, and the
 * GTID set executed up to there (empty when unknown or GTIDs are off).
 */
public record BinlogOffset(String file, long position, String gtidSet) {

    @Override public String toString() {
        return file + ":" + position + (gtidSet == null || gtidSet.isEmpty() ? "" : " [" + gtidSet + "]");
    }
}
