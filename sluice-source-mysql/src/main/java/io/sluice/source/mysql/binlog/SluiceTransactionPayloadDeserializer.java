package io.sluice.source.mysql.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.EventDataDeserializer;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.io.ByteArrayInputStream;

import java.io.IOException;

/**
 * Reads TRANSACTION_PAYLOAD events (MySQL 8.0.20+ with binlog_transaction_compression=ON): a header
 * of (type, length, value) fields, then the transaction's ordinary events (BEGIN, TABLE_MAP, rows,
 * XID) compressed with zstd, without checksums. The client's own payload deserializer decodes the
 * inner events with a default deserializer, i.e. without Sluice's row deserializers and table-map
 * cache; this one decodes them with {@code inner}, which shares both with the outer stream, one at a time as the
 * reader takes them ({@link StreamedTransactionPayload}).
 */
final class SluiceTransactionPayloadDeserializer implements EventDataDeserializer<StreamedTransactionPayload> {

    // MySQL's binary_log::codecs::binary::Transaction_payload field types
    private static final int END_MARK = 0;
    private static final int PAYLOAD_SIZE = 1;
    private static final int COMPRESSION_TYPE = 2;
    private static final int UNCOMPRESSED_SIZE = 3;
    static final int ZSTD = 0;
    static final int NONE = 255;

    private final EventDeserializer inner;

    SluiceTransactionPayloadDeserializer(EventDeserializer inner) {
        this.inner = inner;
    }

    @Override
    public StreamedTransactionPayload deserialize(ByteArrayInputStream in) throws IOException {
        StreamedTransactionPayload data = new StreamedTransactionPayload(inner);
        while (in.available() > 0) {
            int type = in.readPackedInteger();
            if (type == END_MARK) break;
            int length = in.readPackedInteger();
            switch (type) {
                case PAYLOAD_SIZE -> data.setPayloadSize(in.readPackedInteger());
                case COMPRESSION_TYPE -> data.setCompressionType(in.readPackedInteger());
                case UNCOMPRESSED_SIZE -> data.uncompressedSize(in.readPackedLong()); // past 2 GB for a big transaction
                default -> in.skip(length); // a field of a later server version
            }
        }
        data.setPayload(in.read(data.getPayloadSize()));
        int type = data.getCompressionType();
        if (type != ZSTD && type != NONE) throw new IOException("TRANSACTION_PAYLOAD with unknown compression type " + type);
        return data; // its events are read as the reader takes them
    }
}
