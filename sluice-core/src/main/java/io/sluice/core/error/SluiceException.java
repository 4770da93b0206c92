package io.sluice.core.error;

/**
 * A failure the user can act on: what went wrong and how to fix it. Stops the job with exit code 2.
 */
public class SluiceException extends RuntimeException {

    private final String fix;

    public SluiceException(String problem, String fix) {
        this(problem, fix, null);
    }

    public SluiceException(String problem, String fix, Throwable cause) {
        super(problem, cause);
        this.fix = fix;
    }

    public String problem() { return getMessage(); }

    public String fix() { return fix; }

    /** The one line shown to the user. */
    public String oneLine() {
        String line = fix == null || fix.isEmpty() ? problem() : problem() + " Fix: " + fix;
        return line.replaceAll("\\s*\\R\\s*", " ");
    }
}
