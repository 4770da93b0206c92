package io.sluice.sink.kafka;

import io.sluice.core.error.SluiceException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Another producer with this job's transactional id started: the broker fenced this one. The job
 * must stop, not resume: resuming would fence the newcomer in turn and write again what it
 * committed meanwhile (duplicates, ids going backwards).
 */
public final class JobTakenOverException extends SluiceException {

    public JobTakenOverException(String jobName, Throwable cause) {
        super("another instance of job " + jobName + " took over (its producer fenced this one)",
                "run one instance per job name: stop the other instance (two different jobs need two names; a renamed job has no checkpoint and starts with `sluice run --reinitialize`)", cause);
    }

    /**
     * Whether {@code t}, or a cause of it, says the producer was fenced. A produce request with the
     * old epoch fails with InvalidProducerEpochException, transactional calls with
     * ProducerFencedException; later calls wrap either in a plain KafkaException.
     */
    public static boolean isFence(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProducerFencedException || c instanceof InvalidProducerEpochException) return true;
        }
        return false;
    }
}
