package io.sluice.source.mysql.value;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonStringFormatter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link BinaryJsonText} must give exactly what the binlog client's {@link JsonBinary#parseAsString}
 * gives (text, or the same kind of failure): random documents in MySQL's binary JSON layout, then
 * the same documents with damaged or missing bytes.
 */
class BinaryJsonTextTest {

    /** One encoded value: its type byte and its data (for inline values, the 2 inline bytes). */
    private record Encoded(int type, byte[] data, boolean inline) {}

    private static final String[] TEXTS = {"", "a", "k", "name", "é", "日本", "\"q\"", "back\\slash", "tab\there",
            "line\nbreak", "nul\u0000", "\u001f\u007f", "emoji \uD83D\uDE00", "x".repeat(200)};

    private final SplittableRandom rnd = new SplittableRandom(7);

    @Test
    void sameTextAsTheClientOnRandomDocuments() throws Exception {
        for (int i = 0; i < 20_000; i++) {
            byte[] doc = document();
            assertEquals(outcome(() -> JsonBinary.parseAsString(doc)), outcome(() -> BinaryJsonText.text(doc)),
                    () -> "document " + Arrays.toString(doc));
        }
    }

    @Test
    void sameOutcomeAsTheClientOnDamagedDocuments() throws Exception {
        for (int i = 0; i < 15_000; i++) {
            byte[] doc = document();
            byte[] damaged = rnd.nextInt(4) == 0 ? Arrays.copyOf(doc, rnd.nextInt(1, doc.length + 1)) : doc.clone();
            for (int flips = rnd.nextInt(1, 4); flips > 0; flips--) {
                int at = rnd.nextInt(damaged.length);
                damaged[at] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : (byte) (damaged[at] + rnd.nextInt(-2, 3));
            }
            if (!comparable(damaged, damaged[0], 1, 0, new int[]{5000})) continue;
            assertEquals(outcome(() -> JsonBinary.parseAsString(damaged)), outcome(() -> BinaryJsonText.text(damaged)),
                    () -> "document " + Arrays.toString(damaged));
        }
    }

    /**
     * Whether a damaged document is worth comparing: only small containers (large ones always go
     * to the client, and a damaged 4-byte count makes it allocate gigabytes), and the client's
     * parser must end: damage can make a value offset point back at its container (endless
     * recursion) or fan out into too many visits, and a string's damaged length must stay small. Follows the offsets the way the client does.
     */
    private static boolean comparable(byte[] b, int type, int at, int depth, int[] budget) {
        if (type == 1 || type == 3) return false;
        if (type == 0x0c) return stringLength(b, at) < 1 << 16; // the client allocates the stated length first
        if (type == 0x08) return at + 3 >= b.length || (b[at + 3] & 0x80) == 0; // the client is wrong from 2^31
        if (type != 0 && type != 2) return true; // other scalars end
        if (depth > 60 || --budget[0] < 0) return false;
        int w = 2;
        boolean object = type == 0;
        if (at + 2 * w + 1 > b.length) return true; // the client fails on the missing bytes
        int count = (int) Math.min(le(b, at, w), 1000);
        for (int i = 0; object && i < count && at + 2 * w + i * (w + 2) + w + 2 <= b.length; i++) {
            long keyAt = at + le(b, at + 2 * w + i * (w + 2), w);
            long keyLength = le(b, at + 2 * w + i * (w + 2) + w, 2);
            for (long k = keyAt; k < Math.min(keyAt + keyLength, b.length); k++) {
                if (b[(int) k] < 0) return false; // not ASCII: the client decodes keys with the platform charset
            }
        }
        int entries = at + 2 * w + (object ? count * (w + 2) : 0);
        for (int i = 0; i < count; i++) {
            int e = entries + i * (1 + w);
            if (e + 1 + w > b.length) return true;
            if (--budget[0] < 0) return false;
            int t = b[e];
            boolean inline = t == 4 || t == 5 || t == 6;
            long child = at + le(b, e + 1, w);
            if (!inline && child < b.length && !comparable(b, t, (int) child, depth + 1, budget)) {
                return false;
            }
        }
        return true;
    }

