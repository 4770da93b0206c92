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
        super(flatten(problem), cause);
        this.fix = fix == null ? null : flatten(fix);
    }

    public String problem() { return getMessage(); }

    public String fix() { return fix; }

    /** The one line shown to the user. */
    public String oneLine() {
        return fix == null || fix.isEmpty() ? problem() : problem() + " Fix: " + fix;
    }

    /** Errors are shown as one line: messages from libraries (YAML, JSON) may span several. */
    private static String flatten(String text) {
        return text == null ? null : text.replaceAll("\\s*\\R\\s*", " ");
    }
}
