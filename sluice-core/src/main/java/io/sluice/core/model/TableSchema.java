package io.sluice.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's columns and keys at one point of the binlog.
 *
 * @param keys primary key ("PRIMARY") and unique keys, each to its column names in key order
 */
public record TableSchema(TableId id, List<Column> columns, Map<String, List<String>> keys) {

    public TableSchema {
        columns = List.copyOf(columns);
        keys = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(keys));
    }

    public List<String> primaryKey() { return keys.getOrDefault("PRIMARY", List.of()); }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) return i;
        }
        return -1;
    }
}
