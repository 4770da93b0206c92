package io.sluice.engine.job;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicWatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * Every record topic of a job (target.topic, the target.topics topics, the DDL topic) with its
 * partition count: each checked (created with {@code initialization.structure}) before its first
 * record, its partition count warned about when it differs from a target.partitions set, and its
 * topic id watched ({@link TopicWatch}). The topics of the tables selected at start are known
 * before streaming; a table created later whose route names a new topic gets it here, on the
 * dispatcher's thread, before its first record: creating a topic is no part of the producer's
 * transaction (an aborted transaction leaves an empty topic, which the next run simply finds), and
 * the producer adds the new topic's partitions to the open transaction at its first send.
 */
final class RecordTopics implements ToIntFunction<String> {

    private static final Logger log = LoggerFactory.getLogger(RecordTopics.class);

    private final KafkaTarget target;
    private final boolean create;
    private final Map<String, Integer> partitions = new ConcurrentHashMap<>();
    private volatile TopicWatch watch;
    /** Every topic the job writes (these and its checkpoint topic) by its metric name: two must not share one. */
    private final Map<String, String> byMetricName = new ConcurrentHashMap<>();
    /** Topics of the shell no record may go to (a Connect worker's internal topics), each with what it is. */
    private final Map<String, String> notForRecords = new ConcurrentHashMap<>();

    RecordTopics(KafkaTarget target, boolean create) {
        this.target = target;
        this.create = create;
    }

    /** Topics no record may go to, each with what it is ("the Kafka Connect worker's offsets topic"). */
    void refuse(Map<String, String> topics) {
        notForRecords.putAll(topics);
    }

    /** A topic the job writes besides its record topics (the checkpoint topic): no record topic may collide with it. */
    void alsoWrites(String topic) {
        claim(topic);
    }

    /** Refuses a topic that is not for records, or whose metric name another topic of the job has. */
    private synchronized void claim(String topic) {
        String what = notForRecords.get(topic);
        if (what != null) {
            throw new SluiceException("topic " + topic + " is " + what + ", which the job must not write to",
                    "write to another topic: change target.topic, target.ddl.topic, state.checkpointTopic or the target.topics entry naming it");
        }
        String other = byMetricName.putIfAbsent(io.sluice.core.route.TopicCollisions.metricName(topic), topic);
        if (other != null && !other.equals(topic)) throw io.sluice.core.route.TopicCollisions.error(other, topic);
    }

    /** At start: checks (or creates) a topic; Kafka's answers as they are (the job has not started). */
    int ensure(String topic) {
        Integer known = partitions.get(topic);
        if (known != null) return known;
        claim(topic);
        int count = check(topic);
        partitions.put(topic, count);
        return count;
    }

    /** At start: {@link #ensure} for many topics with one admin client (a topic per table can be hundreds). */
    void ensureAll(java.util.Collection<String> topics) {
        List<String> unknown = topics.stream().filter(t -> !partitions.containsKey(t)).distinct().toList();
        if (unknown.isEmpty()) return;
        unknown.forEach(this::claim);
        target.ensureTopics(unknown, create).forEach((topic, count) -> {
            String mismatch = target.partitionMismatch(topic, count);
            if (mismatch != null) log.warn("{}", mismatch);
            partitions.put(topic, count);
        });
    }

    private int check(String topic) {
        int count = target.ensureTopic(topic, create);
        String mismatch = target.partitionMismatch(topic, count);
        if (mismatch != null) log.warn("{}", mismatch);
        return count;
    }

    /** The topics known so far, in no particular order. */
    List<String> names() {
        return new ArrayList<>(partitions.keySet());
    }

    /** From now on, topics met while streaming are watched too. */
    void watchWith(TopicWatch watch) {
        this.watch = watch;
    }

    /** The partition count of {@code topic}; a topic new to the job is checked (or created) and watched first. */
    @Override
    public int applyAsInt(String topic) {
        Integer known = partitions.get(topic);
        return known != null ? known : firstUse(topic);
    }

    private synchronized int firstUse(String topic) {
        Integer known = partitions.get(topic);
        if (known != null) return known;
        int count;
        try {
            claim(topic);
            count = check(topic);
            TopicWatch w = watch;
            if (w != null) w.add(target.topicIds(List.of(topic)));
        } catch (SluiceException e) {
            String problem = "records of a table new to the job go to topic " + topic + " (target.topics): " + e.problem();
            // Kafka away or slow: the session resumes from its checkpoint once it answers; anything else the user fixes
            if (e.problem().startsWith("cannot reach Kafka") || e.problem().contains("did not answer") || e.problem().contains("timed out")) {
                throw new TransientException(problem, e.fix(), e);
            }
            throw new SluiceException(problem, e.fix(), e);
        }
        partitions.put(topic, count);
        log.info("topic {} ({} partition(s)) is written from now on: a table new to the job routes there", topic, count);
        return count;
    }
}
