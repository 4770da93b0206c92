package io.sluice.source.mysql.value;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.Column;
import io.sluice.core.model.Value;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Turns a cell of a SELECT (MySQL text protocol, read with {@code getBytes} on a connection whose
 * {@code character_set_results} is NULL, so nothing is transcoded) into the same DTS value the
 * binlog path ({@link ValueConverter}, {@link TemporalCells}) produces for the same stored value.
 *
 * <p>What the SELECT must look like ({@link #selectExpression}): ENUM and SET columns as
 * {@code col+0} (index, bit mask), FLOAT as {@code col+0e0} (its exact double), every other column as itself; session {@code time_zone='+00:00'} (TIMESTAMP text is then UTC).
 */
public final class JdbcValues {

    private static final JsonFactory JSON = new JsonFactory();

    private JdbcValues() {}

    /** The select-list expression for a column (quoted name, or {@code `c`+0} for ENUM/SET). */
    public static String selectExpression(Column c) {
        String q = quote(c.name());
        return switch (c.type()) {
            case ENUM, SET -> q + "+0";
            // FLOAT text has only 6 significant digits; as a DOUBLE (exact widening) it round-trips
            case FLOAT -> q + "+0e0";
            default -> q;
        };
    }

    public static String quote(String identifier) {
        return '`' + identifier.replace("`", "``") + '`';
    }

    public static Value convert(Column c, byte[] raw) {
        if (raw == null) return null;
        return switch (c.type()) {
            case TINYINT, SMALLINT, MEDIUMINT, INT, BIGINT -> integer(c.precision(), raw);
            case BIT -> new Value.IntegerValue(c.precision(), new BigInteger(1, raw).toString());
            case DECIMAL -> new Value.DecimalValue(decimalText(raw), c.precision(), c.scale());
            case FLOAT -> new Value.FloatValue(ValueConverter.shortestDecimal((float) parseDouble(raw)), c.precision(), c.scale());
            case DOUBLE -> new Value.FloatValue(parseDouble(raw), c.precision(), c.scale());
            case DATE -> date(raw);
            case TIME -> time(ascii(raw));
            case DATETIME -> dateTime(raw);
            case TIMESTAMP -> timestamp(dateTime(raw));
            case YEAR -> Value.DateTimeValue.year(Integer.parseInt(ascii(raw)));
            case CHAR, VARCHAR, TEXT, VARBINARY -> new Value.CharacterValue(c.charset() == null ? "binary" : c.charset(), raw);
            case BINARY -> new Value.CharacterValue("binary", ValueConverter.padBinary(raw, c.length()));
            case TINYBLOB, BLOB, MEDIUMBLOB, LONGBLOB -> new Value.BinaryObjectValue("BLOB", raw);
            case ENUM -> new Value.TextObjectValue("ENUM", ValueConverter.enumLabel(c, Integer.parseInt(ascii(raw))));
            case SET -> new Value.TextObjectValue("SET", ValueConverter.setLabels(c, Long.parseUnsignedLong(ascii(raw))));
            case JSON -> new Value.TextObjectValue("JSON", json(raw));
            case GEOMETRY -> new Value.BinaryGeometryValue(c.subtype(), raw);
        };
    }

    /**
     * An integer's text without the zero padding the text protocol gives ZEROFILL columns
     * ({@code 000005}): the binlog has the number, and a row's INIT and streamed records (and the
     * initialization's matching of chunk rows to binlog rows by key) must agree on it.
     */
    static String integerText(byte[] raw) {
        int start = 0;
        while (start < raw.length - 1 && raw[start] == '0') start++; // ZEROFILL implies UNSIGNED: no sign to skip
        return new String(raw, start, raw.length - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * An integer cell held as its number when its text is one a {@code long} prints back the same
     * way (after {@link #integerText}'s ZEROFILL stripping): no String per cell, and the encoders
     * write the same digits ({@link Value.IntegerValue#value()}). Other text (BIGINT UNSIGNED
     * beyond 18 digits, anything unexpected) stays text.
     */
    static Value.IntegerValue integer(int precision, byte[] raw) {
        int n = raw.length, i = 0;
        boolean negative = n > 1 && raw[0] == '-';
        if (negative) i++;
        while (!negative && i < n - 1 && raw[i] == '0') i++; // ZEROFILL (unsigned only)
        if (n - i > 18 || i == n || (negative && raw[i] == '0')) return new Value.IntegerValue(precision, integerText(raw));
        long v = 0;
        for (; i < n; i++) {
            int d = raw[i] - '0';
            if (d < 0 || d > 9) return new Value.IntegerValue(precision, integerText(raw));
            v = v * 10 + d;
        }
        return Value.IntegerValue.of(precision, negative ? -v : v);
    }

    static String ascii(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
            1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /**
     * {@code Double.parseDouble} of the text, without a String where the result is exact anyway:
     * {@code [-]digits[.digits][e[+-]digits]} with at most 15 significant digits and a decimal
     * exponent within ±22 is one correctly rounded IEEE multiplication or division of two exact
     * doubles (Clinger's fast path). Other text of that form (a double's 16 or 17 digits, as MySQL
     * prints most doubles) goes to the FastDoubleParser that jackson-core bundles, correctly rounded
     * as {@code Double.parseDouble} is and several times faster than JDK 17's; anything else, to
     * {@code Double.parseDouble} itself (its result or its exception).
     */
    static double parseDouble(byte[] r) {
        int n = r.length, i = 0;
        boolean negative = n > 0 && r[0] == '-';
        if (negative) i++;
        long mantissa = 0;
        int significant = 0, exponent = 0, digits = 0;
        for (; i < n && isDigit(r[i]); i++, digits++) {
            if (mantissa != 0 || r[i] != '0') significant++;
            if (significant <= 15) mantissa = mantissa * 10 + (r[i] - '0');
        }
        if (i < n && r[i] == '.') {
            int fractionStart = ++i;
            for (; i < n && isDigit(r[i]); i++) {
                if (mantissa != 0 || r[i] != '0') significant++;
                if (significant <= 15) {
                    mantissa = mantissa * 10 + (r[i] - '0');
                    exponent--;
                }
            }
            digits += i - fractionStart;
        }
        if (digits == 0) return Double.parseDouble(ascii(r));
        if (i < n && (r[i] == 'e' || r[i] == 'E')) {
            i++;
            boolean negativeExponent = i < n && r[i] == '-';
            if (i < n && (r[i] == '-' || r[i] == '+')) i++;
            int e = 0, from = i;
            for (; i < n && isDigit(r[i]) && e < 1000; i++) e = e * 10 + (r[i] - '0');
            if (i == from) return Double.parseDouble(ascii(r));
            exponent += negativeExponent ? -e : e;
        }
        if (i != n) return Double.parseDouble(ascii(r));
        if (significant > 15 || exponent < -22 || exponent > 22) return NumberInput.parseDouble(ascii(r), true);
        double v = exponent < 0 ? mantissa / POWERS_OF_TEN[-exponent] : mantissa * POWERS_OF_TEN[exponent];
        return negative ? -v : v;
    }

    /** What {@code new BigDecimal(text).toPlainString()} gives; MySQL's DECIMAL text already is that, checked without the round trip. */
    static String decimalText(byte[] raw) {
        String text = ascii(raw);
        return isPlainDecimal(raw) ? text : new BigDecimal(text).toPlainString();
    }

    /** {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?}, and not a negative zero (BigDecimal drops that sign). */
    static boolean isPlainDecimal(byte[] r) {
        int i = r.length > 0 && r[0] == '-' ? 1 : 0;
        int intStart = i;
        while (i < r.length && isDigit(r[i])) i++;
        if (i == intStart || (i - intStart > 1 && r[intStart] == '0')) return false;
        if (i < r.length) {
            if (r[i++] != '.' || i == r.length) return false;
            while (i < r.length && isDigit(r[i])) i++;
            if (i < r.length) return false;
        }
        if (intStart == 0) return true;
        for (int j = intStart; j < r.length; j++) {
            if (r[j] >= '1' && r[j] <= '9') return true;
        }
        return false;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** The number in {@code r[from, to)}, or -1 unless all of it are digits. */
    private static int digits(byte[] r, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            if (!isDigit(r[i])) return -1;
            v = v * 10 + (r[i] - '0');
        }
        return v;
    }

    /** {@link #date(String)} read from the bytes; any other shape goes to the String parser. */
    static Value.DateTimeValue date(byte[] r) {
        if (r.length == 10 && r[4] == '-' && r[7] == '-') {
            int y = digits(r, 0, 4), m = digits(r, 5, 7), d = digits(r, 8, 10);
            if ((y | m | d) >= 0) return Value.DateTimeValue.date(y, m, d);
        }
        return date(ascii(r));
    }

    /** {@link #dateTime(String)} read from the bytes ({@code YYYY-MM-DD hh:mm:ss[.f{1,6}]}); any other shape goes to the String parser. */
    static Value.DateTimeValue dateTime(byte[] r) {
        int n = r.length;
        if (n >= 19 && n <= 26 && n != 20 && r[4] == '-' && r[7] == '-' && r[10] == ' ' && r[13] == ':' && r[16] == ':'
                && (n == 19 || r[19] == '.')) {
            int y = digits(r, 0, 4), mo = digits(r, 5, 7), d = digits(r, 8, 10),
                    h = digits(r, 11, 13), mi = digits(r, 14, 16), s = digits(r, 17, 19);
            int micros = n == 19 ? 0 : digits(r, 20, n);
            if ((y | mo | d | h | mi | s | micros) >= 0) {
                for (int i = n; i < 26; i++) micros *= 10; // .5 is 500000 µs
                return Value.DateTimeValue.dateTime(y, mo, d, h, mi, s, micros);
            }
        }
        return dateTime(ascii(r));
    }

    /** {@code YYYY-MM-DD}, zero dates included. */
    static Value.DateTimeValue date(String s) {
        return Value.DateTimeValue.date(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                Integer.parseInt(s.substring(8, 10)));
    }

    /** {@code [-]H+:MM:SS[.f+]}: a negative TIME carries its sign on every part, as {@link TemporalCells} does. */
    static Value.DateTimeValue time(String s) {
        int sign = 1;
        if (s.startsWith("-")) {
            sign = -1;
            s = s.substring(1);
        }
        int c1 = s.indexOf(':');
        int c2 = s.indexOf(':', c1 + 1);
        int h = Integer.parseInt(s.substring(0, c1));
        int m = Integer.parseInt(s.substring(c1 + 1, c2));
        String rest = s.substring(c2 + 1);
        int dot = rest.indexOf('.');
        int sec = Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot));
        int micros = dot < 0 ? 0 : micros(rest.substring(dot + 1));
        return Value.DateTimeValue.time(sign * h, sign * m, sign * sec, sign * micros);
    }

    /** {@code YYYY-MM-DD hh:mm:ss[.f+]}, zero dates included. */
    static Value.DateTimeValue dateTime(String s) {
        int dot = s.indexOf('.', 19);
        return Value.DateTimeValue.dateTime(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
                Integer.parseInt(s.substring(8, 10)), Integer.parseInt(s.substring(11, 13)), Integer.parseInt(s.substring(14, 16)),
                Integer.parseInt(s.substring(17, 19)), dot < 0 ? 0 : micros(s.substring(dot + 1)));
    }

    /** TIMESTAMP text in UTC (session time_zone +00:00); the zero timestamp is epoch 0, as in the binlog. */
    static Value.TimestampValue timestamp(String s) {
        return timestamp(dateTime(s));
    }

    private static Value.TimestampValue timestamp(Value.DateTimeValue d) {
        if (d.year() == 0 && d.month() == 0 && d.day() == 0) return new Value.TimestampValue(0, d.millis());
        return new Value.TimestampValue(epochSecond(d.year(), d.month(), d.day(), d.hour(), d.minute(), d.second()), d.millis());
    }

    private static int monthLength(int y, int m) {
        if (m == 2) return java.time.Year.isLeap(y) ? 29 : 28;
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    /**
     * {@code LocalDateTime.of(...).toEpochSecond(UTC)} without its objects, for TIMESTAMP's range
     * (1970..2038, valid dates: MySQL stores nothing else but the zero timestamp); other input goes
     * through LocalDateTime, so an invalid date fails the same way.
     */
    static long epochSecond(int y, int m, int d, int h, int mi, int s) {
        if (y < 1970 || y > 2100 || m < 1 || m > 12 || d < 1 || d > monthLength(y, m) || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) {
            return LocalDateTime.of(y, m, d, h, mi, s).toEpochSecond(ZoneOffset.UTC);
        }
        // days from civil (Howard Hinnant's algorithm), as LocalDate.toEpochDay computes it
        int yy = m <= 2 ? y - 1 : y;
        int era = yy / 400;
        int yoe = yy - era * 400;
        int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        long days = era * 146097L + doe - 719468;
        return days * 86400 + h * 3600L + mi * 60L + s;
    }

    private static int micros(String fraction) {
        String f = (fraction + "000000").substring(0, 6);
        return Integer.parseInt(f);
    }

    /**
     * MySQL's JSON text re-written the way the binlog path writes a binary JSON document
     * (the binlog client's JsonStringFormatter): no spaces, members in stored order, integers as
     * they are, doubles by {@link Double#toString} unless that has an exponent (then plain digits).
     * {@code utf8}: the cell's bytes, read as they are where the fast path takes them.
     */
    static String json(byte[] utf8) {
        String compact = CompactJsonText.compact(utf8);
        return compact != null ? compact : parsedJson(new String(utf8, StandardCharsets.UTF_8));
    }

    /** The full path of {@link #json}: Jackson's tokens written out again. */
    static String parsedJson(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        try (JsonParser p = JSON.createParser(text)) {
            char[] kind = new char[512];
            boolean[] hasItem = new boolean[512];
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    sb.append(t == JsonToken.END_OBJECT ? '}' : ']');
                    depth--;
                    continue;
                }
                if (t == JsonToken.FIELD_NAME) {
                    if (hasItem[depth]) sb.append(',');
                    hasItem[depth] = true;
                    sb.append('"');
                    appendString(sb, p.getCurrentName());
                    sb.append("\":");
                    continue;
                }
                if (depth > 0 && kind[depth] == '[') {
                    if (hasItem[depth]) sb.append(',');
                    hasItem[depth] = true;
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        char open = t == JsonToken.START_OBJECT ? '{' : '[';
                        sb.append(open);
                        if (++depth >= kind.length) throw new IOException("nested too deeply");
                        kind[depth] = open;
                        hasItem[depth] = false;
                    }
                    case VALUE_STRING -> {
                        sb.append('"');
                        appendString(sb, p.getText());
                        sb.append('"');
                    }
                    case VALUE_NUMBER_INT -> sb.append(p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                            ? new BigDecimal(p.getBigIntegerValue()).toPlainString() : Long.toString(p.getLongValue()));
                    case VALUE_NUMBER_FLOAT -> sb.append(fractionText(p.getText()));
                    case VALUE_TRUE -> sb.append("true");
                    case VALUE_FALSE -> sb.append("false");
                    case VALUE_NULL -> sb.append("null");
                    default -> throw new IOException("unexpected JSON token " + t);
                }
            }
        } catch (IOException e) {
            throw new SluiceException("cannot read a JSON value of a SELECT: " + e.getMessage(), "report this with the value", e);
        }
        return sb.toString();
    }

    /**
     * A JSON number with a fraction or an exponent, as the binlog path writes it ({@code BinaryJsonText}):
     * a double as {@code Double.toString}, or the plain digits of its exact value where that has an
     * exponent; a DECIMAL the document holds (MySQL keeps it as its own type and prints it with its
     * scale) as it is, where the text cannot be a double's: a zero ending the fraction other than
     * {@code N.0} ({@code 1.50}), or more than 17 significant digits. Where a DECIMAL's text could be
     * a double's, it is read as one (the SELECT's text does not say which it was).
     */
    static String fractionText(String token) {
        if (decimalOnly(token)) return token;
        double d = Double.parseDouble(token);
        String str = Double.toString(d);
        return str.contains("E") ? new BigDecimal(d).toPlainString() : str;
    }

    /** Plain digits that no double prints as (see {@link #fractionText}). */
    private static boolean decimalOnly(String t) {
        int dot = t.indexOf('.');
        if (dot < 0 || t.indexOf('e') >= 0 || t.indexOf('E') >= 0) return false;
        if (t.charAt(t.length() - 1) == '0' && t.length() - dot > 2) return true;
        int significant = 0;
        boolean leading = true;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') continue;
            if (leading && c == '0') continue;
            leading = false;
            significant++;
        }
        return significant > 17;
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private static void appendString(StringBuilder sb, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
    }
}
