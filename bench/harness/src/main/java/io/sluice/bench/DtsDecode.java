package io.sluice.bench;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reads one integer column of a DTS Avro record (Record.avsc from the Sluice tree under test). */
final class DtsDecode {

    private final GenericDatumReader<GenericRecord> reader;
    private BinaryDecoder decoder;
    private GenericRecord reuse;
    /** Record.avsc's Operation enum symbols, in order. */
    private final List<String> operations;

    DtsDecode(Path avsc) throws IOException {
        Schema union = new Schema.Parser().parse(avsc.toFile());
        Schema record = union.getType() == Schema.Type.UNION
                ? union.getTypes().stream().filter(s -> s.getName().equals("Record")).findFirst().orElseThrow()
                : union;
        this.reader = new GenericDatumReader<>(record);
        this.operations = record.getField("operation").schema().getEnumSymbols();
        List<String> before = record.getFields().stream().limit(8).map(Schema.Field::name).toList();
        if (!before.equals(List.of("version", "id", "sourceTimestamp", "sourcePosition", "safeSourcePosition", "sourceTxid",
                "source", "operation"))) {
            throw new IllegalStateException("Record.avsc's first fields changed: " + before);
        }
    }

    /**
     * The record's {@code operation} symbol (INSERT, UPDATE, DELETE, INIT, ...), read without
     * decoding the rest: the fields before it are fixed (version, id, sourceTimestamp, three
     * strings, the Source record of an enum and a string).
     */
    String operation(byte[] bytes) throws IOException {
        BinaryDecoder d = decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        d.readInt();     // version
        d.readLong();    // id
        d.readLong();    // sourceTimestamp
        d.skipString();  // sourcePosition
        d.skipString();  // safeSourcePosition
        d.skipString();  // sourceTxid
        d.readEnum();    // source.sourceType
        d.skipString();  // source.version
        int op = d.readEnum();
        return op >= 0 && op < operations.size() ? operations.get(op) : "?" + op;
    }

    /**
     * The value of integer column {@code column} in the after image of a record of table
     * {@code objectName} ("db.table"), or null for another table / no after image.
     */
    Long afterLong(byte[] bytes, String objectName, String column) throws IOException {
        decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
        reuse = reader.read(reuse, decoder);
        Object name = reuse.get("objectName");
        if (name == null || !name.toString().equals(objectName)) return null;
        Object fields = reuse.get("fields");
        Object after = reuse.get("afterImages");
        if (!(fields instanceof List<?> fs) || !(after instanceof List<?> vs)) return null;
        for (int i = 0; i < fs.size(); i++) {
            if (((GenericRecord) fs.get(i)).get("name").toString().equals(column)) {
                GenericRecord v = (GenericRecord) vs.get(i);
                return Long.parseLong(v.get("value").toString());
            }
        }
        return null;
    }
}
