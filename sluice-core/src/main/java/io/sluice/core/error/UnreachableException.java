package io.sluice.core.error;

/**
 * Nothing answered at a server's address (connection refused, no route, connect timed out): the
 * address may be wrong, or the server not up yet, as after a host's reboot where Sluice starts
 * before MySQL or Kafka. {@code sluice run} exits with its own code for it (75, EX_TEMPFAIL) so a
 * service manager retries it, while a problem a person must fix exits 2.
 */
public class UnreachableException extends SluiceException {

    public UnreachableException(String problem, String fix, Throwable cause) {
        super(problem, fix, cause);
    }
}
