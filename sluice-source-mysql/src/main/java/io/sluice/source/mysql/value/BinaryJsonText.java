package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

import java.io.IOException;

/**
 * MySQL's binary JSON as text, as the binlog client's {@link JsonBinary#parseAsString} writes it,
 * but cheaper and without its three bugs: documents of objects, arrays, literals, numbers and
 * strings (small or large) are read straight from the array, without the client's per-value boxed
 * type lookups, entry objects and stream reads, and written as UTF-8 by {@link JsonTextBytes}
 * (the client's formatter's escaping and number formats, no {@code String} per key or string).
 * Unlike the client, a UINT32 from 2^31 up is positive, a UINT32 inlined in a large container is
 * printed, keys are UTF-8 (not the platform charset), DECIMAL and temporal values MySQL keeps as its
 * own types ("opaque") are written as the server prints them ({@link #opaque}), and from MySQL 5.7 a
 * double without a fractional part as an integer: as the server prints them, so binlog and SELECT
 * (initialization) text agree. Everything else (other opaque types, MariaDB text, anything
 * malformed) goes to the client's parser for the whole document. {@code BinaryJsonTextTest}
 * compares both on random and damaged documents.
 */
final class BinaryJsonText {

    private static final int SMALL_OBJECT = 0x00, LARGE_OBJECT = 0x01, SMALL_ARRAY = 0x02, LARGE_ARRAY = 0x03, LITERAL = 0x04, INT16 = 0x05,
            UINT16 = 0x06, INT32 = 0x07, UINT32 = 0x08, INT64 = 0x09, UINT64 = 0x0a, DOUBLE = 0x0b, STRING = 0x0c, OPAQUE = 0x0f;
    /** MySQL field types of opaque values written here (others go to the client's parser). */
    private static final int FIELD_TIMESTAMP = 7, FIELD_DATE = 10, FIELD_TIME = 11, FIELD_DATETIME = 12, FIELD_NEWDECIMAL = 246;

    /** Thrown (without a stack trace) where the fast path stops: the client's parser takes over. */
    private static final class NotHandled extends RuntimeException {
        NotHandled() {
            super(null, null, false, false);
        }
    }

    private static final NotHandled NOT_HANDLED = new NotHandled();
    /** MySQL nests at most 100 levels; deeper means damaged (offsets may even loop): the client's parser decides. */
    private static final int MAX_DEPTH = 100;

    /** Each thread's text buffer, reused from one document to the next (the reader's thread makes every binlog cell's text). */
    private static final ThreadLocal<JsonTextBytes> OUT = ThreadLocal.withInitial(() -> new JsonTextBytes(256));

    private BinaryJsonText() {}

    /** A non-empty binary JSON cell as text. */
    static String text(byte[] binary) throws IOException {
        return text(binary, false);
    }

    /**
     * A non-empty binary JSON cell as text; {@code integralDoublesAsIntegers}: as MySQL 5.7 prints
     * doubles ({@link JsonTextBytes#value(double)}).
     */
    static String text(byte[] binary, boolean integralDoublesAsIntegers) throws IOException {
        if (binary[0] >= 0 && binary[0] <= 0x0f) { // above 0x0f, the client reads MariaDB's JSON text
            JsonTextBytes out = OUT.get().reset(integralDoublesAsIntegers);
            try {
                value(binary, binary[0], 1, out, 0);
                return out.text();
            } catch (NotHandled | IndexOutOfBoundsException e) {
                out.dropIfLarge(); // and fall through: the client's parser decides
            }
        }
        return JsonBinary.parseAsString(binary);
    }

    /** The value of {@code type} whose data starts at {@code at}. */
    private static void value(byte[] b, int type, int at, JsonTextBytes out, int depth) {
        switch (type) {
            case SMALL_OBJECT -> container(b, at, true, 2, out, depth + 1);
            case LARGE_OBJECT -> container(b, at, true, 4, out, depth + 1);
            case SMALL_ARRAY -> container(b, at, false, 2, out, depth + 1);
            case LARGE_ARRAY -> container(b, at, false, 4, out, depth + 1);
            case LITERAL -> literal(b[at], out);
            case INT16 -> out.value((short) u16(b, at));
            case UINT16 -> out.value(u16(b, at));
            case INT32 -> out.value(i32(b, at));
            case UINT32 -> out.value(i32(b, at) & 0xFFFFFFFFL); // the client sign-extends: 2^31 and up came out negative
            case INT64 -> out.value(i64(b, at));
            case UINT64 -> out.valueUnsigned(i64(b, at));
            case DOUBLE -> out.value(Double.longBitsToDouble(i64(b, at)));
            case STRING -> string(b, at, out);
            case OPAQUE -> opaque(b, at, out);
            default -> throw NOT_HANDLED; // unknown types
        }
    }

