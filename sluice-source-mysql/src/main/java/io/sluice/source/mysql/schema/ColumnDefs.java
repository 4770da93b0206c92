package io.sluice.source.mysql.schema;

import com.alibaba.druid.sql.ast.SQLDataType;
import com.alibaba.druid.sql.ast.SQLDataTypeImpl;
import com.alibaba.druid.sql.ast.SQLExpr;
import com.alibaba.druid.sql.ast.expr.SQLCharExpr;
import com.alibaba.druid.sql.ast.expr.SQLIntegerExpr;
import com.alibaba.druid.sql.ast.expr.SQLNumericLiteralExpr;
import com.alibaba.druid.sql.ast.statement.SQLCharacterDataType;
import com.alibaba.druid.sql.ast.statement.SQLColumnConstraint;
import com.alibaba.druid.sql.ast.statement.SQLColumnDefinition;
import com.alibaba.druid.sql.ast.statement.SQLNotNullConstraint;
import com.alibaba.druid.sql.ast.statement.SQLNullConstraint;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A parsed column definition as the catalogue would describe it, by the rules of
 * {@code Catalog.column}: type, unsigned, precision/scale, resolved charset, BINARY length,
 * ENUM/SET labels, geometry subtype.
 */
final class ColumnDefs {

    private ColumnDefs() {}

    static String name(SQLColumnDefinition def) {
        return SqlText.unquote(def.getName().getSimpleName());
    }

    static Column column(SQLColumnDefinition def, String tableCharset, Dialect dialect) {
        return type(def, tableCharset, dialect).withNullable(nullable(def, dialect));
    }

    /**
     * NULL unless declared NOT NULL; SERIAL is NOT NULL, and so is a TIMESTAMP not declared NULL
     * where explicit_defaults_for_timestamp is OFF. (A primary key makes its columns NOT NULL: MutableTable.)
     */
    private static boolean nullable(SQLColumnDefinition def, Dialect dialect) {
        String t = def.getDataType().getName().toLowerCase(Locale.ROOT);
        boolean declaredNull = false;
        for (SQLColumnConstraint k : def.getConstraints()) {
            if (k instanceof SQLNotNullConstraint) return false;
            if (k instanceof SQLNullConstraint) declaredNull = true;
        }
        if (t.equals("serial")) return false;
        return declaredNull || !(t.equals("timestamp") && dialect.implicitNotNullTimestamp());
    }

    private static Column type(SQLColumnDefinition def, String tableCharset, Dialect dialect) {
        SQLDataType dt = def.getDataType();
        String name = name(def);
        String t = dt.getName().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        List<Long> args = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (SQLExpr a : dt.getArguments()) {
            if (a instanceof SQLIntegerExpr i) args.add(i.getNumber().longValue());
            else if (a instanceof SQLNumericLiteralExpr num) args.add(num.getNumber().longValue());
            else if (a instanceof SQLCharExpr c) labels.add(c.getText());
        }
        boolean unsigned = dt instanceof SQLDataTypeImpl impl && (impl.isUnsigned() || impl.isZerofill());
        String charset = explicitCharset(def, dialect);
        boolean binaryCharset = "binary".equals(charset);

        switch (t) {
            case "bool", "boolean" -> { return integer(name, ColumnType.TINYINT, false, dialect); }
            case "tinyint", "int1" -> { return integer(name, ColumnType.TINYINT, unsigned, dialect); }
            case "smallint", "int2" -> { return integer(name, ColumnType.SMALLINT, unsigned, dialect); }
            case "mediumint", "int3", "middleint" -> { return integer(name, ColumnType.MEDIUMINT, unsigned, dialect); }
            case "int", "integer", "int4" -> { return integer(name, ColumnType.INT, unsigned, dialect); }
            case "bigint", "int8" -> { return integer(name, ColumnType.BIGINT, unsigned, dialect); }
            case "serial" -> { return integer(name, ColumnType.BIGINT, true, dialect); }
            case "decimal", "dec", "numeric", "fixed" -> {
                int p = args.isEmpty() ? 10 : args.get(0).intValue();
                int s = args.size() < 2 ? 0 : args.get(1).intValue();
                return new Column(name, ColumnType.DECIMAL, unsigned, p, s, null, 0, List.of(), null);
            }
            case "float" -> {
                if (args.size() == 1 && args.get(0) > 24) return floating(name, ColumnType.DOUBLE, unsigned, List.of());
                return floating(name, ColumnType.FLOAT, unsigned, args);
            }
            case "double", "double precision", "real" -> { return floating(name, ColumnType.DOUBLE, unsigned, args); }
            case "bit" -> { return new Column(name, ColumnType.BIT, false, args.isEmpty() ? 1 : args.get(0).intValue(), -1, null, 0, List.of(), null); }
            case "date" -> { return Column.of(name, ColumnType.DATE); }
            case "time" -> { return temporal(name, ColumnType.TIME, args); }
            case "datetime" -> { return temporal(name, ColumnType.DATETIME, args); }
            case "timestamp" -> { return temporal(name, ColumnType.TIMESTAMP, args); }
            case "year" -> { return Column.of(name, ColumnType.YEAR); }
            case "char", "character", "nchar", "national char", "national character" -> {
                long n = args.isEmpty() ? 1 : args.get(0);
                if (binaryCharset) return binary(name, (int) n);
                String cs = t.startsWith("n") ? dialect.utf8Name() : charset != null ? charset : tableCharset;
                return character(name, ColumnType.CHAR, cs, Charsets.octets(n, cs));
            }
            case "varchar", "character varying", "char varying", "nvarchar", "national varchar",
                 "national character varying", "nchar varchar", "varcharacter" -> {
                if (args.isEmpty()) throw new UnsupportedDdl("column " + name + " is a VARCHAR without a length");
                if (binaryCharset) return varbinary(name, args.get(0));
                String cs = t.startsWith("n") ? dialect.utf8Name() : charset != null ? charset : tableCharset;
                return varchar(name, cs, Charsets.octets(args.get(0), cs));
            }
            case "tinytext", "text", "mediumtext", "longtext", "long", "long varchar" -> {
                String cs = binaryCharset ? "binary" : charset != null ? charset : tableCharset;
                int octets = !args.isEmpty() ? Charsets.textOctets(Charsets.octets(args.get(0), cs)) : switch (t) { // TEXT(M): M characters
                    case "tinytext" -> 255;
                    case "text" -> 65_535;
                    case "longtext" -> Charsets.LONG_OCTETS;
                    default -> 16_777_215;
                };
                if (binaryCharset) return Column.of(name, Charsets.blobType(octets));
                return character(name, ColumnType.TEXT, cs, octets);
            }
            case "binary" -> { return binary(name, args.isEmpty() ? 1 : args.get(0).intValue()); }
            case "varbinary" -> {
                if (args.isEmpty()) throw new UnsupportedDdl("column " + name + " is a VARBINARY without a length");
                return varbinary(name, args.get(0));
            }
            case "tinyblob" -> { return Column.of(name, ColumnType.TINYBLOB); }
            case "blob" -> { return Column.of(name, args.isEmpty() ? ColumnType.BLOB : Charsets.blobType(args.get(0))); } // BLOB(M): M bytes
            case "mediumblob", "long varbinary" -> { return Column.of(name, ColumnType.MEDIUMBLOB); }
            case "longblob" -> { return Column.of(name, ColumnType.LONGBLOB); }
            case "enum" -> { return new Column(name, ColumnType.ENUM, false, -1, -1, null, 0, labels, null); }
            case "set" -> { return new Column(name, ColumnType.SET, false, -1, -1, null, 0, labels, null); }
            case "json" -> {
                // MariaDB's JSON is an alias of LONGTEXT with utf8mb4_bin
                if (dialect.mariadb()) return character(name, ColumnType.TEXT, charset != null ? charset : "utf8mb4", Charsets.LONG_OCTETS);
                return Column.of(name, ColumnType.JSON);
            }
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
                 "geometrycollection", "geomcollection" -> {
                String sub = t.equals("geomcollection") ? "GEOMETRYCOLLECTION" : t.toUpperCase(Locale.ROOT);
                return new Column(name, ColumnType.GEOMETRY, false, -1, -1, null, 0, List.of(), sub);
            }
            default -> throw new UnsupportedDdl("column " + name + " has type " + dt + ", which the schema history does not know");
        }
    }

