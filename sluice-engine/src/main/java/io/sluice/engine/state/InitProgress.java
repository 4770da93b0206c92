package io.sluice.engine.state;

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

    /** @param after the last written chunk's last key, or null (nothing written yet, or a table read in one pass) */
    public record TableInit(boolean done, List<String> after, long rows) {
        public static final TableInit PENDING = new TableInit(false, null, 0);

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

    /** After a chunk of {@code rows} rows ending at {@code lastKey} (null: keep) was written; {@code last}: the table is done. */
    public InitProgress afterChunk(String table, List<byte[]> lastKey, long rows, boolean last) {
        TableInit before = tables.getOrDefault(table, TableInit.PENDING);
        List<String> after = lastKey == null ? before.after() : lastKey.stream().map(b -> HexFormat.of().formatHex(b)).toList();
        Map<String, TableInit> m = new TreeMap<>(tables);
        m.put(table, new TableInit(last, last ? null : after, before.rows() + rows));
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
