package io.sluice.core.model;

/**
 * A DDL statement of the binlog that changes a selected table, or creates or drops a selected
 * database: what becomes a {@code DDL} record.
 *
 * @param statement the statement as the binlog holds it (source names; name mapping is not applied to the text)
 * @param table     the first selected table it changes, in statement order; null for a database statement
 * @param after     that table's definition right after the statement; null when it no longer has one
 *                  (dropped, renamed away) and for a database statement
 * @param database  the database a CREATE/DROP DATABASE names; null for a table statement
 * @param position  where the statement ends; {@code txStart} is its transaction's start, {@code txId} its GTID or ""
 */
public record DdlChange(String statement, TableId table, TableSchema after, String database, SourcePosition position) {}
