package io.sluice.source.mysql.value;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * JdbcValues' fast paths (JSON without a tokenizer, DECIMAL without the BigDecimal round trip,
 * doubles, dates and datetimes read from the bytes) give what the full paths give, on random MySQL-shaped
 * text and on damaged text (then both fail, or the fast path hands over).
 */
class JdbcValuesFastPathTest {

    private final SplittableRandom rnd = new SplittableRandom(11);

    private static String outcome(Callable<Object> c) {
        try {
            return "value " + c.call();
        } catch (Exception e) {
            return "failure " + e.getClass().getSimpleName();
        }
    }

    // ---------------------------------------------------------------- JSON

    private static final String[] STRINGS = {"", "a", "é", "日本", "\\\"q\\\"", "back\\\\slash", "tab\\t", "\\u0001",
            "\\/", "\uD83D\uDE00", "plain text", "\\u00e9"};
    private static final String[] NUMBERS = {"0", "-1", "1", "100", "-0", "-0.0", "0.1", "1.0", "2.5", "1e20", "1E-7",
            "1.5e+3", "18446744073709551615", "-9223372036854775808", "9223372036854775808", "123456789012345678901234567890",
            "1.7976931348623157E308", "4.9E-324", "1e400", "0.30000000000000004", "01", "1.", ".5", "+1", "1e", "-"};

