package io.sluice.format.dts;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.util.Map;

/**
 * Where an encoded record came from: its {@code objectName} and its {@code source} tag (the job's
 * {@code source.name}). A job recognises the records it wrote by these two (see SyncJob's start).
 */
public record DtsRecordOrigin(String objectName, String source) {

    private static final Schema RECORD = new Schema.Parser().parse(DtsAvroEncoder.schemaText()).getTypes().stream()
            .filter(s -> s.getName().equals("Record")).findFirst().orElseThrow();

    /** The value decoded as one whole DTS {@code Record} (no bytes left over), or null when it is not one. */
    static GenericRecord decodeWhole(byte[] value) {
        try {
            org.apache.avro.io.BinaryDecoder in = DecoderFactory.get().binaryDecoder(value, null);
            GenericRecord r = new GenericDatumReader<GenericRecord>(RECORD).read(null, in);
            return in.isEnd() ? r : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Decodes the record; null for a value that is not a DTS record. */
    public static DtsRecordOrigin of(byte[] encodedRecord) {
        GenericRecord r = decodeWhole(encodedRecord);
        if (r == null) return null;
        Object tags = r.get("tags");
        Object source = null;
        if (tags instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) if (DtsAvroEncoder.TAG_SOURCE.equals(String.valueOf(e.getKey()))) source = e.getValue();
        }
        return new DtsRecordOrigin(String.valueOf(r.get("objectName")), source == null ? null : source.toString());
    }
}
