package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.format.RecordEncoder;
import io.sluice.core.model.RowChange;
import io.sluice.core.model.SourcePosition;
import io.sluice.core.model.TableSchema;
import io.sluice.core.route.Route;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The encoder of a job whose target.topics entries name their own formats: each record in the
 * format of the topic it goes to ({@link Route#format}; DDL records by their table's route where they
 * go to its topic, {@link #forTable}, else by their topic, {@link #forTopic}). A route first seen (a
 * table new to the job) is checked against its topic's format, and gives a topic new to the job its format.
 */
final class RoutedEncoder implements RecordEncoder {

    private final Map<JobConfig.Format, RecordEncoder> encoders = new EnumMap<>(JobConfig.Format.class);
    private final TopicFormats topics;
    /** Routes already checked against their topic's format (identity: one per table definition). */
    private final Map<Route, Boolean> checked = new java.util.IdentityHashMap<>();

    /** @param encoder a new encoder of a format (one per format is made here, each format's options being the job's) */
    RoutedEncoder(TopicFormats topics, Function<JobConfig.Format, RecordEncoder> encoder) {
        this.topics = topics;
        for (JobConfig.Format f : JobConfig.Format.values()) encoders.put(f, encoder.apply(f));
    }

    private RecordEncoder of(Route route) {
        if (route == null || route.format() == null) return encoders.get(topics.defaultFormat());
        if (checked.size() >= 10_000) checked.clear();
        if (checked.put(route, Boolean.TRUE) == null) topics.add(route.topic(), route.format(), "table " + route.objectName());
        return encoders.get(route.format());
    }

    @Override
    public RecordEncoder forTopic(String topic) {
        return encoders.get(topics.of(topic));
    }

    /** Registers the topic's format first: a DDL record may be the first record of a table new to the job. */
    @Override
    public RecordEncoder forTable(String topic, JobConfig.Format format, String objectName) {
        if (format == null) return forTopic(topic);
        topics.add(topic, format, "table " + objectName);
        return encoders.get(format);
    }

    @Override
    public byte[] encode(long id, RowChange change, Route route) {
        return of(route).encode(id, change, route);
    }

    @Override
    public byte[] encodeForSend(long id, RowChange change, Route route) {
        return of(route).encodeForSend(id, change, route);
    }

    @Override
    public byte[] encodeRows(long id, List<RowChange> changes, Route route) {
        return of(route).encodeRows(id, changes, route);
    }

    @Override
    public int maxRowsPerRecord(Route route) {
        return of(route).maxRowsPerRecord(route);
    }

    /** Called through {@link #forTable} or {@link #forTopic} by the dispatcher; directly, in the route's format. */
    @Override
    public byte[] encodeDdl(long id, SourcePosition pos, String objectName, String ddl, TableSchema after, Route route) {
        return of(route).encodeDdl(id, pos, objectName, ddl, after, route);
    }

    @Override
    public byte[] key(RowChange change, Route route) {
        return of(route).key(change, route);
    }

    /** Only a format with keys splits (Debezium JSON); the dispatcher pairs a key change only where a record has a key. */
    @Override
    public boolean splitsKeyChanges() {
        return encoders.values().stream().anyMatch(RecordEncoder::splitsKeyChanges);
    }

    @Override
    public byte[] withId(long id, byte[] encoded) {
        return encoders.get(topics.defaultFormat()).withId(id, encoded);
    }

    @Override
    public byte[] withId(long id, byte[] encoded, Route route) {
        return of(route).withId(id, encoded, route);
    }

    @Override
    public byte[] withIdInPlace(long id, byte[] encoded, Route route) {
        return of(route).withIdInPlace(id, encoded, route);
    }
}