    private static String explicitCharset(SQLColumnDefinition def, Dialect dialect) {
        SQLDataType dt = def.getDataType();
        String cs = null, coll = null;
        if (dt instanceof SQLCharacterDataType c) {
            cs = c.getCharSetName();
            coll = c.getCollate();
        }
        if (cs == null && def.getCharsetExpr() != null) cs = def.getCharsetExpr().toString();
        if (coll == null && def.getCollateExpr() != null) coll = def.getCollateExpr().toString();
        if (cs != null) return dialect.charset(cs);
        if (coll != null) return dialect.charsetOfCollation(coll);
        return null;
    }

    private static Column integer(String name, ColumnType type, boolean unsigned, Dialect dialect) {
        int p = switch (type) {
            case TINYINT -> 3;
            case SMALLINT -> 5;
            case MEDIUMINT -> unsigned && dialect.mariadb() ? 8 : 7;
            case INT -> 10;
            default -> unsigned ? 20 : 19;
        };
        return new Column(name, type, unsigned, p, 0, null, 0, List.of(), null);
    }

    private static Column floating(String name, ColumnType type, boolean unsigned, List<Long> args) {
        int p = args.size() == 2 ? args.get(0).intValue() : -1;
        int s = args.size() == 2 ? args.get(1).intValue() : -1;
        return new Column(name, type, unsigned, p, s, null, 0, List.of(), null);
    }

    /** A CHAR, VARCHAR or TEXT column of {@code octets} bytes at most (information_schema's CHARACTER_OCTET_LENGTH). */
    static Column character(String name, ColumnType type, String charset, int octets) {
        return new Column(name, type, false, -1, -1, charset, octets, List.of(), null);
    }

    /** A VARCHAR of {@code octets} bytes; a longer one than MySQL allows becomes the TEXT type that holds it (non-strict sql_mode). */
    static Column varchar(String name, String charset, int octets) {
        if (octets > Charsets.MAX_VARCHAR_OCTETS) return character(name, ColumnType.TEXT, charset, Charsets.textOctets(octets));
        return character(name, ColumnType.VARCHAR, charset, octets);
    }

    static Column varbinary(String name, long octets) {
        if (octets > Charsets.MAX_VARCHAR_OCTETS) return Column.of(name, Charsets.blobType(octets));
        return new Column(name, ColumnType.VARBINARY, false, -1, -1, "binary", (int) octets, List.of(), null);
    }

    private static Column binary(String name, int length) {
        return new Column(name, ColumnType.BINARY, false, -1, -1, "binary", length, List.of(), null);
    }

    /**
     * TIME/DATETIME/TIMESTAMP keep their fractional digits as precision (-1: none, as before they
     * were kept): MariaDB's old-format columns need them to be read (OldTemporalColumns).
     */
    private static Column temporal(String name, ColumnType type, List<Long> args) {
        int fsp = args.isEmpty() ? 0 : args.get(0).intValue();
        return new Column(name, type, false, fsp > 0 ? fsp : -1, -1, null, 0, List.of(), null);
    }
}
