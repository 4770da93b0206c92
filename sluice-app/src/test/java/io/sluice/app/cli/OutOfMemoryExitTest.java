package io.sluice.app.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class OutOfMemoryExitTest {

    @Test
    void theLineNamesTheThreadTheHeapAndALargerOne() {
        String line = OutOfMemoryExit.message("thread blc-127.0.0.1:3306", "Java heap space", 48L << 20);
        assertTrue(line.startsWith("sluice: out of memory (Java heap space) in thread blc-127.0.0.1:3306"), line);
        assertTrue(line.contains("at most 48 MB") && line.contains("nothing is lost") && line.contains("SLUICE_JAVA_OPTS=-Xmx1g"), line);
    }

    @Test
    void anOutOfMemoryErrorHandedOnAsACauseIsFound() {
        OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
        assertTrue(OutOfMemoryExit.find(new IllegalStateException(new RuntimeException(oom))) == oom);
        assertTrue(OutOfMemoryExit.find(new IllegalStateException("no")) == null);
    }

    @Test
    void theSuggestedHeapIsAtLeastTwiceTheCurrentOne() {
        assertTrue(OutOfMemoryExit.message("t", "Java heap space", 512L << 20).contains("-Xmx1g"));
        assertTrue(OutOfMemoryExit.message("t", "Java heap space", 1024L << 20).contains("-Xmx2g"));
        assertTrue(OutOfMemoryExit.message("t", "Java heap space", 3000L << 20).contains("-Xmx8g"));
    }
}
