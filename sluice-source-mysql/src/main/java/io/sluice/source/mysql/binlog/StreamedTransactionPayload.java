package io.sluice.source.mysql.binlog;

import com.github.luben.zstd.ZstdInputStream;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Consumer;

/**
 * A compressed transaction (TRANSACTION_PAYLOAD) whose events are decompressed and deserialized one at a time
 * as the reader takes them: memory holds the compressed payload and one inner event, never the whole
 * transaction uncompressed (a transaction of millions of rows is gigabytes then, compressed a few percent of it).
 */
final class StreamedTransactionPayload extends TransactionPayloadEventData {

    private static final int HEADER = 19;

    private final transient EventDeserializer inner;
    /** The client's field is an int; a transaction can decompress to more than 2 GB. */
    private long uncompressedSize;

    StreamedTransactionPayload(EventDeserializer inner) {
        this.inner = inner;
    }

    void uncompressedSize(long size) {
        uncompressedSize = size;
        setUncompressedSize((int) Math.min(size, Integer.MAX_VALUE));
    }

    long uncompressedSize() {
        return uncompressedSize;
    }

    /** A reader of the events, from the first; each call starts over. */
    Events events() throws IOException {
        return new Events();
    }

    /** Hands every event to {@code each} in order (for tests and tools; the reader uses {@link #events()}). */
    void forEach(Consumer<Event> each) throws IOException {
        Events events = events();
        for (Event e = events.next(); e != null; e = events.next()) each.accept(e);
    }

    /** The payload's events in order, read as they are asked for. */
    final class Events {
        private final InputStream in;
        private final byte[] header = new byte[HEADER];
        private final boolean compressed = getCompressionType() != SluiceTransactionPayloadDeserializer.NONE;
        /** What the events may add up to: the stated uncompressed size, or the payload itself when not compressed. */
        private final long limit = compressed ? uncompressedSize : getPayload().length;
        private long read;

        private Events() throws IOException {
            InputStream raw = new java.io.ByteArrayInputStream(getPayload());
            in = compressed ? new ZstdInputStream(raw) : raw;
        }

        /** The next event, or null after the last; an IOException when the payload is damaged or ends early. */
        Event next() throws IOException {
            int first = in.readNBytes(header, 0, HEADER);
            if (first == 0) {
                if (compressed && read != uncompressedSize) {
                    throw new IOException("TRANSACTION_PAYLOAD decompresses to " + read + " bytes, not its stated " + uncompressedSize);
                }
                return null;
            }
            if (first < HEADER) throw new EOFException("TRANSACTION_PAYLOAD ends inside an event header (" + first + " bytes)");
            long length = (header[9] & 0xFFL) | (header[10] & 0xFFL) << 8 | (header[11] & 0xFFL) << 16 | (header[12] & 0xFFL) << 24;
            if (length < HEADER || read + length > limit) {
                throw new IOException("TRANSACTION_PAYLOAD holds an event of type " + (header[4] & 0xFF) + " with an impossible length of "
                        + length + " bytes");
            }
            byte[] event = new byte[(int) length]; // its own array: what the deserializers keep may refer to it
            System.arraycopy(header, 0, event, 0, HEADER);
            int body = in.readNBytes(event, HEADER, event.length - HEADER);
            if (body < event.length - HEADER) throw new EOFException("TRANSACTION_PAYLOAD ends inside an event of " + length + " bytes");
            read += length;
            Event e = inner.nextEvent(new EventByteStream(event));
            // unwrapped as the client does for the outer stream (no event type here is wrapped today)
            return e.getData() instanceof EventDeserializer.EventDataWrapper w ? new Event(e.getHeader(), w.getExternal()) : e;
        }
    }
}