    private static long stringLength(byte[] b, int at) {
        long length = 0;
        for (int i = 0; i < 5 && at + i < b.length; i++) {
            length |= (long) (b[at + i] & 0x7F) << (7 * i);
            if ((b[at + i] & 0x80) == 0) break;
        }
        return length;
    }

    private static long le(byte[] b, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = v << 8 | (b[at + i] & 0xFF);
        return v;
    }

    /**
     * Strings and keys are copied as their UTF-8 bytes where Java's decoder would take them as they
     * are: random byte strings (mostly malformed UTF-8) give what the client's formatter gave for the
     * decoded {@code String} (its replacement characters and escapes), and the well-formedness check
     * agrees with the decoder on every one.
     */
    @Test
    void stringsOfAnyBytesAsTheClientsFormatterWritesTheirDecodedText() throws Exception {
        for (int i = 0; i < 50_000; i++) {
            byte[] bytes = new byte[rnd.nextInt(12)];
            for (int k = 0; k < bytes.length; k++) {
                int kind = rnd.nextInt(4);
                bytes[k] = (byte) (kind == 0 ? rnd.nextInt(0x20) : kind == 1 ? rnd.nextInt(0x80, 0xC0) : rnd.nextInt(256));
            }
            String decoded = new String(bytes, StandardCharsets.UTF_8);
            assertEquals(Arrays.equals(decoded.getBytes(StandardCharsets.UTF_8), bytes), JsonTextBytes.wellFormedUtf8(bytes, 0, bytes.length),
                    () -> Arrays.toString(bytes));
            JsonStringFormatter expected = new JsonStringFormatter();
            expected.beginObject(1);
            expected.name(decoded);
            expected.value(decoded);
            expected.endObject();
            byte[] object = objectOfOneString(bytes, bytes);
            byte[] doc = new byte[object.length + 1]; // type 0x00: small object
            System.arraycopy(object, 0, doc, 1, object.length);
            assertEquals(expected.getString(), BinaryJsonText.text(doc), () -> Arrays.toString(bytes));
        }
    }

