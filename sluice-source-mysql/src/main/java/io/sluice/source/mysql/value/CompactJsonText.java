package io.sluice.source.mysql.value;


/**
 * The fast path of {@link JdbcValues#json}: MySQL's JSON text (spaces after {@code ,} and {@code :})
 * rewritten in one pass without a tokenizer, for the documents where the result is plainly the
 * same: strings without escapes are copied as they are (the full path would write them back
 * identically), integers in canonical form are copied, other numbers as the full path writes them
 * ({@link JdbcValues#fractionText}). A string with an escape, {@code -0}, a leading zero,
 * anything not valid JSON, or deep nesting returns null: the full path (Jackson) decides.
 * {@code JdbcValuesTest} compares both paths on random documents.
 */
final class CompactJsonText {

    /** Below JdbcValues' own limit (512), so that the full path reports too-deep documents. */
    private static final int MAX_DEPTH = 500;
    /** Far below Jackson's read limits (number length 1000, string length 20M), which stay the full path's to apply. */
    private static final int MAX_TEXT = 1 << 20, MAX_NUMBER = 100;

    private final String in;
    private final StringBuilder out;
    private int pos;

    private CompactJsonText(String in) {
        this.in = in;
        this.out = new StringBuilder(in.length());
    }

    /** The compact text, or null when the full path must decide. */
    static String compact(String text) {
        if (text.length() > MAX_TEXT) return null;
        CompactJsonText c = new CompactJsonText(text);
        if (!c.value(0)) return null;
        c.skipSpace();
        return c.pos == text.length() ? c.out.toString() : null;
    }

    private void skipSpace() {
        while (pos < in.length()) {
            char c = in.charAt(pos);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
            pos++;
        }
    }

    private boolean value(int depth) {
        skipSpace();
        if (pos >= in.length()) return false;
        char c = in.charAt(pos);
        return switch (c) {
            case '{' -> depth < MAX_DEPTH && container(depth + 1, '}', true);
            case '[' -> depth < MAX_DEPTH && container(depth + 1, ']', false);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> (c == '-' || (c >= '0' && c <= '9')) && number();
        };
    }

    /** An object ({@code "name": value, ...}) or array ({@code value, ...}), starting at its bracket. */
    private boolean container(int depth, char close, boolean object) {
        out.append(in.charAt(pos++));
        skipSpace();
        if (pos < in.length() && in.charAt(pos) == close) {
            out.append(close);
            pos++;
            return true;
        }
        while (true) {
            if (object) {
                skipSpace();
                if (pos >= in.length() || in.charAt(pos) != '"' || !string()) return false;
                skipSpace();
                if (pos >= in.length() || in.charAt(pos) != ':') return false;
                out.append(':');
                pos++;
            }
            if (!value(depth)) return false;
            skipSpace();
            if (pos >= in.length()) return false;
            char c = in.charAt(pos++);
            if (c == close) {
                out.append(close);
                return true;
            }
            if (c != ',') return false;
            out.append(',');
        }
    }

    /** A string without escapes or control characters, copied with its quotes. */
    private boolean string() {
        int start = pos++;
        while (pos < in.length()) {
            char c = in.charAt(pos++);
            if (c == '"') {
                out.append(in, start, pos);
                return true;
            }
            if (c == '\\' || c < 0x20) return false;
        }
        return false;
    }

    private boolean literal(String word) {
        if (!in.startsWith(word, pos)) return false;
        out.append(word);
        pos += word.length();
        return true;
    }

    /** JSON's number grammar; integers are copied, fractions and exponents written as JdbcValues' full path writes a double. */
    private boolean number() {
        int start = pos;
        if (in.charAt(pos) == '-') pos++;
        int intStart = pos;
        int intDigits = digits();
        if (intDigits == 0 || (intDigits > 1 && in.charAt(intStart) == '0')) return false;
        boolean integer = true;
        if (pos < in.length() && in.charAt(pos) == '.') {
            pos++;
            if (digits() == 0) return false;
            integer = false;
        }
        if (pos < in.length() && (in.charAt(pos) == 'e' || in.charAt(pos) == 'E')) {
            pos++;
            if (pos < in.length() && (in.charAt(pos) == '+' || in.charAt(pos) == '-')) pos++;
            if (digits() == 0) return false;
            integer = false;
        }
        if (pos - start > MAX_NUMBER) return false;
        if (integer) {
            if (pos - start == 2 && in.charAt(start) == '-' && in.charAt(intStart) == '0') return false; // -0
            out.append(in, start, pos);
            return true;
        }
        out.append(JdbcValues.fractionText(in.substring(start, pos)));
        return true;
    }

    private int digits() {
        int from = pos;
        while (pos < in.length() && in.charAt(pos) >= '0' && in.charAt(pos) <= '9') pos++;
        return pos - from;
    }
}
