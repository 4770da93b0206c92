package io.sluice.format.dts;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;

/** Reads the {@code id} of an encoded record (the second field) without decoding the rest. */
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
}
