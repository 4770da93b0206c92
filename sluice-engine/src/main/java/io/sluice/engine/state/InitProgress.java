package io.sluice.engine.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.core.model.TableId;

import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Full-data initialization progress, kept in the checkpoint and committed with the INIT records it
 * covers: per table ({@code db.table}), done, or the key of the last row of the last chunk written
 * (hex of each key column's text-protocol bytes; the next chunk starts after it), and rows written.
 */
public record InitProgress(Map<String, TableInit> tables) {

    /**
     * @param after the last written chunk's last key, or null (nothing written yet, or a table read in one pass)
     * @param key the names of the key columns {@code after} belongs to; null in checkpoints written before this
     *            field existed: then {@code after} is taken to belong to the key chosen now (as those versions did).
     *            Left out of the JSON when null; older versions ignore it (unknown properties are skipped).
     */
    public record TableInit(boolean done, List<String> after, long rows,
                            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> key) {
        public static final TableInit PENDING = new TableInit(false, null, 0, null);

        public TableInit(boolean done, List<String> after, long rows) {
            this(done, after, rows, null);
        }

        /** Whether {@code after} was saved for another key than {@code keyNames} (unknown: no). */
        public boolean savedForOtherKey(List<String> keyNames) {
            return after != null && key != null && !key.equals(keyNames);
        }

        public List<byte[]> afterBytes() {
            return after == null ? null : after.stream().map(h -> HexFormat.of().parseHex(h)).toList();
        }
    }

    /**
     * Keys are {@link TableId#toString()}: names holding '.' or '`' in backticks. A checkpoint written
     * before that named {@code `shop`.`t.y`} as {@code shop.t.y}; such keys are rewritten here, so the
     * progress of one table is always under one key.
     */
    public InitProgress {
        Map<String, TableInit> canonical = new TreeMap<>();
        tables.forEach((k, v) -> canonical.put(TableId.fromCheckpointKey(k).toString(), v));
        tables = Collections.unmodifiableMap(canonical);
    }

    public static InitProgress pending(List<String> tables) {
        Map<String, TableInit> m = new TreeMap<>();
        for (String t : tables) m.put(t, TableInit.PENDING);
        return new InitProgress(m);
    }

    /**
     * After a chunk of {@code rows} rows ending at {@code lastKey} (null: keep) of key {@code keyNames} was written;
     * {@code last}: the table is done.
     */
    public InitProgress afterChunk(String table, List<String> keyNames, List<byte[]> lastKey, long rows, boolean last) {
        TableInit before = tables.getOrDefault(table, TableInit.PENDING);
        List<String> after = lastKey == null ? before.after() : lastKey.stream().map(b -> HexFormat.of().formatHex(b)).toList();
        List<String> key = lastKey == null ? before.key() : List.copyOf(keyNames);
        Map<String, TableInit> m = new TreeMap<>(tables);
        m.put(table, new TableInit(last, last ? null : after, before.rows() + rows, last || after == null ? null : key));
        return new InitProgress(m);
    }

    /** With {@code more} tables still to read (tables already here keep their progress). */
    public InitProgress plus(List<String> more) {
        Map<String, TableInit> m = new TreeMap<>(tables);
        for (String t : more) m.putIfAbsent(t, TableInit.PENDING);
        return new InitProgress(m);
    }

    /** Only the tables {@code keep} accepts. */
    public InitProgress retain(java.util.function.Predicate<String> keep) {
        Map<String, TableInit> m = new TreeMap<>(tables);
        m.keySet().removeIf(keep.negate());
        return new InitProgress(m);
    }

    public boolean complete() {
        return tables.values().stream().allMatch(TableInit::done);
    }
}
