package io.sluice.it.support;

import io.sluice.app.cli.SluiceCli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code sluice run} and {@code sluice check} in this JVM, for the tests of problems a user must fix. */
public final class InProcessRun {

    private InProcessRun() {}

    /** Runs the job, asserts exit code 2 and one line {@code sluice: <problem> Fix: <fix>} on stderr; returns that line. */
    public static String failsWithOneLine(Path job) {
        return failsWithOneLine(job, SluiceCli.EXIT_USER_ERROR);
    }

    /** As {@link #failsWithOneLine(Path)}, with that exit code (75: nothing answered at MySQL's or Kafka's address). */
    public static String failsWithOneLine(Path job, int exitCode) {
        StringWriter err = new StringWriter();
        int code = SluiceCli.execute(new String[] {"run", "--config", job.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        String text = err.toString().trim();
        assertEquals(exitCode, code, text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.startsWith("sluice: ") && text.contains(" Fix: "), text);
        return text;
    }

    /** Runs {@code sluice check}, asserts exit code 0 and no FAIL item; returns its output. */
    public static String checkPasses(Path job) {
        StringWriter out = new StringWriter();
        int code = SluiceCli.execute(new String[] {"check", "--config", job.toString()},
                new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
        String text = out.toString();
        assertEquals(0, code, text);
        assertTrue(text.lines().noneMatch(l -> l.startsWith("FAIL")), text);
        return text;
    }
}
