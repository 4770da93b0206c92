package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.TableId;
import io.sluice.core.model.TableSchema;
import io.sluice.source.mysql.schema.Charsets;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Cross-checks the schema history against the column metadata the server writes into TABLE_MAP
 * events with {@code binlog_row_metadata=FULL} (MySQL 8.0.1+, MariaDB 10.5+): column count and
 * names, then types, signedness, charsets and ENUM/SET labels where the event carries them.
 * Events without column names (MINIMAL, MySQL 5.7, older MariaDB) are not checked.
 *
 * <p>Checked once per table definition: again only when the history's version of the table or the
 * server's table id (new after every ALTER) changes, not per row event.
 */
final class ColumnMetadataCheck {

    private record Checked(TableSchema schema, long tableId) {}

    private final Map<TableId, Checked> checked = new HashMap<>();
    /** Charset name of a collation id (per the server's information_schema), or null if unknown. */
    private final IntFunction<String> charsetOfCollation;
    private final boolean mariadb;

    ColumnMetadataCheck(IntFunction<String> charsetOfCollation, boolean mariadb) {
        this.charsetOfCollation = charsetOfCollation;
        this.mariadb = mariadb;
    }

    /**
     * What differs between the event and the history's definition, or null when they agree, the
     * event has no names, or this definition was compared with this table id before.
     */
    String mismatch(TableSchema schema, TableMapEventData map) {
        TableMapEventMetadata meta = map.getEventMetadata();
        if (meta == null || meta.getColumnNames() == null) return null;
        Checked c = checked.get(schema.id());
        if (c != null && c.schema() == schema && c.tableId() == map.getTableId()) return null;
        String why = compare(schema.columns(), map, meta);
        if (checked.size() >= 10_000) checked.clear();
        checked.put(schema.id(), new Checked(schema, map.getTableId()));
        return why;
    }

    private String compare(List<Column> columns, TableMapEventData map, TableMapEventMetadata meta) {
        List<String> names = meta.getColumnNames();
        if (names.size() != columns.size() || map.getColumnTypes().length != columns.size()) {
            return "the binlog has " + names.size() + " columns, the history " + columns.size();
        }
        for (int i = 0; i < columns.size(); i++) {
            if (!sameName(columns.get(i).name(), names.get(i))) {
                return "column " + (i + 1) + " is " + names.get(i) + " in the binlog but " + columns.get(i).name() + " in the history";
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            String why = type(columns.get(i), map.getColumnTypes()[i] & 0xFF, map.getColumnMetadata()[i]);
            if (why != null) return "column " + columns.get(i).name() + " is " + why;
        }
        String why = signedness(columns, meta.getSignedness());
        if (why == null) why = charsets(columns, meta);
        if (why == null) why = labels(columns, ColumnType.ENUM, meta.getEnumStrValues());
        if (why == null) why = labels(columns, ColumnType.SET, meta.getSetStrValues());
        return why;
    }

    /** Exactly equal (records carry the name); the client decodes names with the JVM's default charset, MySQL writes UTF-8. */
    static boolean sameName(String history, String binlog) {
        if (history.equals(binlog)) return true;
        Charset jvm = Charset.defaultCharset();
        if (history.equals(new String(binlog.getBytes(jvm), StandardCharsets.UTF_8))) return true;
        return !jvm.newEncoder().canEncode(history) && !ascii(history); // lost in decoding: cannot tell
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(ch -> ch < 128);
    }

    // MySQL's enum_field_types as TABLE_MAP events write them
    private static final int DECIMAL = 0, TINY = 1, SHORT = 2, LONG = 3, FLOAT = 4, DOUBLE = 5, TIMESTAMP = 7, LONGLONG = 8,
            INT24 = 9, DATE = 10, TIME = 11, DATETIME = 12, YEAR = 13, NEWDATE = 14, VARCHAR = 15, BIT = 16, TIMESTAMP2 = 17,
            DATETIME2 = 18, TIME2 = 19, JSON = 245, NEWDECIMAL = 246, ENUM = 247, SET = 248, BLOB = 252, VAR_STRING = 253,
            STRING = 254, GEOMETRY = 255;

    /** Null when the binlog type (and its metadata, where it tells the size) fits the history's column, else a description. */
    static String type(Column c, int type, int meta) {
        int real = type;
        if (type == STRING && meta >= 256) { // CHAR, BINARY, ENUM, SET: the real type is in the high byte
            real = meta >> 8;
            if ((real & 0x30) != 0x30) real |= 0x30; // a CHAR longer than 255 bytes borrows bits of the type
        }
        boolean fits = switch (c.type()) {
            case TINYINT -> real == TINY;
            case SMALLINT -> real == SHORT;
            case MEDIUMINT -> real == INT24;
            case INT -> real == LONG;
            case BIGINT -> real == LONGLONG;
            case BIT -> real == BIT;
            case DECIMAL -> real == NEWDECIMAL || real == DECIMAL;
            case FLOAT -> real == FLOAT;
            case DOUBLE -> real == DOUBLE;
            case DATE -> real == DATE || real == NEWDATE;
            case TIME -> real == TIME || real == TIME2;
            case DATETIME -> real == DATETIME || real == DATETIME2;
            case TIMESTAMP -> real == TIMESTAMP || real == TIMESTAMP2;
            case YEAR -> real == YEAR;
            case CHAR, BINARY -> real == STRING;
            case VARCHAR, VARBINARY -> (real == VARCHAR || real == VAR_STRING) && (c.length() <= 0 || meta == c.length());
            case TEXT -> real == BLOB && (c.length() <= 0 || meta == lengthBytes(c.length()));
            case TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> real == BLOB && meta == lengthBytes(Charsets.blobOctets(c.type()));
            case ENUM -> real == ENUM;
            case SET -> real == SET;
            case JSON -> real == JSON;
            case GEOMETRY -> real == GEOMETRY;
        };
        if (fits) return null;
        String size = real == BLOB || real == VARCHAR || real == VAR_STRING ? " (metadata " + meta + ")" : "";
        return "of binlog type " + real + size + " but " + c.type()
                + (c.length() > 0 && (c.type() == ColumnType.TEXT || c.type() == ColumnType.VARCHAR) ? "(" + c.length() + " bytes)" : "")
                + " in the history";
    }

    /** Bytes of a TEXT/BLOB value's length prefix, which is the type's binlog metadata. */
    private static int lengthBytes(int octets) {
        return octets <= 255 ? 1 : octets <= 65_535 ? 2 : octets <= 16_777_215 ? 3 : 4;
    }

    private static boolean numeric(ColumnType t) {
        return t.isInteger() || t == ColumnType.DECIMAL || t == ColumnType.FLOAT || t == ColumnType.DOUBLE;
    }

    /** The client indexes signedness by column; only numeric columns have a bit. */
    private static String signedness(List<Column> columns, BitSet unsigned) {
        if (unsigned == null) return null;
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            if (numeric(c.type()) && c.unsigned() != unsigned.get(i)) {
                return "column " + c.name() + " is " + (unsigned.get(i) ? "UNSIGNED" : "signed") + " in the binlog but not in the history";
            }
        }
        return null;
    }

