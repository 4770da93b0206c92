package io.sluice.source.mysql.snapshot;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key a table is split by: its primary key, else a unique key whose columns are all NOT NULL,
 * else none (the table is read in one pass). Only column types whose ORDER BY order a bound
 * parameter compares the same way are usable (integers, DECIMAL, temporal types, character and
 * binary strings).
 *
 * @param name       PRIMARY, the unique key's name, or null for none
 * @param columns    the key's column indexes in the table, in key order
 * @param collations per key column, the collation of character columns (else null)
 */
public record ChunkKey(String name, List<Integer> columns, List<String> collations) {

    public static final ChunkKey NONE = new ChunkKey(null, List.of(), List.of());

    public boolean isNone() { return columns.isEmpty(); }

    /**
     * This key's columns, by {@code names}, in {@code table} as it is now: a DDL applied while the table is
     * being initialized may have moved them (a column added before or dropped ahead of the key), and the
     * chunk queries address columns by index. Null when a key column is gone or no longer orderable.
     */
    public ChunkKey in(TableSchema table, List<String> names) {
        List<Integer> idx = new ArrayList<>(names.size());
        for (String name : names) {
            int i = table.indexOf(name);
            if (i < 0 || !orderable(table.columns().get(i))) return null;
            idx.add(i);
        }
        return idx.equals(columns) ? this : new ChunkKey(this.name, idx, collations);
    }

    /**
     * @param nullable   names of the table's nullable columns
     * @param collations column name to collation (character columns)
     */
    public static ChunkKey choose(TableSchema table, Set<String> nullable, Map<String, String> collations) {
        for (Map.Entry<String, List<String>> key : table.keys().entrySet()) {
            boolean primary = key.getKey().equals("PRIMARY");
            List<Integer> idx = new ArrayList<>();
            List<String> coll = new ArrayList<>();
            boolean usable = !key.getValue().isEmpty();
            for (String name : key.getValue()) {
                int i = table.indexOf(name);
                if (i < 0 || !orderable(table.columns().get(i)) || (!primary && nullable.contains(table.columns().get(i).name()))) {
                    usable = false;
                    break;
                }
                idx.add(i);
                coll.add(collations.get(table.columns().get(i).name()));
            }
            if (usable) return new ChunkKey(key.getKey(), idx, coll);
        }
        return NONE;
    }

    static boolean orderable(Column c) {
        ColumnType t = c.type();
        return t.isInteger() || switch (t) {
            case DECIMAL, DATE, TIME, DATETIME, TIMESTAMP, YEAR, CHAR, VARCHAR, BINARY, VARBINARY -> true;
            default -> false;
        };
    }
}
