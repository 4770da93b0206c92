package io.sluice.source.mysql.binlog;

import com.github.luben.zstd.Zstd;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.XidEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The events of a compressed transaction, read one at a time from its payload. */
class StreamedTransactionPayloadTest {

    /** An XID event (type 16) as MySQL writes it inside a payload: 19-byte header, the 8-byte xid, no checksum. */
    private static byte[] xid(long xid) {
        ByteBuffer b = ByteBuffer.allocate(27).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1_700_000_000).put((byte) 16).putInt(1).putInt(27).putInt(0).putShort((short) 0).putLong(xid);
        return b.array();
    }

    private static byte[] events(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i <= count; i++) out.writeBytes(xid(i));
        return out.toByteArray();
    }

    private static StreamedTransactionPayload payload(byte[] payload, int compression, long uncompressedSize) {
        StreamedTransactionPayload p = new StreamedTransactionPayload(new EventDeserializer());
        p.setPayload(payload);
        p.setPayloadSize(payload.length);
        p.setCompressionType(compression);
        p.uncompressedSize(uncompressedSize);
        return p;
    }

    private static List<Long> xids(StreamedTransactionPayload p) throws IOException {
        List<Long> xids = new ArrayList<>();
        p.forEach((Event e) -> xids.add(((XidEventData) e.getData()).getXid()));
        return xids;
    }

    @Test
    void zstdEventsComeInOrderAndEndAtTheStatedSize() throws IOException {
        byte[] plain = events(1000);
        StreamedTransactionPayload p = payload(Zstd.compress(plain), SluiceTransactionPayloadDeserializer.ZSTD, plain.length);
        List<Long> xids = xids(p);
        assertEquals(1000, xids.size());
        assertEquals(1L, xids.get(0));
        assertEquals(1000L, xids.get(999));
        assertEquals(xids, xids(p), "each read starts over");
    }

    @Test
    void uncompressedPayloadsAreReadAsTheyAre() throws IOException {
        byte[] plain = events(3);
        assertEquals(List.of(1L, 2L, 3L), xids(payload(plain, SluiceTransactionPayloadDeserializer.NONE, 0)));
    }

    @Test
    void theFirstEventComesBeforeTheRestIsDecompressed() throws IOException {
        // a payload cut after its first events: those come, the damage shows only when reached
        byte[] plain = events(50_000);
        byte[] compressed = Zstd.compress(plain);
        StreamedTransactionPayload p = payload(Arrays.copyOf(compressed, compressed.length / 2),
                SluiceTransactionPayloadDeserializer.ZSTD, plain.length);
        StreamedTransactionPayload.Events events = p.events();
        assertEquals(1L, ((XidEventData) events.next().getData()).getXid());
        IOException e = assertThrows(IOException.class, () -> {
            while (events.next() != null) { /* on to the damage */ }
        });
        assertTrue(e.getMessage() != null, "says what is wrong");
    }

    @Test
    void aSizeOtherThanStatedIsAnError() {
        byte[] plain = events(10);
        IOException shorter = assertThrows(IOException.class,
                () -> xids(payload(Zstd.compress(plain), SluiceTransactionPayloadDeserializer.ZSTD, plain.length + 27)));
        assertTrue(shorter.getMessage().contains("not its stated"), shorter.getMessage());
        IOException longer = assertThrows(IOException.class,
                () -> xids(payload(Zstd.compress(plain), SluiceTransactionPayloadDeserializer.ZSTD, plain.length - 27)));
        assertTrue(longer.getMessage().contains("impossible length"), longer.getMessage());
    }

    @Test
    void aPayloadEndingInsideAnEventIsAnError() {
        byte[] plain = Arrays.copyOf(events(2), 27 + 10);
        assertThrows(IOException.class, () -> xids(payload(plain, SluiceTransactionPayloadDeserializer.NONE, 0)));
    }
}
