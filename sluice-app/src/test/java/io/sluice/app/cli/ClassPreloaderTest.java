package io.sluice.app.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClassPreloaderTest {

    static final AtomicInteger INITIALIZATIONS = new AtomicInteger();

    /** Its static initializer must run on first use only, never on the preloading thread. */
    static final class InitializedOnFirstUse {
        static { INITIALIZATIONS.incrementAndGet(); }
        static void use() {}
    }

    @Test
    void loadsWithoutInitializingAndSkipsUnknownNames() {
        new ClassPreloader("preload-test-classes.txt").run(); // the list also names a class that does not exist

        assertEquals(0, INITIALIZATIONS.get(), "the preloader ran a static initializer");
        InitializedOnFirstUse.use();
        assertEquals(1, INITIALIZATIONS.get());
    }

    static final AtomicInteger TRAINING_INITIALIZATIONS = new AtomicInteger();

    /** Listed in preload-training-classes.txt: the training run initializes what it loads. */
    static final class InitializedByTraining {
        static { TRAINING_INITIALIZATIONS.incrementAndGet(); }
    }

    @Test
    void theTrainingRunAlsoInitializes() {
        new ClassPreloader("preload-training-classes.txt", true).run(); // and a class that does not exist, and one whose initializer fails

        assertEquals(1, TRAINING_INITIALIZATIONS.get(), "the training run's preloading initializes the classes it loads");
    }

    /** Its initializer fails: the training run goes on past it. */
    static final class FailsToInitialize {
        static { if (TRAINING_INITIALIZATIONS.get() >= 0) throw new IllegalStateException("initializer failure"); }
    }

    @Test
    void theRunListNamesClassesThatExist() throws Exception {
        var in = ClassPreloader.class.getResourceAsStream(ClassPreloader.RUN_CLASSES);
        assertNotNull(in, ClassPreloader.RUN_CLASSES + " is missing from the jar");
        List<String> names;
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            names = r.lines().filter(l -> !l.isBlank()).toList();
        }
        long missing = names.stream().filter(n -> {
            try {
                Class.forName(n, false, ClassPreloader.class.getClassLoader());
                return false;
            } catch (ClassNotFoundException | LinkageError e) {
                return true;
            }
        }).count();
        // a stale list only makes start-up slower; regenerate it when many names went away (see docs/initialization-performance.md)
        assertTrue(names.size() > 1000, "the list is unexpectedly short: " + names.size());
        assertTrue(missing * 10 < names.size(), missing + " of " + names.size() + " listed classes no longer exist: regenerate the list");
        assertEquals(names.size(), names.stream().distinct().count(), "names listed twice");
    }
}
