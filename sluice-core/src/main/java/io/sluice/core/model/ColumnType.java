package io.sluice.core.model;

/**
 * MySQL column types with their protocol type code ({@code enum_field_types}), which is the
 * DTS {@code dataTypeNumber}.
 */
public enum ColumnType {
    TINYINT(1), SMALLINT(2), MEDIUMINT(9), INT(3), BIGINT(8),
    BIT(16),
    DECIMAL(246),
    FLOAT(4), DOUBLE(5),
    DATE(10), TIME(11), DATETIME(12), TIMESTAMP(7), YEAR(13),
    CHAR(254), VARCHAR(253), TEXT(253),
    BINARY(254), VARBINARY(253),
    TINYBLOB(249), MEDIUMBLOB(250), LONGBLOB(251), BLOB(252),
    ENUM(247), SET(248),
    JSON(245),
    GEOMETRY(255);

    private final int typeCode;

    ColumnType(int typeCode) { this.typeCode = typeCode; }

    public int typeCode() { return typeCode; }

    /**
     * Maps information_schema.COLUMNS.DATA_TYPE to a column type.
     * Geometry subtypes (point, polygon...) all map to GEOMETRY; the subtype name is kept on the column.
     */
    public static ColumnType fromDataType(String dataType) {
        String t = dataType.toLowerCase(java.util.Locale.ROOT);
        return switch (t) {
            case "tinyint" -> TINYINT;
            case "smallint" -> SMALLINT;
            case "mediumint" -> MEDIUMINT;
            case "int", "integer" -> INT;
            case "bigint" -> BIGINT;
            case "bit" -> BIT;
            case "decimal", "numeric" -> DECIMAL;
            case "float" -> FLOAT;
            case "double", "real", "double precision" -> DOUBLE;
            case "date" -> DATE;
            case "time" -> TIME;
            case "datetime" -> DATETIME;
            case "timestamp" -> TIMESTAMP;
            case "year" -> YEAR;
            case "char" -> CHAR;
            case "varchar" -> VARCHAR;
            case "tinytext", "text", "mediumtext", "longtext" -> TEXT;
            case "binary" -> BINARY;
            case "varbinary" -> VARBINARY;
            case "tinyblob" -> TINYBLOB;
            case "blob" -> BLOB;
            case "mediumblob" -> MEDIUMBLOB;
            case "longblob" -> LONGBLOB;
            case "enum" -> ENUM;
            case "set" -> SET;
            case "json" -> JSON;
            case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
                 "multipolygon", "geometrycollection", "geomcollection" -> GEOMETRY;
            default -> throw new IllegalArgumentException("unsupported MySQL column type: " + dataType);
        };
    }

    public boolean isInteger() {
        return this == TINYINT || this == SMALLINT || this == MEDIUMINT || this == INT || this == BIGINT;
    }
}
