package io.sluice.core.model;

/**
 * One row changed by one statement, in the table's column order.
 *
 * @param before the row before the change (UPDATE, DELETE), else null
 * @param after  the row after the change (INSERT, UPDATE, INIT), else null
 */
public record RowChange(TableSchema table, Operation operation, Value[] before, Value[] after,
                        SourcePosition position) {}
