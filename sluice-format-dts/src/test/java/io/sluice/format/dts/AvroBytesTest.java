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
}
