package io.sluice.source.mysql;

import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Table definitions by table, read from the catalogue when first needed and dropped when a DDL
 * statement runs. (Versioned history across DDL is the schema-history work.)
 */
public final class SchemaCache {

    private final Catalog catalog;
    private final Map<TableId, Optional<TableSchema>> schemas = new ConcurrentHashMap<>();

    public SchemaCache(Catalog catalog) {
        this.catalog = catalog;
    }

    public void put(TableSchema schema) {
        schemas.put(schema.id(), Optional.of(schema));
    }

    /** The table's definition, or null if the table does not exist now. */
    public TableSchema get(TableId id) {
        return schemas.computeIfAbsent(id, t -> Optional.ofNullable(catalog.load(t))).orElse(null);
    }

    /**
     * A DDL statement from the binlog, in the context of its default database, ending at {@code end}.
     * For now every definition is dropped and re-read from the catalogue when next used.
     */
    public void applyDdl(String defaultDatabase, String sql, io.sluice.core.model.BinlogOffset end) {
        schemas.clear();
    }
}
