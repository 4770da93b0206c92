package io.sluice.engine.delivery;

import io.sluice.sink.kafka.CheckpointTopic;
import io.sluice.sink.kafka.KafkaTarget;
import io.sluice.sink.kafka.TopicWatch;

/**
 * Where a shell other than the CLI takes over delivery: {@code SyncJob} asks it for the
 * {@link Delivery} of each streaming session (a new one after a failure) instead of opening its own
 * producer and checkpoint store. The Kafka Connect shell hands records to the worker and keeps
 * checkpoints in Connect's offsets; the rest of the job (probe, checks, schema history,
 * initialization, reconnects) stays the engine's.
 */
public interface DeliveryFactory {

    /**
     * What a delivery needs from the job.
     *
     * @param checkpointTopic the job's checkpoint topic (state.checkpointTopic or its default)
     * @param topics the record topics, checked before commits; their ids go into each checkpoint
     * @param sourceServer the identity of the source server this session reads, stamped on each checkpoint
     */
    record Setup(KafkaTarget target, CheckpointTopic checkpointTopic, TopicWatch topics, String sourceServer) {}

    /** The delivery for the next session; {@link Delivery#lastCommitted()} is where the job resumes. */
    Delivery open(Setup setup);

    /** Where checkpoints are kept, for messages: "Connect offsets of connector x". */
    String checkpointPlace();

    /**
     * How a user of this shell starts the job over on purpose, for the fixes of the checks that
     * refuse a start (a lost checkpoint, a position on another server); null: the CLI's
     * {@code sluice run --reinitialize}, which the shell then offers as well.
     */
    default String startOver() { return null; }

    /** Topics of this shell no record may go to (a Connect worker's internal topics), each with what it is, for the message. */
    default java.util.Map<String, String> notRecordTopics() { return java.util.Map.of(); }
}