    /** MySQL's JSON text: ", " between items, ": " after names; sometimes other white space. */
    private String document(int depth) {
        int kind = rnd.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> "\"" + STRINGS[rnd.nextInt(STRINGS.length)] + "\"";
            case 1, 2 -> rnd.nextBoolean() ? NUMBERS[rnd.nextInt(NUMBERS.length)]
                    : Double.toString(rnd.nextDouble() * Math.pow(10, rnd.nextInt(-12, 25)));
            case 3 -> Long.toString(rnd.nextLong());
            case 4 -> new String[]{"true", "false", "null"}[rnd.nextInt(3)];
            default -> {
                boolean object = kind == 5;
                StringBuilder sb = new StringBuilder(object ? "{" : "[");
                for (int n = rnd.nextInt(5), i = 0; i < n; i++) {
                    if (i > 0) sb.append(rnd.nextInt(10) == 0 ? " ,\n" : ", ");
                    if (object) sb.append('"').append(STRINGS[rnd.nextInt(STRINGS.length)]).append(rnd.nextInt(10) == 0 ? "\" :\t" : "\": ");
                    sb.append(document(depth + 1));
                }
                yield sb.append(object ? "}" : "]").toString();
            }
        };
    }

    @Test
    void jsonFastPathWritesWhatTheTokenizerWrites() {
        for (int i = 0; i < 20_000; i++) {
            String doc = document(0);
            if (rnd.nextInt(3) == 0) { // damage: cut, or replace/insert a character
                int at = rnd.nextInt(doc.length() + 1);
                String damage = "{}[]\",: -0.e\\x\u0001";
                char c = damage.charAt(rnd.nextInt(damage.length()));
                doc = switch (rnd.nextInt(3)) {
                    case 0 -> doc.substring(0, at);
                    case 1 -> doc.substring(0, at) + c + doc.substring(Math.min(doc.length(), at + 1));
                    default -> doc.substring(0, at) + c + doc.substring(at);
                };
            }
            byte[] raw = doc.getBytes(StandardCharsets.UTF_8); // as a cell arrives (a cut surrogate pair becomes '?')
            String text = new String(raw, StandardCharsets.UTF_8);
            String full = outcome(() -> JdbcValues.parsedJson(text));
            String compact = CompactJsonText.compact(raw);
            if (compact != null) assertEquals(full, "value " + compact, text); // a handed-over document is the full path's
            assertEquals(full, outcome(() -> JdbcValues.json(raw)), text);
        }
    }

    /**
     * The cell's bytes as the SELECT gives them, sometimes not UTF-8 (a stray byte, a cut or overlong
     * sequence, a surrogate): the result is the full path's on the decoded String, replacement
     * characters and all.
     */
    @Test
    void jsonFromBytesIsTheFullPathsTextOfTheDecodedString() {
        byte[][] damage = {{(byte) 0xFF}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xE6, (byte) 0x97}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {0x01}, {'\\'}};
        for (int i = 0; i < 20_000; i++) {
            byte[] doc = document(0).getBytes(StandardCharsets.UTF_8);
            if (rnd.nextInt(3) == 0) {
                byte[] d = damage[rnd.nextInt(damage.length)];
                int at = rnd.nextInt(doc.length + 1);
                byte[] damaged = new byte[doc.length + d.length];
                System.arraycopy(doc, 0, damaged, 0, at);
                System.arraycopy(d, 0, damaged, at, d.length);
                System.arraycopy(doc, at, damaged, at + d.length, doc.length - at);
                doc = damaged;
            }
            byte[] raw = doc;
            String text = new String(raw, StandardCharsets.UTF_8);
            String full = outcome(() -> JdbcValues.parsedJson(text));
            String compact = CompactJsonText.compact(raw);
            if (compact != null) assertEquals(full, "value " + compact, text);
            assertEquals(full, outcome(() -> JdbcValues.json(raw)), text);
        }
    }

    // ---------------------------------------------------------------- DECIMAL

    @Test
    void decimalTextIsThePlainStringOfItsBigDecimal() {
        String[] edges = {"0", "0.00", "-0.00", "-0", "-0.01", "00.1", "1.", ".5", "-", "", "1e5", "+1", "12.30", "-12.30",
                "0.000000000000000000000000000001", "99999999999999999999999999999999999.999999999999999999999999999999", "1.2.3"};
        for (int i = 0; i < 20_000; i++) {
            String text = i < edges.length ? edges[i]
                    : new BigDecimal(new BigInteger(rnd.nextInt(1, 216), new java.util.Random(rnd.nextLong())), rnd.nextInt(31))
                    .multiply(BigDecimal.valueOf(rnd.nextBoolean() ? 1 : -1)).toPlainString();
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(outcome(() -> new BigDecimal(text).toPlainString()), outcome(() -> JdbcValues.decimalText(raw)), text);
        }
    }

    // ---------------------------------------------------------------- DOUBLE

    @Test
    void doublesFromBytesEqualParseDouble() {
        String[] edges = {"0", "-0", "0.0", "-0.0", "1", "-1", "1.5", "1e22", "1e23", "1e-22", "1e-23", "123456789012345",
                "1234567890123456", "0.000123456789012345", "9007199254740993", "1.7976931348623157e308", "4.9e-324",
                "1e", "1.", ".5", "-", "", "+1", "1e+5", "1E-5", "2.5e-3", "00012.5", "1e99999", "NaN", "Infinity", "1x",
                // past the fast path: overflow, underflow, the subnormal edge, the smallest normal, 17+ digits
                "1.7976931348623159e308", "1.7976931348623158e308", "1e-400", "2.4703282292062327e-324",
                "2.4703282292062328e-324", "2.2250738585072012e-308", "1234567890123456789012345678901234567890",
                "0.00000000000000000000000000001234567890123456789", "-0.00000000000000000", "1E-999", "12345678901234567x"};
        for (int i = 0; i < 50_000; i++) {
            String text;
            if (i < edges.length) {
                text = edges[i];
            } else {
                double d = rnd.nextBoolean() ? rnd.nextDouble() * Math.pow(10, rnd.nextInt(-25, 25)) : Double.longBitsToDouble(rnd.nextLong());
                if (rnd.nextBoolean()) d = -d;
                text = switch (rnd.nextInt(4)) {
                    case 0 -> Double.toString(d); // what MySQL 8 prints: the shortest form
                    case 1 -> String.format("%.15g", d).trim(); // and what %g-style output looks like
                    case 2 -> String.format("%." + rnd.nextInt(0, 20) + "f", d);
                    default -> Long.toString(rnd.nextLong() >> rnd.nextInt(64)) + (rnd.nextBoolean() ? "e" + rnd.nextInt(-30, 30) : "");
                };
            }
            String t = text;
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(outcome(() -> Double.doubleToRawLongBits(Double.parseDouble(t))),
                    outcome(() -> Double.doubleToRawLongBits(JdbcValues.parseDouble(raw))), text);
        }
    }

    @Test
    void aFloatsShortestDecimalIsParseDoubleOfItsText() {
        float[] edges = {0f, -0f, 1f, 0.1f, 1e-45f, Float.MIN_NORMAL, Float.MAX_VALUE, 1e7f, 1e-3f, 16777217f,
                Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        for (int i = 0; i < 50_000; i++) {
            float f = i < edges.length ? edges[i] : rnd.nextBoolean() ? Float.intBitsToFloat(rnd.nextInt())
                    : (float) (rnd.nextDouble() * Math.pow(10, rnd.nextInt(-40, 39)));
            assertEquals(Double.doubleToRawLongBits(Double.parseDouble(Float.toString(f))),
                    Double.doubleToRawLongBits(ValueConverter.shortestDecimal(f)), Float.toString(f));
        }
    }

    /**
     * The hardest text to round: the exact midpoint between two neighbouring doubles (ties go to
     * even), and the midpoint nudged up or down in its last digit, written in full or cut to 17-25
     * significant digits, plain or with an exponent: none is within the 15-digit fast path.
     */
    @Test
    void doublesNearAHalfwayPointEqualParseDouble() {
        for (int i = 0; i < 20_000; i++) {
            double d = rnd.nextBoolean() ? rnd.nextDouble() * Math.pow(10, rnd.nextInt(-30, 30))
                    : Math.abs(Double.longBitsToDouble(rnd.nextLong()));
            if (!Double.isFinite(d) || !Double.isFinite(Math.nextUp(d))) continue;
            BigDecimal mid = new BigDecimal(d).add(new BigDecimal(Math.nextUp(d))).divide(BigDecimal.valueOf(2));
            BigDecimal ulp = BigDecimal.ONE.movePointLeft(mid.scale());
            mid = switch (rnd.nextInt(3)) {
                case 0 -> mid;
                case 1 -> mid.add(ulp);
                default -> mid.subtract(ulp);
            };
            if (rnd.nextBoolean()) mid = mid.round(new java.math.MathContext(rnd.nextInt(17, 26)));
            String text = (rnd.nextBoolean() ? mid.toPlainString() : mid.toString()).replace("E+", "e");
            if (rnd.nextBoolean()) text = "-" + text;
            String t = text;
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(outcome(() -> Double.doubleToRawLongBits(Double.parseDouble(t))),
                    outcome(() -> Double.doubleToRawLongBits(JdbcValues.parseDouble(raw))), text);
        }
    }

    // ---------------------------------------------------------------- DATE, DATETIME

    @Test
    void datesFromBytesEqualTheStringParser() {
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(String.format("%04d-%02d-%02d", rnd.nextInt(10_000), rnd.nextInt(13), rnd.nextInt(32)));
            boolean withTime = rnd.nextBoolean();
            if (withTime) {
                sb.append(String.format(" %02d:%02d:%02d", rnd.nextInt(24), rnd.nextInt(60), rnd.nextInt(60)));
                int fsp = rnd.nextInt(8) - 1; // -1: no dot; 0: a dot with no digits; up to 6 digits
                if (fsp >= 0) sb.append('.');
                for (int f = 0; f < fsp; f++) sb.append((char) ('0' + rnd.nextInt(10)));
            }
            if (rnd.nextInt(4) == 0) sb.setCharAt(rnd.nextInt(sb.length()), "-: .+x9".charAt(rnd.nextInt(7)));
            if (rnd.nextInt(10) == 0) sb.append(rnd.nextBoolean() ? "7" : " ");
            String text = sb.toString();
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            assertEquals(outcome(() -> JdbcValues.date(text)), outcome(() -> JdbcValues.date(raw)), text);
            assertEquals(outcome(() -> JdbcValues.dateTime(text)), outcome(() -> JdbcValues.dateTime(raw)), text);
        }
    }

    // ---------------------------------------------------------------- integers, TIMESTAMP

    @Test
    void integersHeldAsNumbersAreTheTextTheyReplace() {
        String[] fixed = {"0", "00000", "0000000005", "-1", "-9223372036854775808", "9223372036854775807", "999999999999999999",
                "1000000000000000000", "18446744073709551615", "00018446744073709551615", "-0", "-05", "", "-", "1-", "12a", "+5"};
        for (int i = 0; i < 50_000 + fixed.length; i++) {
            String text;
            if (i < fixed.length) {
                text = fixed[i];
            } else {
                long v = switch (rnd.nextInt(4)) {
                    case 0 -> rnd.nextLong();
                    case 1 -> rnd.nextInt(-1000, 1000);
                    case 2 -> rnd.nextLong(0, Long.MAX_VALUE) >>> rnd.nextInt(63);
                    default -> -(rnd.nextLong(0, Long.MAX_VALUE) >>> rnd.nextInt(63));
                };
                text = rnd.nextInt(8) == 0 ? Long.toUnsignedString(v) : Long.toString(v);
                if (rnd.nextInt(5) == 0 && v >= 0) text = "0".repeat(rnd.nextInt(1, 12)) + text; // ZEROFILL
            }
            byte[] raw = text.getBytes(StandardCharsets.ISO_8859_1);
            io.sluice.core.model.Value.IntegerValue held = JdbcValues.integer(7, raw);
            io.sluice.core.model.Value.IntegerValue asText = new io.sluice.core.model.Value.IntegerValue(7, JdbcValues.integerText(raw));
            assertEquals(asText.value(), held.value(), text);
            assertEquals(asText, held, text);
            assertEquals(asText.hashCode(), held.hashCode(), text);
        }
    }

    @Test
    void timestampSecondsEqualLocalDateTime() {
        for (int i = 0; i < 50_000; i++) {
            int y = rnd.nextInt(10) == 0 ? rnd.nextInt(0, 10_000) : rnd.nextInt(1965, 2110);
            int m = rnd.nextInt(0, 14), d = rnd.nextInt(0, 33), h = rnd.nextInt(-1, 25), mi = rnd.nextInt(-1, 61), s = rnd.nextInt(-1, 61);
            String what = y + "-" + m + "-" + d + " " + h + ":" + mi + ":" + s;
            assertEquals(outcome(() -> java.time.LocalDateTime.of(y, m, d, h, mi, s).toEpochSecond(java.time.ZoneOffset.UTC)),
                    outcome(() -> JdbcValues.epochSecond(y, m, d, h, mi, s)), what);
        }
    }
}
