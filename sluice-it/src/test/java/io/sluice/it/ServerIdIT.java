package io.sluice.it;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two binlog connections with one server_id cut each other off (error 1236, which is not "purged"):
 * a second job with a running job's serverId is refused by `sluice check` and `sluice run`, naming the
 * other job's host; a job cut off by a bare replica connection with its serverId stops with that cause.
 */
@Timeout(300)
class ServerIdIT {

    @TempDir Path dir;

    @Test
    void aSecondJobWithTheSameServerIdIsRefused() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start(); // its replica mysql57r is connected too, with another server id
        server.exec("CREATE DATABASE IF NOT EXISTS it_sid", "CREATE TABLE IF NOT EXISTS it_sid.t (id INT PRIMARY KEY)");
        String first = "sid-a-" + System.nanoTime();
        String second = "sid-b-" + System.nanoTime();
        Path job = dir.resolve("b.yaml");
        Files.writeString(job, JobYaml.of(second, server, "it-sid-b-" + System.nanoTime(), dir.resolve("b"), "it_sid.t", 8301));
        String host = InetAddress.getLocalHost().getHostName();

        StringWriter out = new StringWriter();
        assertEquals(0, SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(out, true),
                new PrintWriter(out, true)), "alone, the job passes (the replica mysql57r is no false positive):\n" + out);

        try (RunningJob a = RunningJob.start(JobYaml.of(first, server, "it-sid-a-" + System.nanoTime(), dir.resolve("a"), "it_sid.t", 8301))) {
            out = new StringWriter();
            assertEquals(2, SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(out, true),
                    new PrintWriter(out, true)), out.toString());
            String failed = out.toString().lines().filter(l -> l.startsWith("FAIL  server_id")).findFirst().orElse(out.toString());
            assertTrue(failed.contains("source.serverId 8301 is in use by the replica at " + host + "/sluice:" + first)
                    && failed.contains("change source.serverId"), failed);

            String text = InProcessRun.failsWithOneLine(job);
            assertTrue(text.startsWith("sluice: source.serverId 8301 is in use on MySQL at " + server.host() + ":" + server.port()
                    + " by the replica at " + host + "/sluice:" + first) && text.contains("Fix: "), text);
            Thread.sleep(1000);
            assertNull(a.failure(), "the running job goes on");
            assertEquals("streaming", a.job().phase());
        }
    }

    @Test
    void aJobCutOffByAnotherConnectionWithItsServerIdStopsWithThatCause() throws Exception {
        // MariaDB drops the older of two binlog connections with one server_id; MySQL 5.6+ compares replica
        // uuids first, and a bare client without one does not cut off a Sluice job (which sets one)
        MySqlServer server = Flavor.MARIADB.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_sid", "CREATE TABLE IF NOT EXISTS it_sid.t (id INT PRIMARY KEY)");
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of("sid-c-" + System.nanoTime(), server, "it-sid-c-" + System.nanoTime(), dir.resolve("c"),
                "it_sid.t", 8302));
        Path log = dir.resolve("sluice.log");
        SluiceProcess p = SluiceProcess.start(job, log);
        BinaryLogClient raw = new BinaryLogClient(server.host(), server.port(), MySqlServer.SLUICE_USER, MySqlServer.SLUICE_PASSWORD);
        try {
            CrashIT.waitForStreaming(log, 1);
            raw.setServerId(8302); // a bare client: it does not register, so nothing could see it coming
            raw.setKeepAlive(false);
            raw.connect(10_000);
            int code = p.awaitExit(Duration.ofSeconds(60));
            String text = Files.readString(log);
            assertEquals(2, code, text);
            assertTrue(text.contains("another replica or job connected with the same server_id 8302") && text.contains("source.serverId"), text);
            assertTrue(!text.contains("purged"), text);
        } finally {
            raw.disconnect();
            if (p.isAlive()) p.kill();
        }
    }
}
