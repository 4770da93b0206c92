package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.TableId;
import io.sluice.core.route.Router;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record format of each topic a job writes: target.format for target.topic and the DDL topic,
 * a target.topics entry's own format (else target.format) for the topics it routes tables to. A
 * topic holds one format: two that meet in one topic (a template naming another entry's topic, an
 * entry naming target.topic) stop the job with the fix, at start or when a new table brings them.
 */
public final class TopicFormats {

    private final JobConfig.Format defaultFormat;
    private final Map<String, JobConfig.Format> byTopic = new ConcurrentHashMap<>();
    /** Per topic, what gave it its format (for the error). */
    private final Map<String, String> why = new ConcurrentHashMap<>();

    private TopicFormats(JobConfig.Format defaultFormat) {
        this.defaultFormat = defaultFormat;
    }

    /** @throws SluiceException when two formats meet in one topic */
    public static TopicFormats of(JobConfig config, Router router, Collection<TableId> selected) {
        TopicFormats f = new TopicFormats(config.target.format);
        f.add(config.target.topic, config.target.format, "target.format");
        if (config.target.ddl.enabled && config.target.ddl.topic != null) f.add(config.target.ddl.topic, config.target.format, "target.format (DDL topic)");
        for (TableId t : selected) f.add(router.topicOf(t), router.formatOf(t), "table " + t);
        return f;
    }

    /** Every topic in the job's format (no target.topics entry names another). */
    static TopicFormats single(JobConfig.Format format) {
        return new TopicFormats(format);
    }

    /** Whether every topic gets target.format (the job writes one format). */
    public static boolean single(JobConfig config) {
        return config.target.topicFormats().values().stream().allMatch(f -> f == config.target.format);
    }

    /** The format of {@code topic}'s records: as known, else target.format (a topic no table routed to yet). */
    public JobConfig.Format of(String topic) {
        return byTopic.getOrDefault(topic, defaultFormat);
    }

    /**
     * The format a job wrote {@code topic} in, to read its last records at start: as routed now; else
     * as the checkpoint recorded it ({@code recorded}, {@link io.sluice.engine.state.Checkpoint#topicFormats}:
     * a topic no selected table routes to any more, e.g. a table dropped since); else null, unknown
     * (a checkpoint of an older Sluice): the reader tells it from each record ({@link RecordFormats#ofRecord}).
     */
    public JobConfig.Format ofWritten(String topic, Map<String, String> recorded) {
        JobConfig.Format now = byTopic.get(topic);
        if (now != null) return now;
        String name = recorded == null ? null : recorded.get(topic);
        if (name == null) return null;
        try {
            return JobConfig.Format.parse(name);
        } catch (IllegalArgumentException unknown) { // a format of a newer Sluice
            return null;
        }
    }

    /** Each of {@code topics} with its format as a job file spells it, for the checkpoint ({@link #ofWritten} reads it back). */
    public Map<String, String> names(Collection<String> topics) {
        Map<String, String> names = new java.util.TreeMap<>();
        for (String t : topics) names.put(t, JobConfig.Format.name(of(t)));
        return names;
    }

    public JobConfig.Format defaultFormat() {
        return defaultFormat;
    }

    /** Records of {@code format} for {@code topic}, because of {@code reason}; a second format for one topic stops the job. */
    void add(String topic, JobConfig.Format format, String reason) {
        JobConfig.Format before = byTopic.putIfAbsent(topic, format);
        if (before == null) {
            why.put(topic, reason);
        } else if (before != format) {
            throw new SluiceException("topic " + topic + " would get " + JobConfig.Format.name(format) + " records (" + reason + ") and "
                    + JobConfig.Format.name(before) + " records (" + why.get(topic) + "): a topic holds records of one format",
                    "route the table to a topic of its own in target.topics (an entry before the one that matches it now), or give both the same format");
        }
    }

    /** The topics known and their formats (for the log and sluice check). */
    public Map<String, JobConfig.Format> all() {
        return Map.copyOf(byTopic);
    }
}
