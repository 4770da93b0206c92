package io.sluice.format.dts;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte array with Avro's binary primitives (the spec's encoding, as Avro's
 * BinaryEncoder writes it): zig-zag varints, little-endian doubles, length-prefixed bytes and
 * UTF-8 strings. Text made of ASCII characters, the common case for DTS values (digits, decimals,
 * positions, JSON), is written straight into the array: its UTF-8 length is its char count, so
 * neither an intermediate byte[] nor a second copy is needed. Not thread-safe.
 */
final class AvroBytes {

    private byte[] buf;
    private int pos;
    /** The chars of the string being written: a bulk copy, then a plain array loop (cheaper than charAt per char). */
    private char[] chars = new char[256];

    AvroBytes(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    void reset() {
        pos = 0;
    }

    /** A copy of what was written since the last reset. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** Records up to this size are copied into a kept array of their exact size by {@link #toReusedArray}. */
    static final int REUSED_MAX = 2048;
    /** Index n: the array of n bytes {@link #toReusedArray} returned last (at most ~2 MB in all). */
    private final byte[][] reused = new byte[REUSED_MAX + 1][];

    /**
     * What was written since the last reset, in an array of exactly that size which the next call for the
     * same size overwrites (the Kafka producer takes {@code byte[]} values of their exact size and copies them
     * into its batch during the send: a record handed over at once needs no array of its own).
     */
    byte[] toReusedArray() {
        int n = pos;
        if (n > REUSED_MAX) return toByteArray();
        byte[] a = reused[n];
        if (a == null) reused[n] = a = new byte[n];
        System.arraycopy(buf, 0, a, 0, n);
        return a;
    }

    private void ensure(int more) {
        if (buf.length - pos < more) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
    }

    /** Avro int (and union index, enum index, array/map block count): zig-zag, then varint. */
    void writeInt(int n) {
        ensure(5);
        int v = (n << 1) ^ (n >> 31);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeLong(long n) {
        ensure(10);
        pos = putLong(buf, pos, n);
    }

    /** Writes {@code n} as an Avro long into {@code into} at {@code at}; returns the index after it. */
    static int putLong(byte[] into, int at, long n) {
        long v = (n << 1) ^ (n >> 63);
        while ((v & ~0x7FL) != 0) {
            into[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        into[at++] = (byte) v;
        return at;
    }

    /** How many bytes {@link #putLong} writes for {@code n}. */
    static int longSize(long n) {
        int size = 1;
        for (long v = ((n << 1) ^ (n >> 63)) >>> 7; v != 0; v >>>= 7) size++;
        return size;
    }

    /** IEEE 754 raw bits, little-endian (as Avro: NaN payloads are kept). */
    void writeDouble(double d) {
        ensure(8);
        long bits = Double.doubleToRawLongBits(d);
        for (int i = 0; i < 8; i++) {
            buf[pos++] = (byte) bits;
            bits >>>= 8;
        }
    }

    /** Where the next byte goes: an offset for {@link #writeCopy}. */
    int position() {
        return pos;
    }

    /** Writes again what was written from {@code from} to {@code to} (offsets from {@link #position}, since the last reset). */
    void writeCopy(int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(buf, from, buf, pos, n);
        pos += n;
    }

    /** Avro bytes: length, then the bytes. */
    void writeBytes(byte[] bytes) {
        writeInt(bytes.length);
        writeFixed(bytes);
    }

    /** Bytes already in Avro form (no length prefix). */
    void writeFixed(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    /** Avro string: UTF-8 length, then UTF-8 bytes; ASCII text goes straight into the array, without a temporary byte[]. */
    void writeString(String s) {
        int n = s.length();
        int start = pos;
        writeInt(n);
        ensure(n);
        if (chars.length < n) chars = new char[Math.max(n, 2 * chars.length)];
        char[] cs = chars;
        s.getChars(0, n, cs, 0);
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c >= 0x80) {
                pos = start;
                writeBytes(s.getBytes(StandardCharsets.UTF_8)); // same bytes (and replacements) as Avro's encoder
                return;
            }
            b[p + i] = (byte) c;
        }
        pos = p + n;
    }

    /**
     * An Avro string of the decimal digits of {@code value} followed by the UTF-8 bytes
     * {@code utf8Suffix}, e.g. a DTS position {@code 2196@4}: no String is built.
     */
    void writeDigitsThen(long value, byte[] utf8Suffix) {
        if (value < 0) {
            writeString(value + new String(utf8Suffix, StandardCharsets.UTF_8));
            return;
        }
        int digits = digitCount(value);
        writeInt(digits + utf8Suffix.length);
        ensure(digits + utf8Suffix.length);
        putDigits(buf, pos + digits, value);
        pos += digits;
        writeFixed(utf8Suffix);
    }

    /** "00", "01", ... "99": two digits per division, as Long.toString does. */
    private static final byte[] DIGIT_PAIRS = new byte[200];
    static {
        for (int i = 0; i < 100; i++) {
            DIGIT_PAIRS[2 * i] = (byte) ('0' + i / 10);
            DIGIT_PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** The Avro string {@code Long.toString(value)}, written without building the String. */
    void writeDecimal(long value) {
        if (value == Long.MIN_VALUE) { // its magnitude is no long
            writeString(Long.toString(value));
            return;
        }
        boolean negative = value < 0;
        long magnitude = negative ? -value : value;
        int size = digitCount(magnitude) + (negative ? 1 : 0);
        // the length varint and the text in one bound check (a size up to 20 is one varint byte)
        if (buf.length - pos < size + 1) ensure(size + 1);
        byte[] b = buf;
        b[pos] = (byte) (size << 1);
        int end = pos + 1 + size;
        int i = putDigits(b, end, magnitude);
        if (negative) b[i - 1] = '-';
        pos = end;
    }

    /**
     * The decimal digits of {@code magnitude} (not negative) into {@code b}, ending just before
     * {@code end}, two digits per division as Long.toString does; returns the index of the first digit.
     */
    private static int putDigits(byte[] b, int end, long magnitude) {
        int i = end;
        while (magnitude >= Integer.MAX_VALUE) { // long divisions only for the high digits
            long q = magnitude / 100;
            int r = (int) (magnitude - q * 100);
            b[--i] = DIGIT_PAIRS[2 * r + 1];
            b[--i] = DIGIT_PAIRS[2 * r];
            magnitude = q;
        }
        int m = (int) magnitude;
        while (m >= 100) {
            int q = m / 100;
            int r = m - q * 100;
            b[--i] = DIGIT_PAIRS[2 * r + 1];
            b[--i] = DIGIT_PAIRS[2 * r];
            m = q;
        }
        if (m >= 10) {
            b[--i] = DIGIT_PAIRS[2 * m + 1];
            b[--i] = DIGIT_PAIRS[2 * m];
        } else {
            b[--i] = (byte) ('0' + m);
        }
        return i;
    }

    /** 10^0 .. 10^18. */
    private static final long[] POWERS_OF_TEN = new long[19];
    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
    }

    /**
     * Decimal digits of a non-negative long, without a loop: from the bit length, {@code t} =
     * floor(bits * log10(2)) (1233/4096) is the digit count or one less; one comparison with 10^t decides.
     */
    static int digitCount(long nonNegative) {
        int bits = 64 - Long.numberOfLeadingZeros(nonNegative | 1);
        int t = (bits * 1233) >>> 12;
        return t == 0 ? 1 : t + (nonNegative >= POWERS_OF_TEN[t] ? 1 : 0);
    }
}
