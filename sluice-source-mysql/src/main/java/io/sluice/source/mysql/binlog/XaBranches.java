package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.XAPrepareEventData;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.PreparedXa;
import io.sluice.core.model.RowChange;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * XA branches prepared in the binlog and not yet resolved, with the selected rows of their prepare
 * groups: those rows become changes only at the branch's XA COMMIT, never at XA ROLLBACK. Memory
 * is bounded by {@link #MAX_ROWS} over all branches; beyond it the job stops.
 */
final class XaBranches {

    static final int MAX_ROWS = 100_000;

    /** A prepared branch; {@code rows} is null until its prepare group was read in this session. */
    record Branch(PreparedXa id, List<RowChange> rows) {}

    private final Map<String, Branch> prepared = new LinkedHashMap<>();
    private List<PreparedXa> snapshot = List.of();
    private int rows;

    /** Branches a checkpoint lists: their prepare groups are read again before they are resolved. */
    XaBranches(List<PreparedXa> fromCheckpoint) {
        for (PreparedXa x : fromCheckpoint) prepared.put(x.xid(), new Branch(x, null));
        snapshot = List.copyOf(fromCheckpoint);
    }

    boolean isEmpty() { return prepared.isEmpty(); }

    boolean awaitsPrepareGroup(String xid) {
        Branch b = prepared.get(xid);
        return b != null && b.rows() == null;
    }

    /** The unresolved branches, oldest first (the same list object until they change). */
    List<PreparedXa> list() { return snapshot; }

    void prepare(PreparedXa id, List<RowChange> groupRows) {
        Branch old = prepared.put(id.xid(), new Branch(id, groupRows));
        if (old != null && old.rows() != null) rows -= old.rows().size();
        rows += groupRows.size();
        changed();
    }

    /** Removes and returns the branch, or null when this job never saw it prepared. */
    Branch resolve(String xid) {
        Branch b = prepared.remove(xid);
        if (b != null) {
            if (b.rows() != null) rows -= b.rows().size();
            changed();
        }
        return b;
    }

    /** Throws when the held rows plus {@code more} (of a group being read) pass the limit. */
    void checkRoom(int more, String where) {
        if (rows + more > MAX_ROWS) {
            throw new SluiceException("XA transactions prepared and not yet committed hold more than " + MAX_ROWS
                    + " rows of selected tables at " + where + " (Sluice keeps a prepared branch's rows in memory until its XA COMMIT)",
                    "commit or roll back the prepared XA transactions (XA RECOVER lists them), then re-initialize the job (`sluice run --reinitialize`)"
                            + "; keep XA branches smaller than " + MAX_ROWS + " rows");
        }
    }

    private void changed() {
        snapshot = prepared.values().stream().map(Branch::id).toList();
    }

    /** The branch an XA_PREPARE event names, in the binlog's own text form ({@code X'..',X'..',n}). */
    static String xid(XAPrepareEventData d) {
        byte[] data = d.getData();
        HexFormat hex = HexFormat.of();
        return "X'" + hex.formatHex(data, 0, d.getGtridLength()) + "',X'"
                + hex.formatHex(data, d.getGtridLength(), d.getGtridLength() + d.getBqualLength()) + "'," + d.getFormatID();
    }

    /** The branch an {@code XA COMMIT}/{@code XA ROLLBACK} statement names, normalised like {@link #xid(XAPrepareEventData)}. */
    static String xid(String statement, int keywordLength) {
        String rest = statement.substring(keywordLength).trim();
        if (rest.toUpperCase(Locale.ROOT).endsWith("ONE PHASE")) rest = rest.substring(0, rest.length() - 9).trim();
        return rest.replaceAll("\\s", "").toLowerCase(Locale.ROOT).replace("x'", "X'");
    }

    static List<RowChange> newGroup() { return new ArrayList<>(); }
}
