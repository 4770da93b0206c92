package io.sluice.app.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads, on a background thread, the classes a {@code sluice run} start-up goes on to need (the
 * Kafka clients, Connector/J, the binlog client, ...: listed in {@code run-classes.txt}, in the
 * order a run loads them), while the main thread parses the job file and checks the source. Start-up
 * is mostly class loading on one thread; a second core takes part of it this way.
 *
 * <p>Classes are only loaded, never initialized: no static initializer runs on this thread, so
 * nothing can happen earlier or in another order than without it, and two threads cannot deadlock
 * on each other's class initialization. A name that no longer exists is skipped; the thread never
 * fails the job and ends by itself (a daemon).
 */
final class ClassPreloader implements Runnable {

    /** Regenerated from a run's {@code -Xlog:class+load} (docs/initialization-performance.md says how). */
    static final String RUN_CLASSES = "run-classes.txt";

    private final String list;
    private final boolean initialize;

    ClassPreloader(String list) {
        this(list, false);
    }

    /**
     * {@code initialize}: also run each class's static initializer, which only the build's training run does
     * ({@link TrainClassDataCommand}): the lambdas such initializers create (Kafka's {@code Errors} alone has 129)
     * then go into the class-data archive, instead of being generated at every start.
     */
    ClassPreloader(String list, boolean initialize) {
        this.list = list;
        this.initialize = initialize;
    }

    @Override
    public void run() {
        ClassLoader loader = ClassPreloader.class.getClassLoader();
        try (InputStream in = ClassPreloader.class.getResourceAsStream(list)) {
            if (in == null) return;
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String name; (name = lines.readLine()) != null; ) {
                if (name.isBlank()) continue;
                try {
                    Class.forName(name.strip(), initialize, loader);
                } catch (Throwable e) { // LinkageError, ClassNotFoundException, a failing initializer: the list is a hint, never a requirement
                }
            }
        } catch (IOException e) {
            // no preloading: start-up only takes longer
        }
    }
}
