package io.sluice.core.model;

import org.junit.jupiter.api.Test;

import java.util.Objects;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** {@link Value.DateTimeValue} holds its parts as ints and a mask, and behaves as the record of Integers it was. */
class DateTimeValueTest {

    @Test
    void factoriesEqualTheConstructorWithTheMissingPartsNull() {
        assertSame(new Value.DateTimeValue(2024, 2, 29, null, null, null, null), Value.DateTimeValue.date(2024, 2, 29));
        assertSame(new Value.DateTimeValue(2155, null, null, null, null, null, null), Value.DateTimeValue.year(2155));
        assertSame(new Value.DateTimeValue(null, null, null, -838, -59, -59, -1), Value.DateTimeValue.time(-838, -59, -59, -1));
        assertSame(new Value.DateTimeValue(1, 2, 3, 4, 5, 6, 7), Value.DateTimeValue.dateTime(1, 2, 3, 4, 5, 6, 7));
    }

    @Test
    void aMissingPartIsNotAZero() {
        Value.DateTimeValue date = Value.DateTimeValue.date(0, 0, 0);
        Value.DateTimeValue withMidnight = Value.DateTimeValue.dateTime(0, 0, 0, 0, 0, 0, 0);
        assertNotEquals(date, withMidnight);
        assertNull(date.hour());
        assertFalse(date.has(Value.DateTimeValue.HOUR));
        assertEquals(0, date.part(Value.DateTimeValue.HOUR));
        assertEquals(Integer.valueOf(0), withMidnight.hour());
    }

    /** Accessors, equality, hash and text as a record of the seven Integers gives them. */
    @Test
    void randomPartsBehaveAsTheRecordOfIntegers() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 20_000; i++) {
            Integer[] parts = new Integer[7];
            for (int p = 0; p < 7; p++) parts[p] = rnd.nextInt(4) == 0 ? null : rnd.nextInt(-1_000_000, 1_000_000);
            Value.DateTimeValue v = new Value.DateTimeValue(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
            Integer[] got = {v.year(), v.month(), v.day(), v.hour(), v.minute(), v.second(), v.millis()};
            for (int p = 0; p < 7; p++) {
                assertEquals(parts[p], got[p]);
                assertEquals(parts[p] != null, v.has(p));
                assertEquals(parts[p] == null ? 0 : parts[p], v.part(p));
            }
            assertEquals(Objects.hash((Object[]) parts), v.hashCode());
            assertEquals(String.format("DateTimeValue[year=%s, month=%s, day=%s, hour=%s, minute=%s, second=%s, millis=%s]",
                    (Object[]) parts), v.toString());
            Integer[] other = parts.clone();
            int changed = rnd.nextInt(7);
            other[changed] = other[changed] == null ? Integer.valueOf(0) : rnd.nextBoolean() ? null : Integer.valueOf(other[changed] + 1);
            assertNotEquals(v, new Value.DateTimeValue(other[0], other[1], other[2], other[3], other[4], other[5], other[6]));
        }
    }

    private static void assertSame(Value.DateTimeValue expected, Value.DateTimeValue actual) {
        assertEquals(expected, actual);
        assertEquals(expected.hashCode(), actual.hashCode());
        assertEquals(expected.toString(), actual.toString());
    }
}
