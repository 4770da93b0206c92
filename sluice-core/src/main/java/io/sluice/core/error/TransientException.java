package io.sluice.core.error;

/**
 * A failure that goes away by itself (a server restarting, a network cut): once a job has started,
 * it resumes from its last checkpoint after a backoff instead of stopping.
 */
public class TransientException extends SluiceException {

    public TransientException(String problem, String fix, Throwable cause) {
        super(problem, fix, cause);
    }
}
