package io.sluice.format.json;

import java.nio.charset.StandardCharsets;

/**
 * Replaces the decimal digits of a record's id in encoded JSON: the digits right after a marker
 * ({@code {"id":} at the start of a Canal message, {@code "sequence":"} in a Debezium source block).
 * The marker holds unescaped quotes, so it cannot occur inside a JSON string (user data).
 */
final class IdPatch {

    private IdPatch() {}

    /** The index of the first digit after {@code marker}, searching from the start or (lastOne) from the end. */
    static int digitsAt(byte[] json, byte[] marker, boolean lastOne) {
        int i = lastOne ? lastIndexOf(json, marker) : indexOf(json, marker);
        if (i < 0) throw new IllegalArgumentException("no record id in " + new String(json, 0, Math.min(json.length, 80), StandardCharsets.UTF_8));
        return i + marker.length;
    }

    static long id(byte[] json, int digitsAt) {
        long id = 0;
        for (int p = digitsAt, end = digitsEnd(json, digitsAt); p < end; p++) id = id * 10 + (json[p] - '0');
        return id;
    }

    static byte[] withId(byte[] json, int digitsAt, long id) {
        return withId(json, digitsAt, digitsEnd(json, digitsAt), id);
    }

    /** The index after the id's digits that start at {@code digitsAt}. */
    private static int digitsEnd(byte[] json, int digitsAt) {
        int end = digitsAt;
        while (end < json.length && json[end] >= '0' && json[end] <= '9') end++;
        return end;
    }

    private static byte[] withId(byte[] json, int digitsAt, int end, long id) {
        byte[] digits = Long.toString(id).getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[json.length - (end - digitsAt) + digits.length];
        System.arraycopy(json, 0, out, 0, digitsAt);
        System.arraycopy(digits, 0, out, digitsAt, digits.length);
        System.arraycopy(json, end, out, digitsAt + digits.length, json.length - end);
        return out;
    }

    /**
     * {@link #withId}, but when {@code id} has as many digits as the record's id, {@code json} itself
     * with the digits overwritten (the caller gives the input up: see {@code RecordEncoder.withIdInPlace}).
     */
    static byte[] withIdInPlace(byte[] json, int digitsAt, long id) {
        int end = digitsEnd(json, digitsAt);
        if (id < 0 || digitCount(id) != end - digitsAt) return withId(json, digitsAt, end, id);
        for (int p = end - 1; p >= digitsAt; p--, id /= 10) json[p] = (byte) ('0' + id % 10);
        return json;
    }

    /** The number of decimal digits of {@code id} (not negative), without the String that Long.toString would make per record. */
    private static int digitCount(long id) {
        int n = 1;
        for (long v = id / 10; v != 0; v /= 10) n++;
        return n;
    }

    private static int indexOf(byte[] a, byte[] m) {
        outer:
        for (int i = 0; i + m.length <= a.length; i++) {
            for (int k = 0; k < m.length; k++) if (a[i + k] != m[k]) continue outer;
            return i;
        }
        return -1;
    }

    private static int lastIndexOf(byte[] a, byte[] m) {
        outer:
        for (int i = a.length - m.length; i >= 0; i--) {
            for (int k = 0; k < m.length; k++) if (a[i + k] != m[k]) continue outer;
            return i;
        }
        return -1;
    }
}