    /** A small object of one member: the key's bytes, the value a string of {@code value}'s bytes. */
    private static byte[] objectOfOneString(byte[] key, byte[] value) {
        byte[] stringData = string(value);
        int headerSize = 4 + 4 + 3;
        int size = headerSize + key.length + stringData.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(1, 2));
        out.writeBytes(le(size, 2));
        out.writeBytes(le(headerSize, 2));
        out.writeBytes(le(key.length, 2));
        out.write(0x0c);
        out.writeBytes(le(headerSize + key.length, 2));
        out.writeBytes(key);
        out.writeBytes(stringData);
        return out.toByteArray();
    }

    /** A large document's text is whole, the buffer it grew is not kept, and the next small document is not mixed with it. */
    @Test
    void largeDocumentThenSmallOne() throws Exception {
        String big = "\"".repeat(10) + "x".repeat(200_000);
        byte[] stringDoc = string(big.getBytes(StandardCharsets.UTF_8));
        byte[] doc = new byte[stringDoc.length + 1];
        doc[0] = 0x0c;
        System.arraycopy(stringDoc, 0, doc, 1, stringDoc.length);
        assertEquals("\"" + "\\\"".repeat(10) + "x".repeat(200_000) + "\"", BinaryJsonText.text(doc));
        JsonTextBytes out = new JsonTextBytes(16);
        out.string(big.getBytes(StandardCharsets.UTF_8), 0, big.length());
        assertEquals(200_022, out.text().length()); // quotes, 10 escaped quotes, the x-es
        assertEquals(256, out.capacity());
        assertEquals("[1,\"x\"]", BinaryJsonText.text(new byte[]{0x02, 2, 0, 12, 0, 0x05, 1, 0, 0x0c, 10, 0, 1, 'x'}));
    }

    /**
     * A stream's JSON text is the initialization's for the same document: MySQL 5.7 prints a double
     * without a fractional part as an integer (an initialization reads that text and cannot tell), 8.0
     * with {@code .0}; each is what the initialization's {@link JdbcValues#json} makes of that server's text.
     */
    @Test
    void doublesAsTheServerPrintsThem() throws Exception {
        double[] doubles = {-4999.0, -0.0, 0.0, 1234567.0, 9999999.0, 12345678.0, 1.5, 1e20, -1e-7, 4.5e15};
        int n = doubles.length, dataAt = 4 + 3 * n;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + dataAt + 8 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x02).putShort((short) n).putShort((short) (dataAt + 8 * n)); // small array: count, size
        for (int i = 0; i < n; i++) b.put((byte) 0x0b).putShort((short) (dataAt + 8 * i)); // DOUBLE at its offset
        for (double d : doubles) b.putDouble(d);
        byte[] doc = b.array();
        // the servers' own text of this document (SELECT of the column)
        String mysql57 = "[-4999, -0, 0, 1234567, 9999999, 12345678, 1.5, 1e20, -1e-7, 4.5e15]";
        String mysql80 = "[-4999.0, -0.0, 0.0, 1234567.0, 9999999.0, 12345678.0, 1.5, 1e20, -1e-7, 4.5e15]";
        assertEquals(JdbcValues.json(mysql57.getBytes(StandardCharsets.UTF_8)), BinaryJsonText.text(doc, true));
        assertEquals(JdbcValues.json(mysql80.getBytes(StandardCharsets.UTF_8)), BinaryJsonText.text(doc, false));
        String small = new java.math.BigDecimal(-1e-7).toPlainString(); // an exponent in Double.toString: the exact digits
        assertEquals("[-4999,0,0,1234567,9999999,12345678,1.5,100000000000000000000," + small + ",4500000000000000]",
                BinaryJsonText.text(doc, true));
        assertEquals("[-4999.0,-0.0,0.0,1234567.0,9999999.0,12345678,1.5,100000000000000000000," + small + ",4500000000000000]",
                BinaryJsonText.text(doc));
    }

    /**
     * Values MySQL keeps in a document as its own types are written as its SELECT prints them (what an
     * initialization reads): DECIMAL with its scale, temporal values with six fractional digits.
     */
    @Test
    void opaqueValuesAsTheServerPrintsThem() throws Exception {
        long ymd = (2020L * 13 + 1) << 5 | 2, hms = 3 << 12 | 4 << 6 | 5;
        long datetime = (ymd << 17 | hms) << 24 | 678_000, date = ymd << 17 << 24;
        long time = -(((12L << 12 | 34 << 6 | 56) << 24) | 500_000), longTime = (838L << 12 | 59 << 6 | 59) << 24;
        java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
        java.util.List<Integer> offsets = new java.util.ArrayList<>();
        int n = 5, dataAt = 4 + 3 * n;
        byte[][] values = {
                {(byte) 246, 4, 4, 2, (byte) 0x81, 0x32}, // DECIMAL(4,2) 1.50: precision, scale, digits
                opaque(12, datetime), opaque(10, date), opaque(11, time), opaque(11, longTime)};
        for (byte[] v : values) {
            offsets.add(dataAt + data.size());
            data.writeBytes(v);
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1 + dataAt + data.size()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x02).putShort((short) n).putShort((short) (dataAt + data.size()));
        for (int offset : offsets) b.put((byte) 0x0f).putShort((short) offset);
        b.put(data.toByteArray());
        assertEquals("[1.50,\"2020-01-02 03:04:05.678000\",\"2020-01-02\",\"-12:34:56.500000\",\"838:59:59.000000\"]",
                BinaryJsonText.text(b.array()));
        // and an initialization, reading the server's text of it, writes the same
        assertEquals(BinaryJsonText.text(b.array()), JdbcValues.json(
                "[1.50, \"2020-01-02 03:04:05.678000\", \"2020-01-02\", \"-12:34:56.500000\", \"838:59:59.000000\"]"
                        .getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] opaque(int fieldType, long packed) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return b.put((byte) fieldType).put((byte) 8).putLong(packed).array();
    }

    @Test
    void knownDocuments() throws Exception {
        // {"a":1}: small object, 1 element, 12 bytes, key at 11 (length 1), int16 1 inline, key "a"
        assertEquals("{\"a\":1}", BinaryJsonText.text(new byte[]{0x00, 1, 0, 12, 0, 11, 0, 1, 0, 0x05, 1, 0, 'a'}));
        // [1,"x"]: small array, int16 inline, string at offset 10
        assertEquals("[1,\"x\"]", BinaryJsonText.text(new byte[]{0x02, 2, 0, 12, 0, 0x05, 1, 0, 0x0c, 10, 0, 1, 'x'}));
        assertEquals("\"a\\\"b\\u001F\"", BinaryJsonText.text(new byte[]{0x0c, 4, 'a', '"', 'b', 0x1f}));
        assertEquals("18446744073709551615", BinaryJsonText.text(new byte[]{0x0a, -1, -1, -1, -1, -1, -1, -1, -1}));
        assertEquals("-32768", BinaryJsonText.text(new byte[]{0x05, 0, (byte) 0x80}));
    }

    /** Where the client is wrong, the text is the server's (what a SELECT of the column prints). */
    @Test
    void unsignedThirtyTwoBitValuesUtf8KeysAndLargeContainersAsTheServerPrintsThem() throws Exception {
        assertEquals("4294967295", BinaryJsonText.text(new byte[]{0x08, -1, -1, -1, -1}));
        assertEquals("2147483648", BinaryJsonText.text(new byte[]{0x08, 0, 0, 0, (byte) 0x80}));
        // {"é":1}: the key is UTF-8 whatever the platform charset
        assertEquals("{\"\u00e9\":1}", BinaryJsonText.text(new byte[]{0x00, 1, 0, 13, 0, 11, 0, 2, 0, 0x05, 1, 0, (byte) 0xC3, (byte) 0xA9}));
        // large object {"a": uint32 max inline, "b": int32 -5 inline, "c": "x"}: 4-byte counts, offsets and inline values
        assertEquals("{\"a\":4294967295,\"b\":-5,\"c\":\"x\"}", BinaryJsonText.text(new byte[]{0x01, 3, 0, 0, 0, 46, 0, 0, 0,
                41, 0, 0, 0, 1, 0, 42, 0, 0, 0, 1, 0, 43, 0, 0, 0, 1, 0,
                0x08, -1, -1, -1, -1, 0x07, (byte) 0xFB, -1, -1, -1, 0x0c, 44, 0, 0, 0,
                'a', 'b', 'c', 1, 'x'}));
        // large array [1, true]
        assertEquals("[1,true]", BinaryJsonText.text(new byte[]{0x03, 2, 0, 0, 0, 18, 0, 0, 0, 0x05, 1, 0, 0, 0, 0x04, 1, 0, 0, 0}));
    }

    private interface Parse { String run() throws Exception; }

    private static String outcome(Parse p) {
        try {
            return "text " + p.run();
        } catch (Exception | OutOfMemoryError e) { // the client allocates a damaged string length before reading it
            return "failure " + e.getClass().getSimpleName();
        }
    }

    private byte[] document() {
        Encoded root = value(0);
        if (root.inline) { // a top-level int16/literal is stored at full width
            root = new Encoded(root.type, root.type == 0x04 ? new byte[]{root.data[0]} : root.data, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(root.type);
        out.writeBytes(root.data);
        return out.toByteArray();
    }

    private Encoded value(int depth) {
        int kind = rnd.nextInt(depth > 3 ? 10 : 13);
        return switch (kind) {
            case 0 -> new Encoded(0x04, new byte[]{(byte) rnd.nextInt(3), 0}, true);
            case 1 -> new Encoded(0x05, le(rnd.nextInt(), 2), true);
            case 2 -> new Encoded(0x06, le(rnd.nextInt(), 2), true);
            case 3 -> new Encoded(0x07, le(rnd.nextInt(), 4), false);
            case 4 -> new Encoded(0x08, le(rnd.nextInt() & 0x7FFFFFFF, 4), false); // the client is wrong from 2^31 (knownDocuments)
            case 5 -> new Encoded(0x09, le(rnd.nextLong(), 8), false);
            case 6 -> new Encoded(0x0a, le(rnd.nextLong(), 8), false);
            case 7 -> new Encoded(0x0b, le(Double.doubleToRawLongBits(rnd.nextBoolean()
                    ? rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30)) : Double.longBitsToDouble(rnd.nextLong())), 8), false);
            case 8 -> string(text());
            // opaque (0x0f): a DECIMAL 1.5 as the server stores it (precision 2, scale 1); the client's path
            case 9 -> new Encoded(0x0f, new byte[]{(byte) 246, 4, 2, 1, (byte) 0x81, 0x05}, false);
            default -> container(depth + 1, kind == 10);
        };
    }

    private String text() {
        if (rnd.nextBoolean()) return TEXTS[rnd.nextInt(TEXTS.length)];
        StringBuilder sb = new StringBuilder();
        for (int n = rnd.nextInt(12); n > 0; n--) sb.append((char) rnd.nextInt(0x20, 0x7f));
        return sb.toString();
    }

    /** ASCII: the client decodes keys with the platform charset (knownDocuments checks UTF-8 keys). */
    private String keyText() {
        String t = text();
        return t.chars().allMatch(c -> c < 0x80) ? t : "k";
    }

    private static Encoded string(String s) {
        return new Encoded(0x0c, string(s.getBytes(StandardCharsets.UTF_8)), false);
    }

    /** A string's data: its length as a varint, then its bytes. */
    private static byte[] string(byte[] utf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = utf8.length;
        do {
            out.write((n & 0x7F) | (n > 0x7F ? 0x80 : 0));
            n >>>= 7;
        } while (n != 0);
        out.writeBytes(utf8);
        return out.toByteArray();
    }

    /** A small object (keys, then values) or array, offsets from the byte after its type. */
    private Encoded container(int depth, boolean object) {
        int count = rnd.nextInt(6);
        List<byte[]> keys = new ArrayList<>();
        List<Encoded> values = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(keyText().getBytes(StandardCharsets.UTF_8));
            values.add(value(depth));
        }
        int headerSize = 4 + (object ? 4 * count : 0) + 3 * count;
        int keyBytes = object ? keys.stream().mapToInt(k -> k.length).sum() : 0;
        int size = headerSize + keyBytes + values.stream().filter(v -> !v.inline).mapToInt(v -> v.data.length).sum();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(le(count, 2));
        out.writeBytes(le(size, 2));
        int keyAt = headerSize;
        if (object) {
            for (byte[] k : keys) {
                out.writeBytes(le(keyAt, 2));
                out.writeBytes(le(k.length, 2));
                keyAt += k.length;
            }
        }
        int valueAt = headerSize + keyBytes;
        for (Encoded v : values) {
            out.write(v.type);
            if (v.inline) {
                out.writeBytes(v.data);
            } else {
                out.writeBytes(le(valueAt, 2));
                valueAt += v.data.length;
            }
        }
        if (object) keys.forEach(out::writeBytes);
        values.stream().filter(v -> !v.inline).forEach(v -> out.writeBytes(v.data));
        return new Encoded(object ? 0x00 : 0x02, out.toByteArray(), false);
    }

    private static byte[] le(long v, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) b[i] = (byte) (v >>> (8 * i));
        return b;
    }
}
