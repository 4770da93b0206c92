package io.sluice.format.dts;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;

/**
 * The {@code id} of an encoded record (the second field, after {@code version}): read without
 * decoding the rest, or replaced, so a record can be encoded before its id is known.
 */
public final class DtsRecordIds {

    private DtsRecordIds() {}

    public static long id(byte[] encodedRecord) {
        try {
            BinaryDecoder in = DecoderFactory.get().binaryDecoder(encodedRecord, null);
            in.readInt(); // version
            return in.readLong();
        } catch (IOException e) {
            throw new IllegalArgumentException("not a DTS Avro record", e);
        }
    }

    /** The same record with {@code id} instead of its id: byte for byte what encoding it with that id gives. */
    public static byte[] withId(long id, byte[] encodedRecord) {
        int idStart = varintEnd(encodedRecord, 0);
        return withId(id, encodedRecord, idStart, varintEnd(encodedRecord, idStart));
    }

    /** {@link #withId} where the record's id is at {@code idStart} up to {@code idEnd}. */
    private static byte[] withId(long id, byte[] encodedRecord, int idStart, int idEnd) {
        byte[] out = new byte[encodedRecord.length - (idEnd - idStart) + AvroBytes.longSize(id)];
        System.arraycopy(encodedRecord, 0, out, 0, idStart);
        int p = AvroBytes.putLong(out, idStart, id);
        System.arraycopy(encodedRecord, idEnd, out, p, encodedRecord.length - idEnd);
        return out;
    }

    /**
     * {@link #withId}, but when {@code id} takes as many bytes as the record's id, {@code encodedRecord}
     * itself with the id overwritten (no copy of the record): the caller must not use the input
     * afterwards. The readers encode INIT records with an id near the one they will get (see
     * {@code InitRecordEncoder}), so this is the common case; ids change varint length only at
     * 64, 8192, 2^20, 2^27, ...
     */
    public static byte[] withIdInPlace(long id, byte[] encodedRecord) {
        int idStart = varintEnd(encodedRecord, 0);
        int idEnd = varintEnd(encodedRecord, idStart);
        if (idEnd - idStart != AvroBytes.longSize(id)) return withId(id, encodedRecord, idStart, idEnd);
        AvroBytes.putLong(encodedRecord, idStart, id);
        return encodedRecord;
    }

    private static int varintEnd(byte[] bytes, int start) {
        int p = start;
        while (p < bytes.length && (bytes[p] & 0x80) != 0) p++;
        if (p >= bytes.length) throw new IllegalArgumentException("not a DTS Avro record");
        return p + 1;
    }
}
