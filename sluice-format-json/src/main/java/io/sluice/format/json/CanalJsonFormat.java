package io.sluice.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.route.Router;

/** {@code target.format: canalJson}: Canal flat messages (docs/formats.md). */
public final class CanalJsonFormat implements RecordFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public RecordEncoder encoder(String sourceName, String sourceVersion, Router router) {
        return new CanalJsonEncoder();
    }

    @Override
    public long id(byte[] encoded) {
        return IdPatch.id(encoded, IdPatch.digitsAt(encoded, CanalJsonEncoder.ID_MARKER, false));
    }

    /** Canal messages do not name the source: the origin has only the table. */
    @Override
    public RecordOrigin origin(byte[] encoded) {
        try {
            JsonNode m = JSON.readTree(encoded);
            if (m == null || !m.hasNonNull("database") || !m.has("isDdl")) return null;
            String table = m.path("table").asText("");
            return new RecordOrigin(ObjectNames.objectName(m.get("database").asText(), table.isEmpty() ? null : table), null);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
