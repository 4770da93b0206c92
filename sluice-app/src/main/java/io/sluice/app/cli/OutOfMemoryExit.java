package io.sluice.app.cli;

import java.io.PrintStream;

/**
 * A thread that runs out of heap with nobody to catch it (the binlog client's, say, reading a row or
 * event larger than the heap) would die alone: the job saw only "lost the binlog connection" and
 * retried the same event for ever. Instead the process stops at once, as after a crash (it resumes
 * from its last checkpoint: nothing is lost), with one line naming the heap and the fix, and exit
 * code 2: a service manager does not restart it into the same failure. Kafka's own threads have
 * their own handler ({@link KafkaThreadOutOfMemoryFilter}); an error the job's own threads catch and hand on
 * reaches {@link SluiceCli}, which says the same ({@link #find}).
 */
final class OutOfMemoryExit implements Thread.UncaughtExceptionHandler {

    private final Thread.UncaughtExceptionHandler next;
    private final PrintStream err;

    private OutOfMemoryExit(Thread.UncaughtExceptionHandler next, PrintStream err) {
        this.next = next;
        this.err = err;
    }

    static void install() {
        Thread.setDefaultUncaughtExceptionHandler(new OutOfMemoryExit(Thread.getDefaultUncaughtExceptionHandler(), System.err));
    }

    @Override
    public void uncaughtException(Thread thread, Throwable e) {
        if (!(e instanceof OutOfMemoryError)) {
            if (next != null) next.uncaughtException(thread, e);
            else thread.getThreadGroup().uncaughtException(thread, e);
            return;
        }
        err.println(message("thread " + thread.getName(), e.getMessage(), Runtime.getRuntime().maxMemory()));
        err.flush();
        Runtime.getRuntime().halt(SluiceCli.EXIT_USER_ERROR);
    }

    /** The out-of-memory error in {@code e}'s causes, or null. */
    static OutOfMemoryError find(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) return oom;
        }
        return null;
    }

    /** The line for the user; {@code where} says where it happened ("thread X", "the job"). */
    static String message(String where, String what, long maxHeapBytes) {
        long mb = maxHeapBytes >> 20;
        long suggested = Long.highestOneBit(Math.max(1024, mb * 2)); // twice the heap (at least 1 GB), as a power of two
        if (suggested < mb * 2) suggested <<= 1;
        return "sluice: out of memory (" + what + ") in " + where + ": the Java heap of at most " + mb
                + " MB is too small for what the job holds at once (a large row or event, say); the job stopped here and resumes"
                + " from its last checkpoint when started again, nothing is lost. Fix: give it more heap, e.g."
                + " SLUICE_JAVA_OPTS=-Xmx" + suggested / 1024 + "g"
                + " (bin/sluice's default is -Xmx512m)";
    }
}
