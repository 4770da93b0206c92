package io.sluice.source.mysql.value;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON text written as UTF-8 bytes, character for character what the binlog client's
 * {@code JsonStringFormatter} writes (its escapes: a backslash before {@code "}, backslash and
 * {@code b t f n r}; other control characters as a backslash, {@code u00} and two upper-case hex
 * digits; numbers and literals as it prints them), without a {@code String} per key or string value
 * and without a {@code StringBuilder}.
 * Strings arrive as the UTF-8 bytes MySQL stores: well-formed ones are copied as they are (an
 * escaped character is always a single ASCII byte, never part of a multi-byte sequence); a
 * malformed one goes through a {@code String} as the client's did, so its replacement characters
 * are the same. Not thread-safe: one per thread, {@link #reset} between documents.
 */
final class JsonTextBytes {

    /** For each ASCII byte: 0 written as is, a letter written after a backslash, -1 written as backslash, u00, two hex digits. */
    private static final byte[] ESCAPES = new byte[128];
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = {'n', 'u', 'l', 'l'}, TRUE = {'t', 'r', 'u', 'e'}, FALSE = {'f', 'a', 'l', 's', 'e'};

    static {
        for (int i = 0; i < 0x20; i++) ESCAPES[i] = -1;
        ESCAPES['"'] = '"';
        ESCAPES['\\'] = '\\';
        ESCAPES['\b'] = 'b';
        ESCAPES['\t'] = 't';
        ESCAPES['\f'] = 'f';
        ESCAPES['\n'] = 'n';
        ESCAPES['\r'] = 'r';
    }

    private byte[] buf;
    private int n;
    /** MySQL 5.7's way: a double without a fractional part printed as an integer (see {@link #value(double)}). */
    private boolean integralDoublesAsIntegers;

    JsonTextBytes(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Empty again, for the next document, printing integral doubles as integers or not ({@link #value(double)}). */
    JsonTextBytes reset(boolean integralDoublesAsIntegers) {
        n = 0;
        this.integralDoublesAsIntegers = integralDoublesAsIntegers;
        return this;
    }

    /** The text written so far; then {@link #dropIfLarge}. */
    String text() {
        String text = new String(buf, 0, n, StandardCharsets.UTF_8);
        dropIfLarge();
        return text;
    }

    /** Lets go of a buffer a large document grew past 64 KB, so a thread does not keep it until its next document. */
    void dropIfLarge() {
        if (buf.length > 1 << 16) {
            buf = new byte[256];
            n = 0;
        }
    }

    /** The buffer's size (tests). */
    int capacity() {
        return buf.length;
    }

    private void ensure(int more) {
        if (buf.length - n < more) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
    }

    void put(char ascii) {
        ensure(1);
        buf[n++] = (byte) ascii;
    }

    private void putAscii(byte[] ascii) {
        ensure(ascii.length);
        System.arraycopy(ascii, 0, buf, n, ascii.length);
        n += ascii.length;
    }

    private void putAscii(String ascii) {
        int length = ascii.length();
        ensure(length);
        for (int i = 0; i < length; i++) buf[n++] = (byte) ascii.charAt(i);
    }

    /** An object member's name: {@code "name":}. */
    void name(byte[] utf8, int at, int length) {
        string(utf8, at, length);
        put(':');
    }

    /** A string value in quotes, escaped. */
    void string(byte[] utf8, int at, int length) {
        put('"');
        if (wellFormedUtf8(utf8, at, length)) {
            escaped(utf8, at, length);
        } else { // the client decoded it to a String: the same replacement characters
            byte[] decoded = new String(utf8, at, length, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            escaped(decoded, 0, decoded.length);
        }
        put('"');
    }

    private void escaped(byte[] utf8, int at, int length) {
        ensure(length);
        byte[] b = buf;
        int p = n;
        for (int i = at, end = at + length; i < end; i++) {
            byte c = utf8[i];
            if (c < 0 || ESCAPES[c] == 0) { // room for every byte left was ensured
                b[p++] = c;
                continue;
            }
            n = p;
            ensure(6 + end - i); // the escape, and again one byte for every byte left
            b = buf;
            b[p++] = '\\';
            if (ESCAPES[c] > 0) {
                b[p++] = ESCAPES[c];
            } else {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        n = p;
    }

    /**
     * Whether the bytes are UTF-8 that Java's decoder takes as it is (Unicode's well-formed
     * sequences: no overlong forms, no surrogates, nothing above U+10FFFF, nothing cut short).
     */
    static boolean wellFormedUtf8(byte[] b, int at, int length) {
        int i = at, end = at + length;
        while (i < end) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xFF;
            int more, min = 0x80, max = 0xBF; // the range of the byte after the lead byte
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                more = 2;
                if (c == 0xE0) min = 0xA0;
                else if (c == 0xED) max = 0x9F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                more = 3;
                if (c == 0xF0) min = 0x90;
                else if (c == 0xF4) max = 0x8F;
            } else {
                return false;
            }
            if (end - i <= more) return false;
            int second = b[i + 1] & 0xFF;
            if (second < min || second > max) return false;
            for (int k = 2; k <= more; k++) {
                if ((b[i + k] & 0xC0) != 0x80) return false;
            }
            i += more + 1;
        }
        return true;
    }

    void valueNull() { putAscii(NULL); }

    void value(boolean v) { putAscii(v ? TRUE : FALSE); }

    /** A signed integer's decimal digits. */
    void value(long v) {
        if (v == Long.MIN_VALUE) {
            putAscii(Long.toString(v));
            return;
        }
        ensure(20);
        if (v < 0) {
            buf[n++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) digits++;
        int p = n + digits;
        n = p;
        do {
            buf[--p] = (byte) ('0' + (int) (v % 10));
            v /= 10;
        } while (v != 0);
    }

    /** A number's text as it is (ASCII). */
    void number(String ascii) {
        putAscii(ascii);
    }

    /** The temporal types of opaque values, by how the server prints them. */
    enum Temporal { DATE, TIME, DATETIME }

    /**
     * A temporal value in MySQL's packed form (its {@code TIME_to_longlong_*_packed}: the fraction in
     * the low 24 bits, above it {@code ((year * 13 + month) << 5 | day) << 17 | hour << 12 | minute << 6 | second},
     * negative for a negative TIME) in quotes, as the server prints it: {@code YYYY-MM-DD},
     * {@code [-]HH:MM:SS.ffffff}, {@code YYYY-MM-DD HH:MM:SS.ffffff}.
     */
    void temporal(Temporal kind, long packed) {
        boolean negative = packed < 0;
        long v = negative ? -packed : packed;
        int fraction = (int) (v & 0xFFFFFF);
        long whole = v >>> 24;
        int second = (int) (whole & 63), minute = (int) (whole >>> 6 & 63);
        put('"');
        if (kind == Temporal.TIME) {
            if (negative) put('-');
            digits(whole >>> 12 & 1023, 2); // up to 838 hours
        } else {
            long ymd = whole >>> 17;
            long yearMonth = ymd >>> 5;
            digits(yearMonth / 13, 4);
            put('-');
            digits(yearMonth % 13, 2);
            put('-');
            digits(ymd & 31, 2);
            if (kind == Temporal.DATE) {
                put('"');
                return;
            }
            put(' ');
            digits(whole >>> 12 & 31, 2);
        }
        put(':');
        digits(minute, 2);
        put(':');
        digits(second, 2);
        put('.');
        digits(fraction, 6);
        put('"');
    }

    /** {@code v} (not negative) in at least {@code width} digits, zero-padded. */
    private void digits(long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) put('0');
        putAscii(s);
    }

    /** An unsigned 64-bit integer's decimal digits. */
    void valueUnsigned(long v) {
        if (v >= 0) value(v);
        else putAscii(Long.toUnsignedString(v));
    }

    /**
     * {@code Double.toString}, or the plain digits of its exact value where that has an exponent (as the client).
     * With {@code integralDoublesAsIntegers} (MySQL 5.7), a double without a fractional part is its
     * integer's digits ({@code -4999.0} is {@code -4999}, {@code -0.0} is {@code 0}): 5.7 prints it so in a
     * SELECT, where nothing says it was a double, and an initialization's records read that text.
     */
    void value(double d) {
        if (integralDoublesAsIntegers && d == Math.rint(d) && Math.abs(d) < 1e7) { // from 1e7 up, both ways give the integer's digits
            value((long) d);
            return;
        }
        String s = Double.toString(d);
        putAscii(s.indexOf('E') >= 0 ? new BigDecimal(d).toPlainString() : s);
    }
}
