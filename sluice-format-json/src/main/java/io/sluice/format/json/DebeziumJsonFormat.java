package io.sluice.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.route.Router;

/** {@code target.format: debeziumJson}: Debezium MySQL change events as JSON (docs/formats.md). */
public final class DebeziumJsonFormat implements RecordFormat {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final boolean schemas;

    /** @param schemas the {@code schema} part on (JsonConverter's schemas.enable) */
    public DebeziumJsonFormat(boolean schemas) {
        this.schemas = schemas;
    }

    @Override
    public RecordEncoder encoder(String sourceName, String sourceVersion, Router router) {
        return new DebeziumJsonEncoder(sourceName, schemas);
    }

    @Override
    public long id(byte[] encoded) {
        // parsed, not searched: the id is source.sequence of a Debezium envelope (with or without the schema part)
        JsonNode m;
        try {
            m = JSON.readTree(encoded);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a Debezium JSON record", e);
        }
        if (m != null && m.has("payload") && m.has("schema")) m = m.get("payload");
        // change events and schema change events (DDL records, no "op") both carry it
        JsonNode sequence = m == null ? null : m.path("source").get("sequence");
        if (sequence == null || !sequence.isTextual() || !sequence.asText().matches("[0-9]{1,18}")) {
            throw new IllegalArgumentException("not a Debezium JSON record written by Sluice (no source.sequence)");
        }
        return Long.parseLong(sequence.asText());
    }

    /** Read with or without the schema part: a job may have changed target.debezium.schemas. */
    @Override
    public RecordOrigin origin(byte[] encoded) {
        try {
            JsonNode m = JSON.readTree(encoded);
            if (m != null && m.has("payload") && m.has("schema")) m = m.get("payload");
            JsonNode source = m == null ? null : m.get("source");
            if (source == null || !source.hasNonNull("db")) return null;
            String table = source.path("table").isTextual() ? source.get("table").asText() : null;
            return new RecordOrigin(ObjectNames.objectName(source.get("db").asText(), table), source.path("name").asText(null));
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
