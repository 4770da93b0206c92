package io.sluice.engine.job;

import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.format.RecordFormat;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * How a job reads, at start, the last records of each topic it wrote (the ids to go on from, the
 * records that prove a lost checkpoint): each topic in its format ({@link TopicFormats#ofWritten}).
 * A topic no selected table routes to any more (a table dropped, excluded or renamed away since)
 * is read in the format the checkpoint recorded for it, and where an older Sluice's checkpoint
 * recorded none, in the format each record's bytes show ({@link RecordFormats#ofRecord}): never
 * assumed to be target.format.
 */
final class WrittenTopics {

    private final JobConfig config;
    private final TopicFormats formats;
    private final Map<String, String> recorded;
    private final String startOver;
    private final Function<JobConfig.Format, Predicate<byte[]>> ownRecords;
    private final Map<JobConfig.Format, RecordFormat> recordFormats = new EnumMap<>(JobConfig.Format.class);
    private final Map<JobConfig.Format, Predicate<byte[]>> own = new EnumMap<>(JobConfig.Format.class);
    /** Per topic (asked once per record read). */
    private final Map<String, ToLongFunction<byte[]>> idByTopic = new java.util.HashMap<>();
    private final Map<String, Predicate<byte[]>> ownByTopic = new java.util.HashMap<>();

    /**
     * @param recorded   the last checkpoint's {@code topicFormats} (null: none, or an older Sluice's checkpoint)
     * @param startOver  how the user starts over in this shell (fix texts)
     * @param ownRecords per format, whether a record is this job's (a selected table's, from this source)
     */
    WrittenTopics(JobConfig config, TopicFormats formats, Map<String, String> recorded, String startOver,
                  Function<JobConfig.Format, Predicate<byte[]>> ownRecords) {
        this.config = config;
        this.formats = formats;
        this.recorded = recorded;
        this.startOver = startOver;
        this.ownRecords = ownRecords;
    }

    /** The format {@code topic} is read in; null: told from each record. */
    JobConfig.Format formatOf(String topic) {
        return formats.ofWritten(topic, recorded);
    }

    /** Whether a record of {@code topic} is this job's. */
    Predicate<byte[]> own(String topic) {
        return ownByTopic.computeIfAbsent(topic, this::ownOf);
    }

    private Predicate<byte[]> ownOf(String topic) {
        JobConfig.Format f = formatOf(topic);
        if (f != null) return own(f);
        return value -> own(RecordFormats.ofRecord(value)).test(value);
    }

    private Predicate<byte[]> own(JobConfig.Format f) {
        return own.computeIfAbsent(f, ownRecords);
    }

    private RecordFormat format(JobConfig.Format f) {
        return recordFormats.computeIfAbsent(f, x -> RecordFormats.of(config.target, x));
    }

    /**
     * The record id of a record of {@code topic}; one that is not of the topic's format (the format
     * was changed on an existing topic) stops the job with the fix.
     */
    ToLongFunction<byte[]> idOf(String topic) {
        return idByTopic.computeIfAbsent(topic, this::idReader);
    }

    private ToLongFunction<byte[]> idReader(String topic) {
        JobConfig.Format known = formatOf(topic);
        boolean routed = formats.all().containsKey(topic);
        return value -> {
            JobConfig.Format f = known != null ? known : RecordFormats.ofRecord(value);
            try {
                return format(f).id(value);
            } catch (IllegalArgumentException e) {
                throw notOfFormat(topic, f, routed, known != null);
            }
        };
    }

    private SluiceException notOfFormat(String topic, JobConfig.Format f, boolean routed, boolean known) {
        String name = RecordFormats.name(f);
        if (!routed) { // only the checkpoint names the topic: the job no longer writes it
            return new SluiceException("topic " + topic + ", which the job wrote before (its checkpoint names it) and no selected table routes to now, holds"
                    + " records that are not " + (known ? name + " records (the format the checkpoint recorded for it)" : "records of a Sluice format")
                    + ": record ids could not go on", "delete topic " + topic + " if its records are no longer needed (the job no longer writes it),"
                    + " or start over with " + startOver);
        }
        boolean entry = !config.target.topics.isEmpty() && !topic.equals(config.target.topic) && !topic.equals(config.target.ddl.topic);
        String key = entry ? "the format of the target.topics entry routing to " + topic + " (else target.format)" : "target.format";
        return new SluiceException("topic " + topic + " holds records that are not " + name
                + " records (" + key + " was changed, or another writer uses the topic): record ids could not go on",
                "set " + key + " back to the topic's format, or write " + name + " to a new topic, starting over with " + startOver);
    }
}
