package io.sluice.core.model;

/**
 * An XA transaction branch the binlog has prepared (XA PREPARE) but not yet committed or rolled
 * back: its rows are held until then, so a resumed job must read its prepare group again.
 *
 * @param xid           the branch as the binlog writes it: {@code X'<gtrid hex>',X'<bqual hex>',<formatID>}
 * @param gtid          the GTID of its prepare group ("" without GTIDs)
 * @param file          binlog file of the prepare group's first event
 * @param position      position of the prepare group's first event
 * @param gtidSetBefore the GTID set executed before the prepare group ("" when unknown or GTIDs are off)
 */
public record PreparedXa(String xid, String gtid, String file, long position, String gtidSetBefore) {

    /** Where to read from to meet the prepare group again. */
    public BinlogOffset start() {
        return new BinlogOffset(file, position, gtidSetBefore == null ? "" : gtidSetBefore);
    }
}