    /** Columns with a collation in the event: string types, and on MariaDB geometry (a BLOB underneath). */
    private boolean character(ColumnType t) {
        return switch (t) {
            case CHAR, VARCHAR, TEXT, BINARY, VARBINARY, TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> true;
            case GEOMETRY -> mariadb;
            default -> false;
        };
    }

    /** Collations of the character columns, in order: a default with exceptions, or one per column. */
    private String charsets(List<Column> columns, TableMapEventMetadata meta) {
        List<Column> chars = columns.stream().filter(c -> character(c.type())).toList();
        List<Integer> collations = new ArrayList<>();
        if (meta.getColumnCharsets() != null) {
            collations.addAll(meta.getColumnCharsets());
        } else if (meta.getDefaultCharset() != null) {
            Map<Integer, Integer> exceptions = meta.getDefaultCharset().getCharsetCollations();
            for (int i = 0; i < chars.size(); i++) {
                Integer e = exceptions == null ? null : exceptions.get(i);
                collations.add(e != null ? e : meta.getDefaultCharset().getDefaultCharsetCollation());
            }
        } else {
            return null;
        }
        if (collations.size() != chars.size()) {
            return "the binlog has " + collations.size() + " character columns, the history " + chars.size();
        }
        for (int i = 0; i < chars.size(); i++) {
            Column c = chars.get(i);
            String binlog = collations.get(i) == 63 ? "binary" : charsetOfCollation.apply(collations.get(i));
            String history = c.charset() == null ? "binary" : c.charset();
            if (binlog != null && !binlog.equals(history)) {
                return "column " + c.name() + " has charset " + binlog + " in the binlog but " + history + " in the history";
            }
        }
        return null;
    }

    private static String labels(List<Column> columns, ColumnType type, List<String[]> binlog) {
        if (binlog == null) return null;
        List<Column> typed = columns.stream().filter(c -> c.type() == type).toList();
        if (typed.size() != binlog.size()) return "the binlog has " + binlog.size() + " " + type + " columns, the history " + typed.size();
        for (int i = 0; i < typed.size(); i++) {
            List<String> b = List.of(binlog.get(i));
            List<String> h = typed.get(i).labels();
            // labels are bytes in the column's charset, decoded by the client with the JVM's: compare ASCII ones only
            boolean comparable = h.stream().allMatch(ColumnMetadataCheck::ascii) && b.stream().allMatch(ColumnMetadataCheck::ascii);
            if (comparable && !b.equals(h)) {
                return "column " + typed.get(i).name() + " has labels " + b + " in the binlog but " + h + " in the history";
            }
        }
        return null;
    }
}
