package io.sluice.format.dts;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Integers written as digits give the bytes of the Avro string of their text. */
class AvroBytesTest {

    private static void assertDecimalAsText(long v) {
        AvroBytes digits = new AvroBytes(4), text = new AvroBytes(4);
        digits.writeInt(7); // not at the array's start
        text.writeInt(7);
        digits.writeDecimal(v);
        text.writeString(Long.toString(v));
        assertArrayEquals(text.toByteArray(), digits.toByteArray(), Long.toString(v));
    }

    @Test
    void writeDecimalGivesTheStringsBytesForEveryDigitCountAndSign() {
        long power = 1;
        for (int n = 0; n <= 18; n++, power *= 10) {
            for (long v : new long[] {power - 1, power, power + 1, 2 * power - 1}) {
                assertDecimalAsText(v);
                assertDecimalAsText(-v);
            }
        }
        for (long v : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Integer.MAX_VALUE + 1L, Integer.MAX_VALUE - 1L, -Integer.MAX_VALUE - 2L}) {
            assertDecimalAsText(v);
        }
        SplittableRandom rnd = new SplittableRandom(5);
        for (int k = 0; k < 200_000; k++) assertDecimalAsText(rnd.nextLong() >> rnd.nextInt(64));
    }

    @Test
    void digitCountIsTheTextsLengthAroundEveryPowerOfTwoAndTen() {
        for (int bit = 0; bit < 63; bit++) {
            long p = 1L << bit;
            for (long v : new long[] {p - 1, p, p + 1}) assertDigitCount(v);
        }
        long power = 1;
        for (int n = 0; n <= 18; n++, power *= 10) {
            for (long v : new long[] {power - 1, power, power + 1}) assertDigitCount(v);
        }
        assertDigitCount(Long.MAX_VALUE);
        SplittableRandom rnd = new SplittableRandom(11);
        for (int k = 0; k < 200_000; k++) assertDigitCount((rnd.nextLong() >>> 1) >> rnd.nextInt(63));
    }

    private static void assertDigitCount(long v) {
        org.junit.jupiter.api.Assertions.assertEquals(Long.toString(v).length(), AvroBytes.digitCount(v), Long.toString(v));
    }

    /** A DTS position: the digits, then a suffix such as {@code @4}, as the Avro string of the text. */
    @Test
    void writeDigitsThenGivesTheStringsBytes() {
        SplittableRandom rnd = new SplittableRandom(13);
        byte[][] suffixes = {"@4".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0],
                "@mysql-bin.éx".getBytes(java.nio.charset.StandardCharsets.UTF_8)};
        for (int k = 0; k < 100_000; k++) {
            long v = k < 64 ? (k % 2 == 0 ? 1L << (k / 2) : -(1L << (k / 2))) : rnd.nextLong() >> rnd.nextInt(64);
            byte[] suffix = suffixes[k % suffixes.length];
            AvroBytes digits = new AvroBytes(4), text = new AvroBytes(4);
            digits.writeInt(3);
            text.writeInt(3);
            digits.writeDigitsThen(v, suffix);
            text.writeString(v + new String(suffix, java.nio.charset.StandardCharsets.UTF_8));
            assertArrayEquals(text.toByteArray(), digits.toByteArray(), Long.toString(v));
        }
    }
}
