package io.sluice.core.model;

/**
 * Where a change sits in the source binlog.
 *
 * @param file          binlog file name, e.g. mysql-bin.000004
 * @param endPosition   end_log_pos of the event holding the change
 * @param txStart       position of the first event of its transaction (a safe restart point)
 * @param txId          GTID of the transaction when GTIDs are on, else the XID once known, else ""
 * @param timestampSec  event time, seconds since the epoch
 */
public record SourcePosition(String file, long endPosition, long txStart, String txId, long timestampSec) {

    /** The DTS position form {@code <pos>@<file number>}. */
    public static String dts(String file, long position) {
        int dot = file.lastIndexOf('.');
        String number = dot >= 0 ? file.substring(dot + 1) : file;
        int n;
        try {
            n = Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return position + "@" + file;
        }
        return position + "@" + n;
    }

    public String dtsPosition() { return dts(file, endPosition); }

    public String dtsSafePosition() { return dts(file, txStart); }
}
