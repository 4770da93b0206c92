package io.sluice.connect;

import io.sluice.core.error.SluiceException;

import java.util.Map;

/**
 * Refuses a Connect offset larger than the worker can write as one record. The schema history of
 * many tables (and the initialization progress of many) can grow past the 1 MB a producer sends
 * and an offsets topic takes by default; an exactly-once worker would then fail each transaction
 * with a bare RecordTooLargeException, and an at-least-once worker would only log its failed
 * offset flushes while the task runs on, its offsets never advancing. Stopping first says what to change.
 */
final class OffsetSize {

    /** The producer's default max.request.size; the brokers' default message.max.bytes is a few bytes more. */
    static final long DEFAULT_LIMIT = 1_048_576;
    static final String OVERRIDE = "producer.override.max.request.size";
    /** The offset record's key (["connector", {partition}]), record and batch headers. */
    private static final int OVERHEAD = 1024;
    /** Strings at least this long (the history) are measured once; the same String comes again until it changes. */
    private static final int CACHED_LENGTH = 16 * 1024;

    private final String job;
    private final long limit;
    private final String checkpointTopic;
    private String measured;
    private long measuredBytes;

    OffsetSize(String job, long limit, String checkpointTopic) {
        this.job = job;
        this.limit = limit;
        this.checkpointTopic = checkpointTopic;
    }

    /** The limit the connector's config sets ({@value #OVERRIDE}), else the producer's default. */
    static long limit(Map<String, String> props) {
        String v = props.get(OVERRIDE);
        if (v == null || v.isBlank()) return DEFAULT_LIMIT;
        try {
            return Math.max(DEFAULT_LIMIT, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return DEFAULT_LIMIT; // Connect rejects the producer config itself
        }
    }

    /** @throws SluiceException when {@code offset}, as the worker's JSON, exceeds the limit */
    void require(Map<String, Object> offset) {
        long bytes = OVERHEAD;
        for (Map.Entry<String, Object> e : offset.entrySet()) {
            bytes += jsonBytes(e.getKey()) + 1 + (e.getValue() instanceof String s ? jsonBytes(s) : String.valueOf(e.getValue()).length());
        }
        if (bytes <= limit) return;
        throw new SluiceException("connector " + job + "'s checkpoint is " + bytes + " bytes as a Connect offset (the schema history of"
                + " the selected tables, or their initialization progress, grew that large), more than a worker writes as one record (" + limit + " bytes: max.request.size, and the offsets topic's max.message.bytes)",
                "raise " + OVERRIDE + " above " + bytes + " (the worker needs connector.client.config.override.policy=All; an at-least-once"
                        + " worker writes offsets with its own producer: raise the worker's max.request.size too) and max.message.bytes of the"
                        + " offsets topic and of " + checkpointTopic + ", then restart the task; or split the tables over several connectors"
                        + " (objects.include), each with its own source.serverId");
    }

    /** The UTF-8 length of {@code s} as a JSON string, quotes and escapes included. */
    private long jsonBytes(String s) {
        if (s.length() >= CACHED_LENGTH && s == measured) return measuredBytes;
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') n += 2;
            else if (c < 0x20) n += 6;
            else if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c)) { n += 4; i++; }
            else n += 3;
        }
        if (s.length() >= CACHED_LENGTH) {
            measured = s;
            measuredBytes = n;
        }
        return n;
    }
}
