package io.sluice.core.route;

import io.sluice.core.config.JobConfig;
import io.sluice.core.model.QualifiedName;
import io.sluice.core.model.TableId;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code objects.mapping} with its keys and values parsed: names bare or in backticks
 * ({@link QualifiedName}), tables as {@link TableId}, so a table whose names hold dots or
 * backticks is looked up by its names, not by a text form.
 */
final class NameMapping {

    private final Map<String, String> databases = new HashMap<>();
    private final Map<TableId, TableId> tables = new HashMap<>();
    private final Map<TableId, Map<String, String>> columns = new HashMap<>();

    static NameMapping of(JobConfig.Mapping m) {
        NameMapping n = new NameMapping();
        m.databases.forEach((k, v) -> n.databases.put(QualifiedName.name(k), QualifiedName.name(v)));
        m.tables.forEach((k, v) -> n.tables.put(TableId.parse(k), TableId.parse(v)));
        m.columns.forEach((k, cols) -> {
            Map<String, String> c = new HashMap<>();
            cols.forEach((from, to) -> c.put(QualifiedName.name(from), QualifiedName.name(to)));
            n.columns.put(TableId.parse(k), c);
        });
        return n;
    }

    String database(String source) {
        return databases.getOrDefault(source, source);
    }

    /** The explicit table mapping, else the table under its mapped database. */
    TableId table(TableId source) {
        TableId explicit = tables.get(source);
        return explicit != null ? explicit : new TableId(database(source.database()), source.table());
    }

    Map<String, String> columns(TableId source) {
        return columns.getOrDefault(source, Map.of());
    }
}
