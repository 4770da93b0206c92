package io.sluice.source.mysql.snapshot;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.JdbcValues;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL of one chunk: {@code SELECT <columns> FROM t [WHERE key > :after] ORDER BY key LIMIT n}.
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

    /** One chunk; {@code after} null for the first. Parameters: see {@link #bind}. */
    public static String chunk(TableSchema table, ChunkKey key, boolean hasLowerBound, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(selectList(table)).append(" FROM ").append(from(table));
        if (hasLowerBound) sql.append(" WHERE ").append(lowerBound(table, key));
        sql.append(" ORDER BY ");
        for (int k = 0; k < key.columns().size(); k++) {
            if (k > 0) sql.append(", ");
            sql.append(JdbcValues.quote(table.columns().get(key.columns().get(k)).name()));
        }
        return sql.append(" LIMIT ").append(limit).toString();
    }

    /** {@code a > ? OR (a = ? AND b > ?) OR ...}: parameters in the order {@link #bind} sets them. */
    static String lowerBound(TableSchema table, ChunkKey key) {
        List<String> terms = new ArrayList<>();
        int n = key.columns().size();
        for (int k = 0; k < n; k++) {
            StringBuilder term = new StringBuilder(n > 1 ? "(" : "");
            for (int j = 0; j < k; j++) term.append(columnRef(table, key, j)).append(" = ").append(param(table, key, j)).append(" AND ");
            term.append(columnRef(table, key, k)).append(" > ").append(param(table, key, k));
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

    /** Sets the lower-bound parameters from the previous chunk's last key (text-protocol bytes per key column). */
    public static void bind(PreparedStatement ps, TableSchema table, ChunkKey key, List<byte[]> after) throws SQLException {
        int p = 1;
        int n = key.columns().size();
        for (int k = 0; k < n; k++) {
            for (int j = 0; j <= k; j++) set(ps, p++, table.columns().get(key.columns().get(j)), after.get(j));
        }
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
