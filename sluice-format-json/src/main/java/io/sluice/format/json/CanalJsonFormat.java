package io.sluice.format.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.format.RecordFormat;
import io.sluice.core.route.Router;

/** {@code target.format: canalJson}: Canal flat messages (docs/formats.md). */
public final class CanalJsonFormat implements RecordFormat {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Most rows of one binlog rows event in one message; 1: one message per row change. */
    private final int maxRowsPerMessage;

    public CanalJsonFormat() {
        this(1);
    }

    /** @param maxRowsPerMessage 1 ({@code target.canal.batch: row}) or {@code target.canal.batchMaxRows} */
    public CanalJsonFormat(int maxRowsPerMessage) {
        this.maxRowsPerMessage = maxRowsPerMessage;
    }

    @Override
    public RecordEncoder encoder(String sourceName, String sourceVersion, Router router) {
        return new CanalJsonEncoder(maxRowsPerMessage);
    }

    @Override
    public long id(byte[] encoded) {
        // a Canal message opens with its id; {"id": further in is another format's data (a column named id)
        byte[] m = CanalJsonEncoder.ID_MARKER;
        if (encoded.length <= m.length || !java.util.Arrays.equals(encoded, 0, m.length, m, 0, m.length)
                || encoded[m.length] < '0' || encoded[m.length] > '9') {
            throw new IllegalArgumentException("not a Canal JSON message");
        }
        return IdPatch.id(encoded, m.length);
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
