package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;
import java.util.Map;

/**
 * The client's event deserializer, fed each event's bytes from one array: the event (its length is
 * in the v4 header) is copied out of the client's stream in bulk and deserialized from an
 * {@link EventByteStream}. The client hands {@link #nextEvent} its socket stream, positioned at an
 * event (a packet split at 16 MB as a stream over the joined array); the client's deserializers
 * would otherwise read it byte by byte through two stream layers. Checksums are skipped by the
 * client's code as before (its checksum length, set from FORMAT_DESCRIPTION or the client).
 */
final class WholeEventDeserializer extends EventDeserializer {

    private static final int HEADER = 19;
    /** Events up to this size are read into one reused array (nothing keeps the stream: deserializers copy what they keep). */
    private static final int REUSED_MAX = 1 << 20;

    private final byte[] header = new byte[HEADER];
    private byte[] reused = new byte[8192];

    WholeEventDeserializer(Map<EventType, EventDataDeserializer> deserializers, Map<Long, TableMapEventData> tableMaps) {
        super(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), deserializers, tableMaps);
    }

    @Override
    public Event nextEvent(ByteArrayInputStream in) throws IOException {
        if (in instanceof EventByteStream) return super.nextEvent(in); // already an array (events of a compressed transaction)
        if (in.peek() == -1) return null;
        in.fill(header, 0, HEADER);
        long length = (header[9] & 0xFFL) | (header[10] & 0xFFL) << 8 | (header[11] & 0xFFL) << 16 | (header[12] & 0xFFL) << 24;
        if (length < HEADER || length > Integer.MAX_VALUE - 8) {
            throw new IOException("binlog event of type " + (header[4] & 0xFF) + " states an impossible length of " + length + " bytes");
        }
        int n = (int) length;
        byte[] event = n <= REUSED_MAX ? (n <= reused.length ? reused : (reused = new byte[Math.min(REUSED_MAX, Math.max(n, reused.length * 2))])) : new byte[n];
        System.arraycopy(header, 0, event, 0, HEADER);
        in.fill(event, HEADER, n - HEADER);
        return super.nextEvent(new EventByteStream(event, 0, n));
    }
}
