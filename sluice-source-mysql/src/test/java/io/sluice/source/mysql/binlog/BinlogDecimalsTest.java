package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.AbstractRowsEventDataDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link BinlogDecimals} gives the client's {@code BigDecimal} (value and scale) for every
 * DECIMAL(precision, scale) up to 65 digits: 200,000 cells whose digit groups are valid (as
 * servers write them, both signs, zeros, every group at its maximum) and 100,000 of random bytes
 * (groups out of range, which go to the client's code); {@code plainText} gives that decimal's
 * {@code toPlainString} and reads as many bytes, from a cell inside an event's bytes (read in place)
 * or from the client's stream.
 */
class BinlogDecimalsTest {

    private static final int[] DIG_TO_BYTES = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};

    @Test
    void givesTheClientsDecimals() throws IOException {
        SplittableRandom rnd = new SplittableRandom(15);
        for (int run = 0; run < 300_000; run++) {
            int precision = 1 + rnd.nextInt(65);
            int scale = rnd.nextInt(Math.min(30, precision) + 1);
            int x = precision - scale;
            int length = (x / 9 << 2) + DIG_TO_BYTES[x % 9] + (scale / 9 << 2) + DIG_TO_BYTES[scale % 9];
            byte[] bytes = new byte[length];
            if (run % 3 == 2) {
                rnd.nextBytes(bytes);
            } else {
                int kind = rnd.nextInt(4); // 0: random digits, 1: zeros, 2: maximum, 3: mixed
                int at = 0;
                at = group(bytes, at, x % 9, kind, rnd);
                for (int i = 0; i < x / 9; i++) at = group(bytes, at, 9, kind, rnd);
                for (int i = 0; i < scale / 9; i++) at = group(bytes, at, 9, kind, rnd);
                group(bytes, at, scale % 9, kind, rnd);
                bytes[0] ^= (byte) 0x80;
                if (rnd.nextBoolean()) for (int i = 0; i < length; i++) bytes[i] ^= (byte) 0xFF; // negative
            }
            BigDecimal client = AbstractRowsEventDataDeserializer.asBigDecimal(precision, scale, bytes.clone());
            BigDecimal ours = BinlogDecimals.read(scale << 8 | precision, new EventByteStream(bytes.clone()));
            assertEquals(client, ours, "DECIMAL(" + precision + "," + scale + ") run " + run);
            assertEquals(client.toPlainString(), ours.toPlainString());
            // the cell after other bytes of the event (read in place) and followed by more
            int before = rnd.nextInt(6), after = rnd.nextInt(3);
            byte[] event = new byte[before + length + after];
            rnd.nextBytes(event);
            System.arraycopy(bytes, 0, event, before, length);
            EventByteStream in = new EventByteStream(event);
            in.read(before);
            assertEquals(client.toPlainString(), BinlogDecimals.plainText(scale << 8 | precision, in), "plain text, run " + run);
            assertEquals(before + length, in.getPosition());
            // and from the client's own stream (a copy of the cell)
            var clientStream = new com.github.shyiko.mysql.binlog.io.ByteArrayInputStream(bytes.clone());
            assertEquals(client.toPlainString(), BinlogDecimals.plainText(scale << 8 | precision, clientStream), "client stream, run " + run);
        }
    }

    static int group(byte[] b, int at, int digits, int kind, SplittableRandom rnd) {
        if (digits == 0) return at;
        long max = (long) Math.pow(10, digits) - 1;
        long v = switch (kind == 3 ? rnd.nextInt(3) : kind) {
            case 1 -> 0;
            case 2 -> max;
            default -> rnd.nextLong(max + 1);
        };
        int n = DIG_TO_BYTES[digits];
        for (int i = n - 1; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
        return at + n;
    }
}
