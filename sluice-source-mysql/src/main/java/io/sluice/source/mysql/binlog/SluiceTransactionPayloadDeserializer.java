package io.sluice.source.mysql.binlog;

import com.github.luben.zstd.Zstd;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.TransactionPayloadEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;
import java.util.ArrayList;

/**
 * Reads TRANSACTION_PAYLOAD events (MySQL 8.0.20+ with binlog_transaction_compression=ON): a header
 * of (type, length, value) fields, then the transaction's ordinary events (BEGIN, TABLE_MAP, rows,
 * XID) compressed with zstd, without checksums. The client's own payload deserializer decodes the
 * inner events with a default deserializer, i.e. without Sluice's row deserializers and table-map
 * cache; this one decodes them with {@code inner}, which shares both with the outer stream.
 */
final class SluiceTransactionPayloadDeserializer implements EventDataDeserializer<TransactionPayloadEventData> {

    // MySQL's binary_log::codecs::binary::Transaction_payload field types
    private static final int END_MARK = 0;
    private static final int PAYLOAD_SIZE = 1;
    private static final int COMPRESSION_TYPE = 2;
    private static final int UNCOMPRESSED_SIZE = 3;
    private static final int ZSTD = 0;
    private static final int NONE = 255;

    private final EventDeserializer inner;

    SluiceTransactionPayloadDeserializer(EventDeserializer inner) {
        this.inner = inner;
    }

    @Override
    public TransactionPayloadEventData deserialize(ByteArrayInputStream in) throws IOException {
        TransactionPayloadEventData data = new TransactionPayloadEventData();
        while (in.available() > 0) {
            int type = in.readPackedInteger();
            if (type == END_MARK) break;
            int length = in.readPackedInteger();
            switch (type) {
                case PAYLOAD_SIZE -> data.setPayloadSize(in.readPackedInteger());
                case COMPRESSION_TYPE -> data.setCompressionType(in.readPackedInteger());
                case UNCOMPRESSED_SIZE -> data.setUncompressedSize(in.readPackedInteger());
                default -> in.skip(length); // a field of a later server version
            }
        }
        byte[] payload = in.read(data.getPayloadSize());
        data.setPayload(payload);
        byte[] events = switch (data.getCompressionType()) {
            case ZSTD -> decompress(payload, data.getUncompressedSize());
            case NONE -> payload;
            default -> throw new IOException("TRANSACTION_PAYLOAD with unknown compression type " + data.getCompressionType());
        };
        ArrayList<Event> list = new ArrayList<>();
        ByteArrayInputStream stream = new EventByteStream(events);
        for (Event e = inner.nextEvent(stream); e != null; e = inner.nextEvent(stream)) {
            // unwrapped as the client does for the outer stream (no event type here is wrapped today)
            list.add(e.getData() instanceof EventDeserializer.EventDataWrapper w ? new Event(e.getHeader(), w.getExternal()) : e);
        }
        data.setUncompressedEvents(list);
        return data;
    }

    private static byte[] decompress(byte[] payload, int size) throws IOException {
        byte[] out = new byte[size];
        long n = Zstd.decompressByteArray(out, 0, size, payload, 0, payload.length);
        if (Zstd.isError(n) || n != size) {
            throw new IOException("TRANSACTION_PAYLOAD does not decompress to its stated " + size + " bytes: "
                    + (Zstd.isError(n) ? Zstd.getErrorName(n) : n + " bytes"));
        }
        return out;
    }
}
