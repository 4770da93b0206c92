package io.sluice.source.mysql.binlog;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MariaDB's compressed events (log_bin_compress) rewritten as the plain events they stand for. */
class MariaDbCompressedEventsTest {

    private static final byte[] CHECKSUM = {1, 2, 3, 4};

    /** zlib of {@code plain} behind MariaDB's header: 0x80 | length bytes, the length big-endian. */
    private static byte[] compressed(byte[] plain, int lengthBytes) {
        Deflater deflater = new Deflater();
        deflater.setInput(plain);
        deflater.finish();
        byte[] buf = new byte[plain.length + 64];
        int n = deflater.deflate(buf);
        deflater.end();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | lengthBytes);
        for (int i = lengthBytes - 1; i >= 0; i--) out.write(plain.length >>> (8 * i));
        out.write(buf, 0, n);
        return out.toByteArray();
    }

    /** An event: 19-byte header of {@code type} (next position 1000), {@code body}, the checksum trailer. */
    private static byte[] event(int type, byte[] body) {
        int n = 19 + body.length + 4;
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).put((byte) type).putInt(110).putInt(n).putInt(1000).putShort((short) 0).put(body).put(CHECKSUM);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** A v1 rows post-header and body head: table id 42, flags, 12 columns (2-byte bitmaps), one bitmap or two. */
    private static byte[] rowsHead(boolean update) {
        byte[] bitmaps = update ? new byte[]{(byte) 0xFF, 0x0F, (byte) 0xFF, 0x0F} : new byte[]{(byte) 0xFF, 0x0F};
        return concat(new byte[]{42, 0, 0, 0, 0, 0, 1, 0, 12}, bitmaps);
    }

    private static void assertPlain(byte[] plain, int type, byte[] body) {
        assertEquals(type, plain[4]);
        assertEquals(plain.length, ByteBuffer.wrap(plain, 9, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), "the length field");
        assertEquals(1000, ByteBuffer.wrap(plain, 13, 4).order(ByteOrder.LITTLE_ENDIAN).getInt(), "the next position");
        assertArrayEquals(body, Arrays.copyOfRange(plain, 19, plain.length - 4));
        assertArrayEquals(CHECKSUM, Arrays.copyOfRange(plain, plain.length - 4, plain.length));
    }

    @Test
    void rowsEventsKeepTheirHeadAndGetTheirRowsBack() throws IOException {
        byte[] rows = "row bytes ".repeat(300).getBytes(StandardCharsets.US_ASCII);
        for (int type : new int[]{166, 167, 168}) {
            byte[] head = rowsHead(type == 167);
            byte[] event = event(type, concat(head, compressed(rows, 2)));
            byte[] plain = MariaDbCompressedEvents.decompress(event, event.length, true);
            assertPlain(plain, type - 166 + 23, concat(head, rows));
        }
    }

    @Test
    void v2RowsEventsSkipTheirExtraData() throws IOException {
        byte[] rows = new byte[70_000];
        for (int i = 0; i < rows.length; i++) rows[i] = (byte) (i * 31);
        byte[] head = concat(new byte[]{42, 0, 0, 0, 0, 0, 1, 0}, new byte[]{5, 0, 9, 9, 9}, new byte[]{(byte) 252, 44, 1},
                new byte[38 * 2]); // 300 columns, update: two 38-byte bitmaps
        byte[] event = event(170, concat(head, compressed(rows, 3)));
        assertPlain(MariaDbCompressedEvents.decompress(event, event.length, true), 31, concat(head, rows));
    }

    @Test
    void aQueryGetsItsTextBack() throws IOException {
        byte[] status = {0, 1, 2, 3, 4, 5};
        byte[] db = "shop\0".getBytes(StandardCharsets.US_ASCII);
        byte[] postHeader = {7, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, (byte) status.length, 0};
        byte[] text = ("ALTER TABLE t ADD COLUMN c VARCHAR(300) DEFAULT '" + "z".repeat(300) + "'").getBytes(StandardCharsets.UTF_8);
        byte[] head = concat(postHeader, status, db);
        byte[] event = event(165, concat(head, compressed(text, 1 + 1)));
        assertPlain(MariaDbCompressedEvents.decompress(event, event.length, true), 2, concat(head, text));
        // without a checksum trailer
        byte[] bare = Arrays.copyOf(event, event.length - 4);
        byte[] plain = MariaDbCompressedEvents.decompress(bare, bare.length, false);
        assertArrayEquals(concat(head, text), Arrays.copyOfRange(plain, 19, plain.length));
    }

    @Test
    void damageIsNamedNotDecoded() {
        byte[] rows = "abc".repeat(200).getBytes(StandardCharsets.US_ASCII);
        byte[] head = rowsHead(false);
        byte[] good = compressed(rows, 2);
        byte[] cut = event(166, concat(head, Arrays.copyOf(good, good.length - 5)));
        assertTrue(assertThrows(IOException.class, () -> MariaDbCompressedEvents.decompress(cut, cut.length, true))
                .getMessage().contains("cut short"));
        byte[] longer = good.clone();
        longer[2] = (byte) (longer[2] - 1); // states one byte fewer than it holds
        byte[] more = event(166, concat(head, longer));
        assertTrue(assertThrows(IOException.class, () -> MariaDbCompressedEvents.decompress(more, more.length, true))
                .getMessage().contains("holds more"));
        byte[] other = good.clone();
        other[0] = (byte) 0x92; // algorithm 1: none MariaDB writes
        byte[] unknown = event(166, concat(head, other));
        assertTrue(assertThrows(IOException.class, () -> MariaDbCompressedEvents.decompress(unknown, unknown.length, true))
                .getMessage().contains("not zlib"));
        byte[] garbage = good.clone();
        Arrays.fill(garbage, 3, 10, (byte) 0x55);
        byte[] bad = event(166, concat(head, garbage));
        assertThrows(IOException.class, () -> MariaDbCompressedEvents.decompress(bad, bad.length, true));
    }
}
