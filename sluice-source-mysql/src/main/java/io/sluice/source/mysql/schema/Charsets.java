package io.sluice.source.mysql.schema;

import io.sluice.core.model.ColumnType;

import java.util.Map;

/**
 * Byte widths of MySQL's character sets and the sizes of its string types: what the server uses to
 * turn a declared length in characters into the column's byte length (information_schema's
 * CHARACTER_OCTET_LENGTH), and to pick a TEXT/BLOB size. The set of charsets is compiled into the
 * server, so a table replaces a catalogue query.
 */
public final class Charsets {

    /** LONGTEXT/LONGBLOB hold 2^32-1 bytes; a {@code Column.length} is an int, so it is capped here. */
    public static final int LONG_OCTETS = Integer.MAX_VALUE;
    /** The longest VARCHAR/VARBINARY in bytes; a longer one is made a TEXT/BLOB type. */
    public static final int MAX_VARCHAR_OCTETS = 65_535;

    private static final Map<String, Integer> MAXLEN = Map.ofEntries(
            Map.entry("big5", 2), Map.entry("ujis", 3), Map.entry("sjis", 2), Map.entry("euckr", 2),
            Map.entry("gb2312", 2), Map.entry("gbk", 2), Map.entry("utf8", 3), Map.entry("utf8mb3", 3),
            Map.entry("ucs2", 2), Map.entry("utf8mb4", 4), Map.entry("utf16", 4), Map.entry("utf16le", 4),
            Map.entry("utf32", 4), Map.entry("cp932", 2), Map.entry("eucjpms", 3), Map.entry("gb18030", 4));

    private Charsets() {}

    /** Bytes per character at most (MAXLEN of information_schema.CHARACTER_SETS); single-byte charsets are not listed. */
    public static int maxBytes(String charset) {
        return charset == null ? 1 : MAXLEN.getOrDefault(charset.toLowerCase(java.util.Locale.ROOT), 1);
    }

    /** The byte length of {@code chars} characters in {@code charset}, capped like {@link #LONG_OCTETS}. */
    public static int octets(long chars, String charset) {
        return cap(chars * maxBytes(charset));
    }

    /** The smallest TEXT (or BLOB) size that holds {@code octets} bytes: TINY, plain, MEDIUM or LONG, as its byte length. */
    public static int textOctets(long octets) {
        if (octets < 256) return 255;
        if (octets < 65_536) return 65_535;
        if (octets < 16_777_216) return 16_777_215;
        return LONG_OCTETS;
    }

    /** The BLOB type of a byte length ({@link #textOctets} sizes). */
    public static ColumnType blobType(long octets) {
        return switch (textOctets(octets)) {
            case 255 -> ColumnType.TINYBLOB;
            case 65_535 -> ColumnType.BLOB;
            case 16_777_215 -> ColumnType.MEDIUMBLOB;
            default -> ColumnType.LONGBLOB;
        };
    }

    /** The byte length of a BLOB type ({@link #textOctets} sizes). */
    public static int blobOctets(ColumnType blob) {
        return switch (blob) {
            case TINYBLOB -> 255;
            case BLOB -> 65_535;
            case MEDIUMBLOB -> 16_777_215;
            default -> LONG_OCTETS;
        };
    }

    static int cap(long octets) {
        return (int) Math.min(octets, LONG_OCTETS);
    }
}
