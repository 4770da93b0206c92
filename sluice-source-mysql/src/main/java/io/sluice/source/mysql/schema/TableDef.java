package io.sluice.source.mysql.schema;

import io.sluice.core.model.Column;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A table in the history: its columns (charsets already resolved, as the server stores them),
 * its primary and unique keys, and its default charset (which columns added later inherit).
 * Immutable; {@link #schema()} is what row decoding uses.
 */
public record TableDef(TableId id, String charset, List<Column> columns, Map<String, List<String>> keys) {

    public TableDef {
        columns = List.copyOf(columns);
        keys = sortedKeys(keys);
    }

    public TableSchema schema() {
        return new TableSchema(id, columns, keys);
    }

    public static TableDef of(TableSchema schema, String charset) {
        return new TableDef(schema.id(), charset, schema.columns(), schema.keys());
    }

    TableDef withId(TableId newId) {
        return new TableDef(newId, charset, columns, keys);
    }

    /** PRIMARY first, then by name, as the catalogue lists them. */
    static Map<String, List<String>> sortedKeys(Map<String, List<String>> keys) {
        List<String> names = new ArrayList<>(keys.keySet());
        names.sort((a, b) -> {
            if (a.equals(b)) return 0;
            if (a.equals("PRIMARY")) return -1;
            if (b.equals("PRIMARY")) return 1;
            int c = a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT));
            return c != 0 ? c : a.compareTo(b);
        });
        Map<String, List<String>> sorted = new LinkedHashMap<>();
        for (String n : names) sorted.put(n, List.copyOf(keys.get(n)));
        return java.util.Collections.unmodifiableMap(sorted);
    }
}
