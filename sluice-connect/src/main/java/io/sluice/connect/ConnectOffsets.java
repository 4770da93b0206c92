package io.sluice.connect;

import io.sluice.core.error.SluiceException;
import io.sluice.engine.state.Checkpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The job's checkpoint as Connect source offsets: source partition {@code {"job": <name>}} holds
 * the checkpoint JSON the CLI writes to its checkpoint topic, {@code {"job": <name>, "part":
 * "schema-history"}} the schema history (written only when it changed, as in the checkpoint topic).
 * On at-least-once workers the checkpoint offset carries the schema history itself (see {@link ConnectDelivery}).
 */
final class ConnectOffsets {

    static final String JOB = "job";
    static final String PART = "part";
    static final String SCHEMA_HISTORY = "schema-history";
    static final String CHECKPOINT_FIELD = "checkpoint";
    static final String HISTORY_FIELD = "history";
    /** The initialization.reinitializeToken in force at the checkpoint ({@link ReinitializeToken}). */
    static final String TOKEN_FIELD = "reinitializeToken";

    private ConnectOffsets() {}

    static Map<String, Object> checkpointPartition(String job) { return stable(JOB, job); }

    static Map<String, Object> historyPartition(String job) {
        Map<String, Object> p = stable(JOB, job);
        p.put(PART, SCHEMA_HISTORY);
        return p;
    }

    /**
     * A HashMap, not Map.of: Connect finds an offset by the serialized bytes of its partition map, so
     * its key order must be the same in every JVM (Map.of's iteration order changes from one JVM to
     * the next, a HashMap's of these keys does not) and the same as Connect's own deserialized maps
     * (HashMaps: the REST offsets API).
     */
    private static Map<String, Object> stable(String key, Object value) {
        Map<String, Object> m = new HashMap<>();
        m.put(key, value);
        return m;
    }

    static Map<String, Object> checkpointOffset(byte[] checkpointJson) {
        return Map.of(CHECKPOINT_FIELD, new String(checkpointJson, StandardCharsets.UTF_8));
    }

    /** An at-least-once worker's checkpoint offset: the checkpoint with the schema history in force there (if any). */
    static Map<String, Object> checkpointOffset(byte[] checkpointJson, String history) {
        return checkpointOffset(checkpointJson, history, null);
    }

    /** The checkpoint offset with the history in force (at-least-once workers, else null) and the reinitialize token (if any). */
    static Map<String, Object> checkpointOffset(byte[] checkpointJson, String history, String token) {
        Map<String, Object> m = new HashMap<>();
        m.put(CHECKPOINT_FIELD, new String(checkpointJson, StandardCharsets.UTF_8));
        if (history != null) m.put(HISTORY_FIELD, history);
        if (token != null) m.put(TOKEN_FIELD, token);
        return Map.copyOf(m);
    }

    static Map<String, Object> historyOffset(String history) { return Map.of(HISTORY_FIELD, history); }

    /**
     * The checkpoint of a stored offset pair, or null when there is no checkpoint offset. The history
     * a checkpoint offset carries (written by an at-least-once worker) is the one in force at it; else
     * the history partition's (exactly-once: committed in the same transactions as the checkpoints).
     */
    static Checkpoint checkpoint(String job, Map<String, Object> checkpointOffset, Map<String, Object> historyOffset) {
        Object json = checkpointOffset == null ? null : checkpointOffset.get(CHECKPOINT_FIELD);
        if (json == null) return null;
        Object history = checkpointOffset.get(HISTORY_FIELD);
        if (history == null && historyOffset != null) history = historyOffset.get(HISTORY_FIELD);
        try {
            return Checkpoint.fromJson(json.toString().getBytes(StandardCharsets.UTF_8))
                    .withSchemaHistory(history == null ? null : history.toString());
        } catch (IOException e) {
            throw new SluiceException("the Connect offset of connector " + job + " (source partition {\"job\": \"" + job
                    + "\"}) is not a Sluice checkpoint: " + e.getMessage(),
                    "reset the connector's offsets (DELETE /connectors/" + job + "/offsets while it is stopped) to start over, or restore them");
        }
    }
}
