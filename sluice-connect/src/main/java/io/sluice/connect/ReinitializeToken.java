package io.sluice.connect;

import java.util.Map;

/**
 * {@code initialization.reinitializeToken}: Connect's form of {@code sluice run --reinitialize}. The
 * token in force is recorded in every checkpoint offset, so it is committed in the same Kafka
 * transaction as the records it goes with. A task whose configured token differs from the one in
 * the connector's checkpoint offset starts over (a new snapshot from the current binlog end) and
 * records the new token with its first commit: until that commit a restart starts over again (its
 * records were never committed), after it a restart with the same token resumes as usual.
 *
 * <p>Only a checkpoint in the connector's own offsets is compared: without one (a new connector,
 * offsets reset, a checkpoint taken over from {@code sluice run}) the start is the usual one, under
 * the lost-checkpoint guard, and the configured token is recorded from the first commit on.
 *
 * @param reinitialize whether the task starts over
 * @param recorded the token the task's checkpoint offsets carry from now on (null: none)
 */
record ReinitializeToken(boolean reinitialize, String recorded) {

    static final String KEY = ConnectorConfig.INIT_REINITIALIZE_TOKEN;

    /** @param checkpointOffset the connector's checkpoint offset as the worker read it, or null */
    static ReinitializeToken decide(Map<String, String> props, Map<String, Object> checkpointOffset) {
        String configured = props.get(KEY);
        configured = configured == null || configured.isBlank() ? null : configured.trim();
        boolean hasCheckpoint = checkpointOffset != null && checkpointOffset.get(ConnectOffsets.CHECKPOINT_FIELD) != null;
        if (!hasCheckpoint) return new ReinitializeToken(false, configured);
        Object stored = checkpointOffset.get(ConnectOffsets.TOKEN_FIELD);
        String storedToken = stored == null ? null : stored.toString();
        // a token removed from the config keeps the recorded one: submitting it again later is no change
        if (configured == null) return new ReinitializeToken(false, storedToken);
        return new ReinitializeToken(!configured.equals(storedToken), configured);
    }
}
