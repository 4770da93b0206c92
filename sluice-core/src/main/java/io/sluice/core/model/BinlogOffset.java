package io.sluice.core.model;

/**
 * A place to resume reading the binlog: the file and position just after a transaction, and the
 * GTID set executed up to there (empty when unknown or GTIDs are off).
 *
 * <p>Offsets order as the binlog does: by the file name's numeric suffix (mysql-bin.999999 &lt;
 * mysql-bin.1000000, which names alone would put the other way), then the whole name, then the
 * position. A name without a numeric suffix (an unknown file, "") sorts as number 0. Across base
 * names the order is a convention: a server given another {@code log_bin} base name starts again
 * at .000001, which no rule on names can tell from an older file. The GTID set takes no part, so
 * {@link #compareTo} is 0 for offsets that differ only in it (unlike {@link #equals}).
 */
public record BinlogOffset(String file, long position, String gtidSet) implements Comparable<BinlogOffset> {

    @Override
    public int compareTo(BinlogOffset other) {
        // the same file (the common case: the dispatcher compares at every source commit) needs no parsing
        if (file.equals(other.file)) return Long.compare(position, other.position);
        int c = Long.compare(sequence(file), sequence(other.file));
        if (c == 0) c = file.compareTo(other.file);
        return c != 0 ? c : Long.compare(position, other.position);
    }

    /** The file name's numeric suffix (after the last dot), or 0 when it has none. */
    static long sequence(String file) {
        try {
            return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override public String toString() {
        return file + ":" + position + (gtidSet == null || gtidSet.isEmpty() ? "" : " [" + gtidSet + "]");
    }
}
