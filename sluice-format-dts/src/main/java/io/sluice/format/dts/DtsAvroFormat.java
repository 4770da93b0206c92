package io.sluice.format.dts;

import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.route.Router;

/** {@code target.format: dtsAvro}: DTS Avro {@code Record}s (Record.avsc), the default. */
public final class DtsAvroFormat implements RecordFormat {

    @Override
    public RecordEncoder encoder(String sourceName, String sourceVersion, Router router) {
        return new DtsAvroEncoder(sourceName, sourceVersion);
    }

    @Override
    public long id(byte[] encoded) {
        // the whole record is decoded: the id's varint alone would read a number out of any bytes (a JSON record)
        if (DtsRecordOrigin.decodeWhole(encoded) == null) throw new IllegalArgumentException("not a DTS Avro record");
        return DtsRecordIds.id(encoded);
    }

    @Override
    public RecordOrigin origin(byte[] encoded) {
        DtsRecordOrigin o = DtsRecordOrigin.of(encoded);
        return o == null ? null : new RecordOrigin(o.objectName(), o.source());
    }
}
