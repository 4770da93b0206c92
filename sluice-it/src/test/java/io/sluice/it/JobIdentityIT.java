package io.sluice.it;

import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.core.model.Value;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One job name, one running instance: a second copy of an exactly-once job fences the first, which
 * stops (exit 2) instead of resuming and writing again what the second committed; a second copy of
 * an at-least-once job is refused at start by the lock beside its state file. On one host, a second
 * copy is refused before it connects anywhere, and a killed instance does not block a restart.
 */
@Timeout(300)
class JobIdentityIT {

    @TempDir Path dir;

    @Test
    void aFencedInstanceStopsAndConsumersSeeEveryChangeOnce() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_twice", "CREATE TABLE it_twice.t (id INT PRIMARY KEY, v INT)");
        String topic = "it-twice-" + System.nanoTime();
        String name = "twice-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of(name, server, topic, dir.resolve("state"), "it_twice.t", 8101));
        Path log1 = dir.resolve("first.log");
        Path log2 = dir.resolve("second.log");
        AtomicInteger inserted = new AtomicInteger();
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (var c = server.root(); var s = c.createStatement()) {
                while (writing.get()) {
                    s.executeUpdate("INSERT INTO it_twice.t VALUES (" + (inserted.get() + 1) + ", 1)");
                    inserted.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "writer");
        SluiceProcess first = SluiceProcess.start(job, log1);
        SluiceProcess second = null;
        try {
            CrashIT.waitForStreaming(log1, 1);
            writer.start();
            Thread.sleep(2000);
            second = SluiceProcess.startAsOnAnotherHost(job, log2, dir.resolve("other-host-tmp")); // on this host it would be refused
            assertEquals(2, first.awaitExit(Duration.ofSeconds(90)), "the fenced instance stops with exit code 2:\n" + Files.readString(log1));
            String text = Files.readString(log1);
            assertTrue(text.contains("sluice: another instance of job " + name + " took over (its producer fenced this one)"
                    + " Fix: run one instance per job name"), text);
            CrashIT.waitForStreaming(log2, 1);
            Thread.sleep(2000);
            writing.set(false);
            writer.join(10_000);
            int rows = inserted.get();
            List<GenericRecord> records;
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                out.await(rows, Duration.ofSeconds(120));
                assertEquals(0, second.terminate()); // the writer has stopped
                records = out.readToEnd();
            }
            long lastId = 0;
            List<Integer> ids = new ArrayList<>();
            for (GenericRecord r : records) {
                long id = (Long) r.get("id");
                assertTrue(id > lastId, "record ids strictly increase (no repeat, no step back): " + id + " after " + lastId);
                lastId = id;
                ids.add(Integer.valueOf(((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value()));
            }
            assertEquals(java.util.stream.IntStream.rangeClosed(1, rows).boxed().toList(), ids, "every insert exactly once, in order");
        } finally {
            writing.set(false);
            if (first.isAlive()) first.kill();
            if (second != null && second.isAlive()) second.kill();
        }
    }

    @Test
    void aSecondAtLeastOnceInstanceIsRefusedAtStart() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_twice_alo", "CREATE TABLE IF NOT EXISTS it_twice_alo.t (id INT PRIMARY KEY)");
        String topic = "it-twice-alo-" + System.nanoTime();
        String name = "twice-alo-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of(name, server, topic, dir.resolve("state"), "it_twice_alo.t", 8102)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: atLeastOnce"));
        Path log = dir.resolve("first.log");
        SluiceProcess first = SluiceProcess.start(job, log);
        try {
            CrashIT.waitForStreaming(log, 1);
            // on this host the instance lock refuses it; from another host sharing state.dir, the state dir's lock
            String text = SluiceProcess.startAsOnAnotherHost(job, dir.resolve("second.log"), dir.resolve("other-host-tmp"))
                    .awaitExit(Duration.ofSeconds(60)) == 2 ? Files.readString(dir.resolve("second.log")) : "no exit 2";
            assertTrue(text.contains("sluice: another instance of job " + name + " is running (pid " + first.pid() + " on "), text);
            assertTrue(text.contains("Fix: run one instance per job name"), text);
            assertTrue(first.isAlive(), "the first instance runs on");
            assertEquals(0, first.terminate());
        } finally {
            if (first.isAlive()) first.kill();
        }
    }

    @Test
    void aSecondInstanceOnTheSameHostIsRefusedAtStartAndAKilledOneDoesNotBlockARestart() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_twice_host", "CREATE TABLE it_twice_host.t (id INT PRIMARY KEY)");
        String topic = "it-twice-host-" + System.nanoTime();
        String name = "twice-host-" + System.nanoTime();
        Path job = dir.resolve("job.yaml");
        Files.writeString(job, JobYaml.of(name, server, topic, dir.resolve("state"), "it_twice_host.t", 8103));
        Path log1 = dir.resolve("first.log");
        SluiceProcess first = SluiceProcess.start(job, log1);
        SluiceProcess restarted = null;
        try {
            CrashIT.waitForStreaming(log1, 1); // the topic exists from here on
            SluiceProcess.Result second = SluiceProcess.exec(60, "run", "--config", job.toString());
            assertEquals(2, second.exitCode(), second.all());
            assertTrue(second.stderr().matches("(?s)(.*\n)?sluice: job " + java.util.regex.Pattern.quote(name) + " is already running on this host"
                    + " \\(pid " + first.pid() + ", started [0-9T:-]+Z\\) Fix: stop it first\n"), second.all());
            assertTrue(!second.all().contains("SyncJob"), "refused before the job connects anywhere: " + second.all());

            server.exec("INSERT INTO it_twice_host.t VALUES (1)");
            try (DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
                assertEquals(1, out.await(1, Duration.ofSeconds(60)).size(), "the first instance streams on:\n" + Files.readString(log1));
                assertTrue(first.isAlive());

                first.kill(); // SIGKILL: the OS drops its lock
                Path log3 = dir.resolve("restarted.log");
                restarted = SluiceProcess.start(job, log3);
                CrashIT.waitForStreaming(log3, 1);
                server.exec("INSERT INTO it_twice_host.t VALUES (2)");
                assertEquals(2, out.await(2, Duration.ofSeconds(60)).size(), "the restarted instance streams:\n" + Files.readString(log3));
                assertEquals(0, restarted.terminate());
            }
        } finally {
            if (first.isAlive()) first.kill();
            if (restarted != null && restarted.isAlive()) restarted.kill();
        }
    }
}
