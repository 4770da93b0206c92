package io.sluice.source.mysql.snapshot;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.value.JdbcValues;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of chunked reading: {@code SELECT <columns> FROM t WHERE key > :lower AND key <= :upper ORDER BY key},
 * with the upper bound found beforehand by {@link #boundary} (the key {@code chunkSize} rows on).
 * A composite key's {@code (a, b) > (x, y)} is written as {@code a > x OR (a = x AND b > y)}, which
 * MySQL turns into an index range (it does not for the row-constructor form). Bound values are the
 * text-protocol bytes of the previous chunk's last key: numbers as DECIMAL, temporal values as
 * text, character keys as {@code CONVERT(bytes USING cs) COLLATE <column collation>} (so the
 * comparison is the column's own, as in ORDER BY), binary keys as bytes.
 */
public final class KeysetQuery {

    private KeysetQuery() {}

    /** The select list: every column, ENUM/SET as their number (see {@link JdbcValues}). */
    public static String selectList(TableSchema table) {
        return table.columns().stream().map(JdbcValues::selectExpression).collect(Collectors.joining(", "));
    }

    public static String from(TableSchema table) {
        return JdbcValues.quote(table.id().database()) + "." + JdbcValues.quote(table.id().table());
    }

    /** The whole table in one pass (no usable key). */
    public static String all(TableSchema table) {
        return "SELECT " + selectList(table) + " FROM " + from(table);
    }

    /**
     * The rows of one chunk, {@code lower < key <= upper}, in key order: either bound may be absent
     * (first and last chunk). No LIMIT: the bounds come from {@link #boundary}. Parameters: see {@link #bindRange}.
     */
    public static String chunk(TableSchema table, ChunkKey key, boolean hasLower, boolean hasUpper) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList(table)).append(" FROM ").append(from(table));
        if (hasLower || hasUpper) sql.append(" WHERE ");
        if (hasLower) sql.append('(').append(compare(table, key, ">", ">")).append(')');
        if (hasLower && hasUpper) sql.append(" AND ");
        if (hasUpper) sql.append('(').append(compare(table, key, "<", "<=")).append(')');
        return sql.append(orderBy(table, key)).toString();
    }

    /**
     * The key of the {@code n}th row after {@code lower} (the next chunk's upper bound; no row: the
     * rest of the table is one chunk). Reads only key columns, from whichever index covers them.
     */
    public static String boundary(TableSchema table, ChunkKey key, boolean hasLower, int n) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int k = 0; k < key.columns().size(); k++) {
            if (k > 0) sql.append(", ");
            sql.append(JdbcValues.selectExpression(table.columns().get(key.columns().get(k))));
        }
        sql.append(" FROM ").append(from(table));
        if (hasLower) sql.append(" WHERE ").append(compare(table, key, ">", ">"));
        return sql.append(orderBy(table, key)).append(" LIMIT 1 OFFSET ").append(n - 1).toString();
    }

    private static String orderBy(TableSchema table, ChunkKey key) {
        StringBuilder sql = new StringBuilder(" ORDER BY ");
        for (int k = 0; k < key.columns().size(); k++) {
            if (k > 0) sql.append(", ");
            sql.append(columnRef(table, key, k));
        }
        return sql.toString();
    }

    /**
     * Key vs bound as {@code a OP ? OR (a = ? AND b LAST ?) ...}: {@code op} in every term but the
     * last key column's, which uses {@code lastOp} ({@code >,>} for "after", {@code <,<=} for "up to").
     * Parameters in the order {@link #bindRange} sets them.
     */
    static String compare(TableSchema table, ChunkKey key, String op, String lastOp) {
        List<String> terms = new ArrayList<>();
        int n = key.columns().size();
        for (int k = 0; k < n; k++) {
            StringBuilder term = new StringBuilder(n > 1 ? "(" : "");
            for (int j = 0; j < k; j++) term.append(columnRef(table, key, j)).append(" = ").append(param(table, key, j)).append(" AND ");
            term.append(columnRef(table, key, k)).append(' ').append(k == n - 1 ? lastOp : op).append(' ').append(param(table, key, k));
            if (n > 1) term.append(')');
            terms.add(term.toString());
        }
        return String.join(" OR ", terms);
    }

    private static String columnRef(TableSchema table, ChunkKey key, int k) {
        return JdbcValues.quote(table.columns().get(key.columns().get(k)).name());
    }

    private static String param(TableSchema table, ChunkKey key, int k) {
        Column c = table.columns().get(key.columns().get(k));
        if (isCharacter(c)) {
            String collation = key.collations().get(k);
            return "CONVERT(? USING " + c.charset() + ")" + (collation == null ? "" : " COLLATE " + collation);
        }
        return "?";
    }

    private static boolean isCharacter(Column c) {
        return c.type() == ColumnType.CHAR || c.type() == ColumnType.VARCHAR || c.type() == ColumnType.TEXT;
    }

    /** Sets the bounds' parameters (text-protocol bytes per key column; null: no such bound). */
    public static void bindRange(PreparedStatement ps, TableSchema table, ChunkKey key, List<byte[]> lower, List<byte[]> upper)
            throws SQLException {
        int p = 1;
        if (lower != null) p = bind(ps, p, table, key, lower);
        if (upper != null) bind(ps, p, table, key, upper);
    }

    private static int bind(PreparedStatement ps, int p, TableSchema table, ChunkKey key, List<byte[]> bound) throws SQLException {
        int n = key.columns().size();
        for (int k = 0; k < n; k++) {
            for (int j = 0; j <= k; j++) set(ps, p++, table.columns().get(key.columns().get(j)), bound.get(j));
        }
        return p;
    }

    static void set(PreparedStatement ps, int index, Column c, byte[] raw) throws SQLException {
        ColumnType t = c.type();
        if (t.isInteger() || t == ColumnType.DECIMAL) {
            ps.setBigDecimal(index, new BigDecimal(new String(raw, StandardCharsets.ISO_8859_1)));
        } else if (isCharacter(c) || t == ColumnType.BINARY || t == ColumnType.VARBINARY) {
            ps.setBytes(index, raw);
        } else { // temporal: the text MySQL printed, converted back to the column's type by the comparison
            ps.setString(index, new String(raw, StandardCharsets.ISO_8859_1));
        }
    }
}