    /**
     * A value MySQL keeps as its own type: the field type, the data's length (7 bits per byte, low
     * first), the data. Written as the server prints it in a SELECT, so that an initialization's text
     * is the same: {@code DECIMAL} with its scale ({@code 1.50}), temporal values in quotes with six
     * fractional digits ({@code "2020-01-02 03:04:05.678000"}, {@code "-12:34:56.500000"}, a {@code DATE}
     * as {@code "2020-01-02"}). Other opaque types (BLOBs, geometry, YEAR, ...): the client's parser.
     */
    private static void opaque(byte[] b, int at, JsonTextBytes out) {
        int fieldType = b[at] & 0xFF;
        int p = at + 1;
        long length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28) throw NOT_HANDLED;
            int x = b[p++] & 0xFF;
            length |= (long) (x & 0x7F) << shift;
            if ((x & 0x80) == 0) break;
        }
        if (length > b.length - p) throw NOT_HANDLED;
        switch (fieldType) {
            case FIELD_DATE, FIELD_DATETIME, FIELD_TIMESTAMP, FIELD_TIME -> {
                if (length != 8) throw NOT_HANDLED;
                out.temporal(fieldType == FIELD_TIME ? JsonTextBytes.Temporal.TIME
                        : fieldType == FIELD_DATE ? JsonTextBytes.Temporal.DATE : JsonTextBytes.Temporal.DATETIME, i64(b, p));
            }
            case FIELD_NEWDECIMAL -> {
                if (length < 2) throw NOT_HANDLED;
                int precision = b[p] & 0xFF, scale = b[p + 1] & 0xFF;
                if (precision < 1 || precision > 65 || scale > 30 || scale > precision) throw NOT_HANDLED;
                byte[] digits = java.util.Arrays.copyOfRange(b, p + 2, p + (int) length);
                try {
                    out.number(AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, digits).toPlainString());
                } catch (RuntimeException e) {
                    throw NOT_HANDLED; // damaged: the client decides
                }
            }
            default -> throw NOT_HANDLED;
        }
    }

    /**
     * An object or array: element count and byte size ({@code w} bytes each: 2 small, 4 large), for
     * an object the key entries (offset, {@code w} bytes, and length, 2 bytes), then the value
     * entries (type, then an inline value or the value's offset, {@code w} bytes), all offsets from
     * {@code at}. Inline: literals and 16-bit integers, in large containers also 32-bit ones.
     */
    private static void container(byte[] b, int at, boolean object, int w, JsonTextBytes out, int depth) {
        if (depth > MAX_DEPTH) throw NOT_HANDLED;
        long count = unsigned(b, at, w);
        long size = unsigned(b, at + w, w);
        if (count > b.length || size > b.length) throw NOT_HANDLED; // damaged: the client decides
        int keyEntries = at + 2 * w;
        int valueEntries = keyEntries + (object ? (w + 2) * (int) count : 0);
        int keyCursor = valueEntries + (1 + w) * (int) count; // keys follow the entries, in order
        out.put(object ? '{' : '[');
        for (int i = 0; i < count; i++) {
            if (i > 0) out.put(',');
            if (object) {
                long keyOffset = unsigned(b, keyEntries + (w + 2) * i, w);
                int keyLength = u16(b, keyEntries + (w + 2) * i + w);
                if (keyOffset > size || at + keyOffset < keyCursor) throw NOT_HANDLED;
                keyCursor = at + (int) keyOffset + keyLength;
                if (keyCursor > b.length) throw NOT_HANDLED;
                out.name(b, at + (int) keyOffset, keyLength);
            }
            int entry = valueEntries + (1 + w) * i;
            int type = b[entry];
            switch (type) {
                case LITERAL -> literal(b[entry + 1], out);
                case INT16 -> out.value((short) u16(b, entry + 1));
                case UINT16 -> out.value(u16(b, entry + 1));
                case INT32, UINT32 -> {
                    if (w == 4) value(b, type, entry + 1, out, depth);
                    else offsetValue(b, at, type, unsigned(b, entry + 1, w), size, out, depth);
                }
                default -> offsetValue(b, at, type, unsigned(b, entry + 1, w), size, out, depth);
            }
        }
        out.put(object ? '}' : ']');
    }

    private static void offsetValue(byte[] b, int at, int type, long offset, long size, JsonTextBytes out, int depth) {
        if (offset >= size) throw NOT_HANDLED;
        value(b, type, at + (int) offset, out, depth);
    }

    private static long unsigned(byte[] b, int at, int w) {
        return w == 2 ? u16(b, at) : i32(b, at) & 0xFFFFFFFFL;
    }

    private static void literal(byte literal, JsonTextBytes out) {
        switch (literal) {
            case 0 -> out.valueNull();
            case 1 -> out.value(true);
            case 2 -> out.value(false);
            default -> throw NOT_HANDLED;
        }
    }

    /** Length as a varint of up to 5 bytes, then UTF-8. */
    private static void string(byte[] b, int at, JsonTextBytes out) {
        int length = 0;
        for (int i = 0; ; i++) {
            if (i == 5) throw NOT_HANDLED;
            byte x = b[at++];
            length |= (x & 0x7F) << (7 * i);
            if ((x & 0x80) == 0) break;
        }
        if (length < 0 || length > b.length - at) throw NOT_HANDLED;
        out.string(b, at, length);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int i32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | b[at + 3] << 24;
    }

    private static long i64(byte[] b, int at) {
        return (i32(b, at) & 0xFFFFFFFFL) | (long) i32(b, at + 4) << 32;
    }
}
