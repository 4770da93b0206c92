package io.sluice.format.json;

import io.sluice.core.model.Column;
import io.sluice.core.model.ColumnType;
import io.sluice.core.model.Value;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;

/** MySQL values as the text MySQL (and Canal) shows them, and the Java charset of a MySQL charset. */
final class MysqlText {

    private MysqlText() {}

    private static final Map<String, Charset> CHARSETS = Map.ofEntries(
            Map.entry("utf8mb4", StandardCharsets.UTF_8), Map.entry("utf8", StandardCharsets.UTF_8),
            Map.entry("utf8mb3", StandardCharsets.UTF_8), Map.entry("ascii", StandardCharsets.US_ASCII),
            Map.entry("binary", StandardCharsets.ISO_8859_1), Map.entry("latin1", Charset.forName("windows-1252")),
            Map.entry("ucs2", StandardCharsets.UTF_16BE), Map.entry("utf16", StandardCharsets.UTF_16BE),
            Map.entry("utf16le", StandardCharsets.UTF_16LE), Map.entry("utf32", Charset.forName("UTF-32BE")),
            Map.entry("gbk", Charset.forName("GBK")), Map.entry("gb2312", Charset.forName("GB2312")),
            Map.entry("gb18030", Charset.forName("GB18030")), Map.entry("big5", Charset.forName("Big5")),
            Map.entry("sjis", Charset.forName("Shift_JIS")), Map.entry("cp932", Charset.forName("windows-31j")),
            Map.entry("ujis", Charset.forName("EUC-JP")), Map.entry("eucjpms", Charset.forName("EUC-JP")),
            Map.entry("euckr", Charset.forName("EUC-KR")), Map.entry("cp1251", Charset.forName("windows-1251")),
            Map.entry("cp1250", Charset.forName("windows-1250")), Map.entry("latin2", Charset.forName("ISO-8859-2")),
            Map.entry("greek", Charset.forName("ISO-8859-7")), Map.entry("hebrew", Charset.forName("ISO-8859-8")),
            Map.entry("latin5", Charset.forName("ISO-8859-9")), Map.entry("koi8r", Charset.forName("KOI8-R")));

    /** The Java charset of a MySQL charset name; UTF-8 for one without a Java equivalent. */
    static Charset charset(String mysql) {
        if (mysql == null) return StandardCharsets.UTF_8;
        Charset c = CHARSETS.get(mysql.toLowerCase(Locale.ROOT));
        return c != null ? c : StandardCharsets.UTF_8;
    }

    /** The text of a character value (binary ones byte for byte as ISO-8859-1 characters, as Canal writes them). */
    static String characters(Value.CharacterValue c) {
        return new String(c.value(), charset(c.charset()));
    }

    /** The raw bytes of a value stored as bytes (BINARY/VARBINARY, BLOB, GEOMETRY); null for other values. */
    static byte[] bytes(Value v) {
        if (v instanceof Value.CharacterValue c) return c.value();
        if (v instanceof Value.BinaryObjectValue b) return b.value();
        if (v instanceof Value.BinaryGeometryValue g) return g.value();
        return null;
    }

    static boolean isBinary(Column c) {
        return c.type() == ColumnType.BINARY || c.type() == ColumnType.VARBINARY || "binary".equalsIgnoreCase(c.charset())
                && (c.type() == ColumnType.CHAR || c.type() == ColumnType.VARCHAR);
    }

    /** {@code [-]hh:mm:ss}, hours at least two digits, then {@code .} and {@code fsp} fraction digits. */
    static String time(Value.DateTimeValue t, int fsp) {
        boolean negative = t.hour() < 0 || t.minute() < 0 || t.second() < 0 || (t.millis() != null && t.millis() < 0);
        StringBuilder sb = new StringBuilder(16);
        if (negative) sb.append('-');
        two(sb, Math.abs(t.hour())).append(':');
        two(sb, Math.abs(t.minute())).append(':');
        two(sb, Math.abs(t.second()));
        return fraction(sb, t.millis() == null ? 0 : Math.abs(t.millis()), fsp).toString();
    }

    /** {@code yyyy-mm-dd} (zero parts kept: {@code 0000-00-00}). */
    static String date(Value.DateTimeValue d) {
        StringBuilder sb = new StringBuilder(26);
        four(sb, d.year()).append('-');
        two(sb, d.month()).append('-');
        return two(sb, d.day()).toString();
    }

    static String dateTime(Value.DateTimeValue d, int fsp) {
        StringBuilder sb = new StringBuilder(date(d)).append(' ');
        two(sb, d.hour()).append(':');
        two(sb, d.minute()).append(':');
        two(sb, d.second());
        return fraction(sb, d.millis() == null ? 0 : d.millis(), fsp).toString();
    }

    /** A TIMESTAMP in UTC as {@code yyyy-mm-dd hh:mm:ss[.f]}; {0, 0} is MySQL's zero TIMESTAMP. */
    static String timestamp(Value.TimestampValue t, int fsp) {
        if (t.timestamp() == 0 && t.millis() == 0) return fraction(new StringBuilder("0000-00-00 00:00:00"), 0, fsp).toString();
        LocalDateTime l = LocalDateTime.ofEpochSecond(t.timestamp(), 0, ZoneOffset.UTC);
        StringBuilder sb = new StringBuilder(26);
        four(sb, l.getYear()).append('-');
        two(sb, l.getMonthValue()).append('-');
        two(sb, l.getDayOfMonth()).append(' ');
        two(sb, l.getHour()).append(':');
        two(sb, l.getMinute()).append(':');
        two(sb, l.getSecond());
        return fraction(sb, t.millis(), fsp).toString();
    }

    static String year(Value.DateTimeValue y) {
        return four(new StringBuilder(4), y.year()).toString();
    }

    /** The fractional seconds digits a temporal column keeps (its precision, -1 for none). */
    static int fsp(Column c) {
        return Math.max(0, Math.min(6, c.precision()));
    }

    private static StringBuilder fraction(StringBuilder sb, int micros, int fsp) {
        if (fsp <= 0) return sb;
        String digits = String.valueOf(1_000_000 + micros).substring(1);
        return sb.append('.').append(digits, 0, fsp);
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        if (v < 10) sb.append('0');
        return sb.append(v);
    }

    private static StringBuilder four(StringBuilder sb, int v) {
        if (v < 1000) sb.append('0');
        if (v < 100) sb.append('0');
        if (v < 10) sb.append('0');
        return sb.append(v);
    }

    /** A FLOAT value as the float it is ({@link Value.FloatValue} holds it widened to double). */
    static float asFloat(Value.FloatValue f) {
        return (float) f.value();
    }
}
