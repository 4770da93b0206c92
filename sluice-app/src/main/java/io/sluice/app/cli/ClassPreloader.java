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

    ClassPreloader(String list) {
        this.list = list;
    }

    /** Starts loading the classes of a {@code sluice run} start-up on a daemon thread. */
    static void start() {
        Thread t = new Thread(new ClassPreloader(RUN_CLASSES), "sluice-class-preload");
        t.setDaemon(true);
        t.start();
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
                    Class.forName(name.strip(), false, loader);
                } catch (Throwable e) { // LinkageError, ClassNotFoundException: the list is a hint, never a requirement
                }
            }
        } catch (IOException e) {
            // no preloading: start-up only takes longer
        }
    }
}
