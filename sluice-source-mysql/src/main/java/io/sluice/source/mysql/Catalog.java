package io.sluice.source.mysql;

import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads table definitions (columns, types, charsets, keys) from information_schema. */
public final class Catalog {

    private static final Pattern FLOAT_DEF = Pattern.compile("^(?:float|double|real)\\((\\d+),(\\d+)\\)");
    private static final Pattern TEMPORAL_DEF = Pattern.compile("^(?:time|datetime|timestamp)\\((\\d)\\)");

    private final SourceConnection source;

    public Catalog(SourceConnection source) {
        this.source = source;
    }

    /** The connection settings the catalogue reads with (the schema history reads more with them). */
    public SourceConnection source() {
        return source;
    }

    /** Base tables the predicate selects. */
    public List<TableId> tables(Predicate<TableId> selected) {
        List<TableId> result = new ArrayList<>();
        try (Connection c = source.open(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE='BASE TABLE' "
                        + "AND TABLE_SCHEMA NOT IN ('mysql','information_schema','performance_schema','sys') "
                        + "ORDER BY TABLE_SCHEMA, TABLE_NAME")) {
            while (rs.next()) {
                TableId id = new TableId(rs.getString(1), rs.getString(2));
                if (selected.test(id)) result.add(id);
            }
        } catch (SQLException e) {
            throw source.translate(e);
        }
        return result;
    }

    /** The table's current definition, or null if it does not exist. */
    public TableSchema load(TableId id) {
        try (Connection c = source.open()) {
            return load(c, id);
        } catch (SQLException e) {
            throw source.translate(e);
        }
    }

    public static TableSchema load(Connection c, TableId id) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE, CHARACTER_SET_NAME, "
                        + "CHARACTER_OCTET_LENGTH, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? "
                        + "ORDER BY ORDINAL_POSITION")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(column(id, rs.getString(1), rs.getString(2), rs.getString(3),
                            (Number) rs.getObject(4), (Number) rs.getObject(5), rs.getString(6), (Number) rs.getObject(7))
                            .withNullable(!"NO".equalsIgnoreCase(rs.getString(8))));
                }
            }
        }
        if (columns.isEmpty()) return null;
        Map<String, List<String>> keys = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA=? AND TABLE_NAME=? "
                        + "AND NON_UNIQUE=0 ORDER BY INDEX_NAME<>'PRIMARY', INDEX_NAME, SEQ_IN_INDEX")) {
            ps.setString(1, id.database());
            ps.setString(2, id.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        return new TableSchema(id, columns, keys);
    }

    static Column column(TableId table, String name, String dataType, String columnType, Number precision,
                         Number scale, String charset, Number octetLength) {
        ColumnType type;
        try {
            type = ColumnType.fromDataType(dataType);
        } catch (IllegalArgumentException e) {
            throw new SluiceException("column " + table + "." + name + " has type " + columnType + ", which Sluice cannot encode",
                    "exclude the table in objects.exclude, or change the column type");
        }
        String lowerType = columnType.toLowerCase(Locale.ROOT);
        boolean unsigned = lowerType.contains("unsigned");
        int p = precision == null ? -1 : precision.intValue();
        int s = scale == null ? -1 : scale.intValue();
        if (type == ColumnType.TIME || type == ColumnType.DATETIME || type == ColumnType.TIMESTAMP) {
            Matcher m = TEMPORAL_DEF.matcher(lowerType); // fractional digits, -1 for none (as ColumnDefs; OldTemporalColumns)
            p = m.find() && Integer.parseInt(m.group(1)) > 0 ? Integer.parseInt(m.group(1)) : -1;
        }
        if (type == ColumnType.FLOAT || type == ColumnType.DOUBLE) {
            Matcher m = FLOAT_DEF.matcher(lowerType);
            p = m.find() ? Integer.parseInt(m.group(1)) : -1;
            s = p >= 0 ? Integer.parseInt(m.group(2)) : -1;
        }
        String cs = switch (type) {
            case CHAR, VARCHAR, TEXT -> charset;
            case BINARY, VARBINARY -> "binary";
            default -> null;
        };
        int length = switch (type) {
            case CHAR, VARCHAR, TEXT, BINARY, VARBINARY -> octetLength == null ? 0 : (int) Math.min(octetLength.longValue(), Integer.MAX_VALUE);
            default -> 0;
        };
        List<String> labels = type == ColumnType.ENUM || type == ColumnType.SET ? labels(columnType) : List.of();
        String subtype = type == ColumnType.GEOMETRY ? geometryName(dataType) : null;
        return new Column(name, type, unsigned, p, s, cs, length, labels, subtype);
    }

    private static String geometryName(String dataType) {
        String t = dataType.toUpperCase(Locale.ROOT);
        return t.equals("GEOMCOLLECTION") ? "GEOMETRYCOLLECTION" : t;
    }

    /** Labels of {@code enum('a','it''s')} or {@code set(...)}; quotes inside labels are doubled. */
    static List<String> labels(String columnType) {
        List<String> labels = new ArrayList<>();
        int i = columnType.indexOf('(') + 1;
        int end = columnType.lastIndexOf(')');
        while (i < end) {
            if (columnType.charAt(i) != '\'') {
                i++;
                continue;
            }
            StringBuilder label = new StringBuilder();
            i++;
            while (i < end) {
                char ch = columnType.charAt(i);
                if (ch == '\'' && i + 1 < end && columnType.charAt(i + 1) == '\'') {
                    label.append('\'');
                    i += 2;
                } else if (ch == '\'') {
                    i++;
                    break;
                } else {
                    label.append(ch);
                    i++;
                }
            }
            labels.add(label.toString());
        }
        return labels;
    }
}
