package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.EventHeader;
import com.github.shyiko.mysql.binlog.event.EventHeaderV4;
import com.github.shyiko.mysql.binlog.event.EventType;
import com.github.shyiko.mysql.binlog.event.FormatDescriptionEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.ChecksumType;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializationException;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventHeaderV4Deserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.NullEventDataDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;
import io.sluice.source.mysql.value.OldTemporalColumns;

import java.io.IOException;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The client's event deserializer, fed each event's bytes from one array: the event (its length is
 * in the v4 header) is copied out of the client's stream in bulk and deserialized from an
 * {@link EventByteStream}. The client hands {@link #nextEvent} its socket stream, positioned at an
 * event (a packet split at 16 MB as a stream over the joined array); the client's deserializers
 * would otherwise read it byte by byte through two stream layers.
 * <p>
 * With binlog_checksum=CRC32 (announced by the client's connection setup or the FORMAT_DESCRIPTION
 * event) every event's CRC32 trailer is verified before it is decoded, as a MySQL replica's IO
 * thread does: a mismatch throws {@link BinlogChecksumMismatch}. Events inside a compressed
 * transaction (TRANSACTION_PAYLOAD) have no checksum of their own (the outer event's covers them)
 * and arrive as an {@link EventByteStream}: they are not verified.
 * <p>
 * TABLE_MAP events go straight to {@link LenientTableMapDeserializer} over the event's array: the
 * client would hand it (as the internal deserializer of its wrapper, see there) a copy of the bytes in
 * a plain stream, so its in-place comparison of a repeated event could never run.
 */
final class WholeEventDeserializer extends EventDeserializer {

    private static final int HEADER = 19;
    private static final int FORMAT_DESCRIPTION = 15;
    /** LOG_EVENT_BINLOG_IN_USE_F in the FORMAT_DESCRIPTION's flags: set and cleared without updating its checksum. */
    private static final int BINLOG_IN_USE = 0x1;
    private static final int FLAGS_OFFSET = 17;
    /** LOG_EVENT_IGNORABLE_F: a replica that does not know the event's type may skip it. */
    private static final int IGNORABLE_FLAG = 0x80;
    private static final int MARIADB_START_ENCRYPTION = 164;
    /** IGNORABLE_LOG_EVENT's type number. */
    private static final byte IGNORABLE = 28;
    /** Events up to this size are read into one reused array (nothing keeps the stream: deserializers copy what they keep). */
    private static final int REUSED_MAX = 1 << 20;

    private final byte[] header = new byte[HEADER];
    private byte[] reused = new byte[8192];
    /** Reset over each event (the events of a compressed transaction come in their own stream, to another instance). */
    private final EventByteStream stream = new EventByteStream(new byte[0]);
    private final CRC32 crc = new CRC32();
    private final OldTemporalColumns tableMapSchemas;
    private final LenientTableMapDeserializer tableMapReader;
    private final Map<Long, TableMapEventData> tableMaps;
    /** As the client's checksum length (CRC32 from setChecksumType or the FORMAT_DESCRIPTION: 4 bytes, else 0). */
    private boolean checksummed;

    WholeEventDeserializer(Map<EventType, EventDataDeserializer> deserializers, Map<Long, TableMapEventData> tableMaps,
                           OldTemporalColumns tableMapSchemas, LenientTableMapDeserializer tableMapReader) {
        super(new EventHeaderV4Deserializer(), new NullEventDataDeserializer(), deserializers, tableMaps);
        this.tableMapSchemas = tableMapSchemas;
        this.tableMapReader = tableMapReader;
        this.tableMaps = tableMaps;
    }

    /**
     * The client's TABLE_MAP handling (the body as a block, the checksum skipped, the result registered
     * under its table id, an IOException wrapped with the header) without its wrapper's copy of the
     * body: the listeners get the very instance the rows deserializers look up, as with the wrapper.
     */
    @Override
    public EventData deserializeTableMapEventData(ByteArrayInputStream in, EventHeader header) throws IOException {
        int checksumLength = checksummed ? 4 : 0;
        TableMapEventData data;
        try {
            in.enterBlock((int) header.getDataLength() - checksumLength);
            try {
                data = tableMapReader.deserialize(in);
            } finally {
                in.skipToTheEndOfTheBlock();
                in.skip(checksumLength);
            }
        } catch (IOException e) {
            throw new EventDataDeserializationException(header, e);
        }
        tableMaps.put(data.getTableId(), data);
        return data;
    }

    /**
     * The client's TRANSACTION_PAYLOAD handling without its walk over the decoded inner events (to register their
     * TABLE_MAPs): a {@link StreamedTransactionPayload} decodes them later, one at a time, and its TABLE_MAPs
     * register themselves as they are read (the inner deserializer shares this one's table-map cache).
     */
    @Override
    public EventData deserializeTransactionPayloadEventData(ByteArrayInputStream in, EventHeader header) throws IOException {
        int checksumLength = checksummed ? 4 : 0;
        try {
            in.enterBlock((int) header.getDataLength() - checksumLength);
            try {
                return getEventDataDeserializer(EventType.TRANSACTION_PAYLOAD).deserialize(in);
            } finally {
                in.skipToTheEndOfTheBlock();
                in.skip(checksumLength);
            }
        } catch (IOException e) {
            throw new EventDataDeserializationException(header, e);
        }
    }

    LenientTableMapDeserializer tableMapReader() {
        return tableMapReader;
    }

    /** TABLE_MAP and the rows events (v1, v2) keep the table definitions the reader gave with the TABLE_MAP. */
    private void forgetSchemasUnlessRows(int type) {
        if (type != 19 && (type < 23 || type > 25) && (type < 30 || type > 32)) tableMapSchemas.forgetSchemas();
    }

    @Override
    public void setChecksumType(ChecksumType checksumType) {
        super.setChecksumType(checksumType);
        checksummed = checksumType == ChecksumType.CRC32;
    }

    @Override
    public Event nextEvent(ByteArrayInputStream in) throws IOException {
        if (in instanceof EventByteStream inner) { // already an array (an event of a compressed transaction)
            // read one at a time as the reader takes them (StreamedTransactionPayload): the reader has seen the TABLE_MAP
            forgetSchemasUnlessRows(inner.peekEventType());
            return super.nextEvent(in);
        }
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
        int type = header[4] & 0xFF;
        boolean compressed = MariaDbCompressedEvents.isCompressed(type);
        forgetSchemasUnlessRows(compressed ? MariaDbCompressedEvents.plainType(type) : type);
        if (type != FORMAT_DESCRIPTION) {
            if (checksummed) verify(event, n, type); // over the bytes as the server wrote them
            if (compressed) return decompressed(event, n);
            if (EventType.byEventNumber(type) == null) unknown(event, n, type);
            return super.nextEvent(stream.reset(event, 0, n));
        }
        // FORMAT_DESCRIPTION states its own checksum algorithm (for itself and the events after it)
        Event fd = super.nextEvent(stream.reset(event, 0, n));
        checksummed = fd.getData() instanceof FormatDescriptionEventData d && d.getChecksumType() == ChecksumType.CRC32;
        if (checksummed) verify(event, n, type);
        return fd;
    }

    /** A MariaDB compressed event, decoded as the plain event it stands for, at its own place in the file. */
    private Event decompressed(byte[] event, int n) throws IOException {
        byte[] plain;
        try {
            plain = MariaDbCompressedEvents.decompress(event, n, checksummed);
        } catch (IOException e) {
            throw new EventDataDeserializationException(header(event, n, EventType.UNKNOWN), e);
        }
        Event e = super.nextEvent(stream.reset(plain, 0, plain.length));
        ((EventHeaderV4) e.getHeader()).setEventLength(n); // the position is the next one less the length in the file
        return e;
    }

    /**
     * An event type the client does not know: read as IGNORABLE when the server flags it so
     * (LOG_EVENT_IGNORABLE_F, or MariaDB's START_ENCRYPTION, whose encrypted events a dump sends
     * decrypted); any other is refused as a replica refuses it: skipping it could skip changes.
     */
    private void unknown(byte[] event, int n, int type) throws IOException {
        int flags = (event[FLAGS_OFFSET] & 0xFF) | (event[FLAGS_OFFSET + 1] & 0xFF) << 8;
        if ((flags & IGNORABLE_FLAG) != 0 || type == MARIADB_START_ENCRYPTION) {
            event[4] = IGNORABLE; // no deserializer: empty data, which the reader passes over
            return;
        }
        throw new EventDataDeserializationException(header(event, n, EventType.UNKNOWN), new IOException(
                "event type " + type + " is not one Sluice knows, and the server did not mark it as one a replica may ignore"));
    }

    private static EventHeaderV4 header(byte[] event, int n, EventType type) {
        EventHeaderV4 h = new EventHeaderV4();
        h.setTimestamp(uint32(event, 0) * 1000L);
        h.setEventType(type);
        h.setServerId(uint32(event, 5));
        h.setEventLength(n);
        h.setNextPosition(uint32(event, 13));
        h.setFlags((event[FLAGS_OFFSET] & 0xFF) | (event[FLAGS_OFFSET + 1] & 0xFF) << 8);
        return h;
    }

    private void verify(byte[] event, int n, int type) throws BinlogChecksumMismatch {
        if (n < HEADER + 4) throw new BinlogChecksumMismatch(position(event, n), type, -1, -1);
        crc.reset();
        if (type == FORMAT_DESCRIPTION) { // the checksum was computed with the in-use flag clear (MySQL's event_checksum_test)
            crc.update(event, 0, FLAGS_OFFSET);
            crc.update(event[FLAGS_OFFSET] & ~BINLOG_IN_USE);
            crc.update(event, FLAGS_OFFSET + 1, n - 4 - FLAGS_OFFSET - 1);
        } else {
            crc.update(event, 0, n - 4);
        }
        long stated = uint32(event, n - 4);
        if (crc.getValue() != stated) throw new BinlogChecksumMismatch(position(event, n), type, stated, crc.getValue());
    }

    /** The event's start in its file: its header holds the next event's position (0 in events the server makes up). */
    private static long position(byte[] event, int n) {
        long next = uint32(event, 13);
        return next >= n ? next - n : -1;
    }

    private static long uint32(byte[] b, int i) {
        return (b[i] & 0xFFL) | (b[i + 1] & 0xFFL) << 8 | (b[i + 2] & 0xFFL) << 16 | (b[i + 3] & 0xFFL) << 24;
    }
}
