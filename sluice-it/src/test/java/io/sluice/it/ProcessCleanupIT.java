package io.sluice.it;

import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A test that leaves a {@code bin/sluice run} running (as a failing one does) does not leave it to the next test. */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessCleanupIT {

    private static long leftRunning;
    @TempDir static Path dir;

    @Test
    @Order(1)
    void leavesAJobRunning() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_cleanup", "CREATE TABLE IF NOT EXISTS it_cleanup.t (id INT PRIMARY KEY)");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("cleanup", server, "it-cleanup-" + System.nanoTime(), dir.resolve("state"), "it_cleanup.t", 6901));
        SluiceProcess sluice = SluiceProcess.start(job, dir.resolve("sluice.log"));
        CrashIT.waitForStreaming(dir.resolve("sluice.log"), 1);
        assertTrue(sluice.isAlive());
        leftRunning = sluice.pid();
    }

    @Test
    @Order(2)
    void itWasEndedAfterThatTest() {
        assertTrue(leftRunning > 0, "the first test ran");
        assertFalse(ProcessHandle.of(leftRunning).map(ProcessHandle::isAlive).orElse(false), "pid " + leftRunning + " still runs");
    }
}
