package io.sluice.it;

import io.sluice.core.error.SluiceException;
import io.sluice.core.error.TransientException;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RotateCorruptingProxy;
import io.sluice.it.support.RunningJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ROTATE event the server makes up at the start of every binlog dump fails its CRC32 on every
 * read (a proxy damages it): no position of its own, so it never fails "twice at one event"; the
 * job stops after it failed 5 times in a row at the same file:position (across reconnects), with
 * the one line naming that place and the mysqlbinlog check, instead of reconnecting forever.
 */
@Timeout(300)
class GeneratedEventChecksumIT {

    @Test
    void aGeneratedEventFailingItsChecksumOnEveryReadStopsTheJob(@TempDir Path dir) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        String db = "it_gen_crc";
        server.freshDatabase(db, "CREATE TABLE " + db + ".t (id INT PRIMARY KEY)");
        String topic = "it-gen-crc-" + System.nanoTime();
        try (RotateCorruptingProxy proxy = new RotateCorruptingProxy(server.port())) {
            String yaml = JobYaml.of("gen-crc-" + System.nanoTime(), server, topic, dir.resolve("state"), db + ".t", 7971)
                    .replace("  port: " + server.port() + "\n", "  port: " + proxy.port() + "\n  ssl: {mode: disabled}\n");
            RunningJob job = RunningJob.launch(yaml);
            Throwable failure = null;
            try {
                long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
                while ((failure = job.failure()) == null && System.nanoTime() < deadline) Thread.sleep(200);
            } finally {
                if (failure == null) {
                    job.job().requestStop();
                    job.job().awaitStopped(60, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            assertTrue(failure instanceof SluiceException && !(failure instanceof TransientException),
                    "the job stops (it was still reconnecting after " + proxy.corrupted() + " damaged ROTATE events): " + failure);
            String line = ((SluiceException) failure).oneLine();
            assertTrue(line.contains("CRC32") && line.contains("(type 4)") && line.contains("5 times in a row"), line);
            assertTrue(line.matches(".*at [^ ]+\\.\\d{6}:\\d+ .*") && line.contains("mysqlbinlog --verify-binlog-checksum --start-position="), line);
            assertFalse(line.contains("\n"), line);
            assertTrue(proxy.corrupted() >= 5, "damaged " + proxy.corrupted());
        } finally {
            server.exec("DROP DATABASE " + db);
        }
    }
}
