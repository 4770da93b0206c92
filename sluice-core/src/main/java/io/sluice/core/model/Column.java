package io.sluice.core.model;

import java.util.List;

/**
 * One column of a source table, as the catalogue describes it.
 *
 * @param precision numeric precision (integers, DECIMAL), M for BIT, declared precision for FLOAT/DOUBLE or -1
 * @param scale     DECIMAL scale, declared FLOAT/DOUBLE scale or -1
 * @param charset   MySQL charset name of character columns ("binary" for binary strings), else null
 * @param length    maximum length in bytes (CHARACTER_OCTET_LENGTH) of CHAR, VARCHAR, TEXT types, BINARY and VARBINARY,
 *                  capped at Integer.MAX_VALUE (LONGTEXT), else 0; BINARY(n) values are padded to it (MySQL drops
 *                  their trailing zero bytes in the binlog); the schema history needs it for CONVERT TO CHARACTER SET
 * @param labels    ENUM/SET labels in definition order, else empty
 * @param subtype   geometry type name (POINT, GEOMETRY...), else null
 * @param nullable  false for a NOT NULL column (information_schema's IS_NULLABLE; primary key columns are NOT NULL)
 */
public record Column(String name, ColumnType type, boolean unsigned, int precision, int scale,
                     String charset, int length, List<String> labels, String subtype, boolean nullable) {

    public Column {
        labels = List.copyOf(labels);
    }

    /** A nullable column. */
    public Column(String name, ColumnType type, boolean unsigned, int precision, int scale,
                  String charset, int length, List<String> labels, String subtype) {
        this(name, type, unsigned, precision, scale, charset, length, labels, subtype, true);
    }

    public static Column of(String name, ColumnType type) {
        return new Column(name, type, false, -1, -1, null, 0, List.of(), null);
    }

    /** This column with another nullability (NOT NULL: false). */
    public Column withNullable(boolean nullable) {
        return nullable == this.nullable ? this
                : new Column(name, type, unsigned, precision, scale, charset, length, labels, subtype, nullable);
    }

    /** This column under another name. */
    public Column withName(String name) {
        return new Column(name, type, unsigned, precision, scale, charset, length, labels, subtype, nullable);
    }
}
