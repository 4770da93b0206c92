package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EventByteStream} gives what the client's {@link ByteArrayInputStream} gives over the same
 * bytes: 20,000 random sequences of every read the client's deserializers make (integers, packed
 * numbers, strings, bit sets, blocks, skips, peeks before a read), compared call by call,
 * up to and including the first exception (same class); half of them on a stream reused with
 * {@link EventByteStream#reset} after the previous sequence.
 */
class EventByteStreamTest {

    @Test
    void readsAsTheClientsStream() {
        SplittableRandom rnd = new SplittableRandom(15);
        int exceptions = 0, blocks = 0;
        EventByteStream reused = null;
        for (int run = 0; run < 20_000; run++) {
            byte[] data = new byte[rnd.nextInt(0, 120)];
            for (int i = 0; i < data.length; i++) {
                // many small values and packed-number prefixes, some zeros (string terminators)
                int kind = rnd.nextInt(10);
                data[i] = (byte) (kind < 2 ? 0 : kind < 4 ? 250 + rnd.nextInt(6) : rnd.nextInt(256));
            }
            int offset = rnd.nextInt(0, 8);
            byte[] padded = new byte[offset + data.length + rnd.nextInt(0, 8)];
            Arrays.fill(padded, (byte) 0x5A);
            System.arraycopy(data, 0, padded, offset, data.length);
            ByteArrayInputStream client = new ByteArrayInputStream(data);
            // every other run: the previous run's stream (left anywhere, in a block, marked) reset over the new bytes
            EventByteStream ours = reused == null || run % 2 == 0 ? new EventByteStream(padded, offset, offset + data.length)
                    : reused.reset(padded, offset, offset + data.length);
            reused = ours;
            List<String> log = new ArrayList<>();
            for (int step = 0; step < 40; step++) {
                int op = rnd.nextInt(22);
                long seed = rnd.nextLong();
                if (op == 13) blocks++;
                String a = call(client, op, new SplittableRandom(seed), data.length);
                String b = call(ours, op, new SplittableRandom(seed), data.length);
                log.add(op + " -> " + a);
                assertEquals(a, b, () -> "run with " + data.length + " bytes, after " + log);
                if (a.startsWith("!")) { exceptions++; break; }
            }
        }
        assertTrue(exceptions > 1000 && blocks > 1000, exceptions + " sequences ended in an exception, " + blocks + " blocks");
    }

    /** One call, its result as text ("!" and the exception class if it threw). */
    private static String call(ByteArrayInputStream in, int op, SplittableRandom r, int size) {
        try {
            return switch (op) {
                case 0 -> String.valueOf(in.readInteger(1 + r.nextInt(4)));
                case 1 -> String.valueOf(in.readLong(1 + r.nextInt(8)));
                case 2 -> in.readString(r.nextInt(0, 6));
                case 3 -> in.readZeroTerminatedString();
                case 4 -> Arrays.toString(in.read(r.nextInt(0, 9)));
                case 5 -> {
                    byte[] b = new byte[12];
                    in.fill(b, 2, r.nextInt(0, 10));
                    yield Arrays.toString(b);
                }
                case 6 -> in.readBitSet(r.nextInt(0, 100), r.nextBoolean()).toString(); // one word and more
                case 7 -> String.valueOf(in.readPackedInteger());
                case 8 -> String.valueOf(in.readPackedLong());
                case 9 -> {
                    Number n = in.readPackedNumber();
                    yield n == null ? "null" : n.getClass().getSimpleName() + n;
                }
                case 10 -> String.valueOf(in.available());
                case 11 -> in.peek() + "," + in.read(); // the client's deserializers read what they peeked at
                case 12 -> String.valueOf(in.read());
                case 13 -> {
                    int length = r.nextInt(-2, 30);
                    in.enterBlock(length);
                    yield "block " + length;
                }
                case 14 -> {
                    in.skipToTheEndOfTheBlock();
                    yield "end of block";
                }
                case 15 -> String.valueOf(in.skip(r.nextInt(-1, 10)));
                case 16 -> String.valueOf(in.getPosition());
                case 17 -> {
                    byte[] b = new byte[10];
                    int n = in.read(b, 1, r.nextInt(0, 9));
                    yield n + Arrays.toString(b);
                }
                case 18 -> { // the JSON reader's use: fast skips within the block and the data
                    int n = Math.min(Math.min(in.available(), size - in.getPosition()), r.nextInt(0, 6));
                    yield String.valueOf(in.fastSkip(n));
                }
                case 19 -> String.valueOf(in.readLengthEncodedString());
                case 20 -> String.valueOf(in.readInteger(2));
                default -> String.valueOf(in.readLong(8));
            };
        } catch (IOException | RuntimeException e) {
            return "!" + e.getClass().getSimpleName();
        }
    }
}
