package io.sluice.source.mysql.value;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fast path of {@link JdbcValues#json}: MySQL's JSON text (spaces after {@code ,} and {@code :})
 * rewritten in one pass without a tokenizer, for the documents where the result is plainly the
 * same: strings without escapes are copied as they are (the full path would write them back
 * identically), integers in canonical form are copied, other numbers as the full path writes them
 * ({@link JdbcValues#fractionText}). A string with an escape, {@code -0}, a leading zero,
 * anything not valid JSON, or deep nesting returns null: the full path (Jackson) decides.
 * It reads the cell's UTF-8 bytes, not a String, and decodes only its result: outside strings JSON
 * is ASCII (anything else is not JSON, and goes to the full path), and a string's bytes are copied
 * with their quotes, so a malformed sequence in one decodes to the same replacement characters
 * next to the same bytes as when the whole cell is decoded first.
 * {@code JdbcValuesFastPathTest} compares both paths on random documents.
 */
final class CompactJsonText {

    /** Below JdbcValues' own limit (512), so that the full path reports too-deep documents. */
    private static final int MAX_DEPTH = 500;
    /** Far below Jackson's read limits (number length 1000, string length 20M), which stay the full path's to apply. */
    private static final int MAX_TEXT = 1 << 20, MAX_NUMBER = 100;

    private final byte[] in;
    private byte[] out;
    private int pos, n;

    private CompactJsonText(byte[] in) {
        this.in = in;
        this.out = new byte[in.length]; // never longer: spaces dropped, numbers as long at most (checked where rewritten)
    }

    /** The compact text of a document given as UTF-8, or null when the full path must decide. */
    static String compact(byte[] utf8) {
        if (utf8.length > MAX_TEXT) return null;
        CompactJsonText c = new CompactJsonText(utf8);
        if (!c.value(0)) return null;
        c.skipSpace();
        return c.pos == utf8.length ? new String(c.out, 0, c.n, StandardCharsets.UTF_8) : null;
    }

    private void skipSpace() {
        while (pos < in.length) {
            byte c = in[pos];
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private boolean value(int depth) {
        skipSpace();
        if (pos >= in.length) return false;
        byte c = in[pos];
        return switch (c) {
            case '{' -> depth < MAX_DEPTH && container(depth + 1, (byte) '}', true);
            case '[' -> depth < MAX_DEPTH && container(depth + 1, (byte) ']', false);
            case '"' -> string();
            case 't' -> literal(TRUE);
            case 'f' -> literal(FALSE);
            case 'n' -> literal(NULL);
            default -> (c == '-' || (c >= '0' && c <= '9')) && number();
        };
    }

    private static final byte[] TRUE = {'t', 'r', 'u', 'e'}, FALSE = {'f', 'a', 'l', 's', 'e'}, NULL = {'n', 'u', 'l', 'l'};

    /** An object ({@code "name": value, ...}) or array ({@code value, ...}), starting at its bracket. */
    private boolean container(int depth, byte close, boolean object) {
        out[n++] = in[pos++];
        skipSpace();
        if (pos < in.length && in[pos] == close) {
            out[n++] = close;
            pos++;
            return true;
        }
        while (true) {
            if (object) {
                skipSpace();
                if (pos >= in.length || in[pos] != '"' || !string()) return false;
                skipSpace();
                if (pos >= in.length || in[pos] != ':') return false;
                out[n++] = ':';
                pos++;
            }
            if (!value(depth)) return false;
            skipSpace();
            if (pos >= in.length) return false;
            byte c = in[pos++];
            if (c == close) {
                out[n++] = close;
                return true;
            }
            if (c != ',') return false;
            out[n++] = ',';
        }
    }

    /** A string without escapes or control characters, copied with its quotes (bytes of multi-byte characters are negative). */
    private boolean string() {
        int start = pos++;
        while (pos < in.length) {
            byte c = in[pos++];
            if (c == '"') {
                copy(start, pos);
                return true;
            }
            if (c == '\\' || (c >= 0 && c < 0x20)) return false;
        }
        return false;
    }

    private boolean literal(byte[] word) {
        if (in.length - pos < word.length || !Arrays.equals(in, pos, pos + word.length, word, 0, word.length)) return false;
        copy(pos, pos + word.length);
        pos += word.length;
        return true;
    }

    /** JSON's number grammar; integers are copied, fractions and exponents written as JdbcValues' full path writes a double. */
    private boolean number() {
        int start = pos;
        if (in[pos] == '-') pos++;
        int intStart = pos;
        int intDigits = digits();
        if (intDigits == 0 || (intDigits > 1 && in[intStart] == '0')) return false;
        boolean integer = true;
        if (pos < in.length && in[pos] == '.') {
            pos++;
            if (digits() == 0) return false;
            integer = false;
        }
        if (pos < in.length && (in[pos] == 'e' || in[pos] == 'E')) {
            pos++;
            if (pos < in.length && (in[pos] == '+' || in[pos] == '-')) pos++;
            if (digits() == 0) return false;
            integer = false;
        }
        if (pos - start > MAX_NUMBER) return false;
        if (integer) {
            if (pos - start == 2 && in[start] == '-' && in[intStart] == '0') return false; // -0
            copy(start, pos);
            return true;
        }
        String text = JdbcValues.fractionText(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        // the rewritten number may be longer than the input (1e20 as 100000000000000000000): room for the rest as well
        int room = text.length() + (in.length - pos);
        if (out.length - n < room) out = Arrays.copyOf(out, n + room);
        byte[] ascii = text.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(ascii, 0, out, n, ascii.length);
        n += ascii.length;
        return true;
    }

    private void copy(int from, int to) {
        System.arraycopy(in, from, out, n, to - from);
        n += to - from;
    }

    private int digits() {
        int from = pos;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') pos++;
        return pos - from;
    }
}
