package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.it.support.InProcessRun;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real old brokers (ZooKeeper-based, scripts/servers.sh kafka010 / kafka011) behind MySQL 5.7:
 * Kafka 0.10.2 has neither transactions nor idempotent writes, so {@code delivery: auto} falls back
 * to at-least-once with a local checkpoint file and {@code exactlyOnce} is refused; Kafka 0.11.0, the
 * first release with transactions, gets exactly-once.
 */
@Timeout(300)
class OldBrokerIT {

    @TempDir Path dir;

    @Test
    void kafka010AutoFallsBackToAtLeastOnceAndResumesFromTheCheckpointFile() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_k010", "CREATE TABLE it_k010.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO it_k010.t VALUES (1,'a'),(2,'b')");
        String bootstrap = Servers.kafka010Bootstrap();
        String topic = "it-k010-" + System.nanoTime();
        Path job = writeJob(JobYaml.of("k010", server, bootstrap, topic, dir.resolve("state"), "it_k010.t", 6961));
        Path log = dir.resolve("sluice.log");

        assertTrue(check(job).lines().anyMatch(l -> l.startsWith("WARN  delivery") && l.contains("do not support transactions")));

        // read_uncommitted: a 0.10 broker cannot serve read_committed offset lookups (nor has anything to hide)
        try (DtsTopic out = new DtsTopic(bootstrap, topic, "read_uncommitted")) {
            SluiceProcess first = SluiceProcess.start(job, log);
            awaitLog(log, "delivery is at-least-once (checkpoint file", 1);
            String text = Files.readString(log);
            assertTrue(text.contains("do not support transactions (0.11+ needed): delivery falls back to at-least-once"), text);
            assertTrue(text.contains("older than 0.11 and reject idempotent writes"), text);
            assertEquals(2, out.await(2, Duration.ofSeconds(60)).size(), "the INIT records");
            server.exec("INSERT INTO it_k010.t VALUES (3,'c')", "UPDATE it_k010.t SET v='aa' WHERE id=1",
                    "DELETE FROM it_k010.t WHERE id=2");
            out.await(5, Duration.ofSeconds(60));
            assertEquals(0, first.terminate());
            assertTrue(Files.exists(dir.resolve("state/k010.state.json")), "the checkpoint file");

            // changes while stopped, then a restart from the file: after a clean stop, nothing is repeated
            server.exec("INSERT INTO it_k010.t VALUES (4,'d')", "UPDATE it_k010.t SET v='cc' WHERE id=3");
            SluiceProcess second = SluiceProcess.start(job, log);
            awaitLog(log, "job k010: resuming at", 1);
            List<String> expected = new ArrayList<>(List.of("INIT it_k010.t -->1:a", "INIT it_k010.t -->2:b",
                    "INSERT it_k010.t -->3:c", "UPDATE it_k010.t 1:a->1:aa", "DELETE it_k010.t 2:b->-",
                    "INSERT it_k010.t -->4:d", "UPDATE it_k010.t 3:c->3:cc"));
            out.await(expected.size(), Duration.ofSeconds(60));
            assertEquals(expected, summaries(out.drain(Duration.ofSeconds(2))));

            // SIGKILL: no final checkpoint; the changes since the last one come again, with new, higher ids
            server.exec("INSERT INTO it_k010.t VALUES (5,'e')");
            out.await(expected.size() + 1, Duration.ofSeconds(60));
            second.kill();
            server.exec("DELETE FROM it_k010.t WHERE id=4");
            SluiceProcess third = SluiceProcess.start(job, log);
            awaitLog(log, "job k010: resuming at", 2);
            expected.addAll(List.of("INSERT it_k010.t -->5:e", "DELETE it_k010.t 4:d->-"));
            List<GenericRecord> records = awaitDistinct(out, expected.size());
            assertEquals(0, third.terminate());
            assertAtLeastOnce(expected, records);
        }

        StringWriter tail = new StringWriter();
        assertEquals(0, SluiceCli.execute(new String[] {"tail", "--bootstrap-servers", bootstrap, "--topic", topic, "--max", "3"},
                new PrintWriter(tail, true), new PrintWriter(tail, true)), tail.toString());
        assertEquals(List.of("p0@0 #1 INIT it_k010.t", "p0@1 #2 INIT it_k010.t", "p0@2 #3 INSERT it_k010.t"),
                tail.toString().lines().map(l -> l.replaceAll(" pos=.*", "")).toList(), "sluice tail reads a 0.10 broker");
    }

    @Test
    void kafka010RefusesExactlyOnceWithTheFix() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.exec("CREATE DATABASE IF NOT EXISTS it_k010x", "CREATE TABLE IF NOT EXISTS it_k010x.t (id INT PRIMARY KEY)");
        String topic = "it-k010x-" + System.nanoTime();
        Path job = writeJob(JobYaml.of("k010x", server, Servers.kafka010Bootstrap(), topic, dir.resolve("state"), "it_k010x.t", 6962)
                .replace("  topic: " + topic, "  topic: " + topic + "\n  delivery: exactlyOnce"));

        assertTrue(check(job).lines().anyMatch(l -> l.startsWith("FAIL  delivery") && l.contains("upgrade the brokers to 0.11")));

        String text = InProcessRun.failsWithOneLine(job);
        assertTrue(text.contains("do not support transactions")
                && text.contains("Fix: upgrade the brokers to 0.11 or later, or set target.delivery: atLeastOnce"), text);
    }

    @Test
    void kafka011IsExactlyOnceAcrossAKill() throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_k011", "CREATE TABLE it_k011.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO it_k011.t VALUES (1,'a')");
        String bootstrap = Servers.kafka011Bootstrap();
        String topic = "it-k011-" + System.nanoTime();
        Path job = writeJob(JobYaml.of("k011", server, bootstrap, topic, dir.resolve("state"), "it_k011.t", 6963));
        Path log = dir.resolve("sluice.log");

        assertTrue(check(job).lines().anyMatch(l -> l.startsWith("PASS  delivery") && l.contains("exactly-once")));

        try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
            SluiceProcess first = SluiceProcess.start(job, log);
            awaitLog(log, "delivery is exactly-once (Kafka transactions", 1);
            assertEquals(1, out.await(1, Duration.ofSeconds(60)).size(), "the INIT record");
            server.exec("INSERT INTO it_k011.t VALUES (2,'b')", "UPDATE it_k011.t SET v='aa' WHERE id=1",
                    "DELETE FROM it_k011.t WHERE id=2");
            out.await(4, Duration.ofSeconds(60));
            first.kill();

            server.exec("INSERT INTO it_k011.t VALUES (3,'c')",
                    "BEGIN; UPDATE it_k011.t SET v='aaa' WHERE id=1; DELETE FROM it_k011.t WHERE id=3; COMMIT");
            SluiceProcess second = SluiceProcess.start(job, log);
            awaitLog(log, "job k011: resuming at", 1);
            List<String> expected = List.of("INIT it_k011.t -->1:a", "INSERT it_k011.t -->2:b", "UPDATE it_k011.t 1:a->1:aa",
                    "DELETE it_k011.t 2:b->-", "INSERT it_k011.t -->3:c", "UPDATE it_k011.t 1:aa->1:aaa", "DELETE it_k011.t 3:c->-");
            out.await(expected.size(), Duration.ofSeconds(60));
            List<GenericRecord> records = out.drain(Duration.ofSeconds(3));
            assertEquals(0, second.terminate());
            assertEquals(expected, summaries(records), "each change once, in order");
            assertIdsIncrease(records);
        }
    }

    private Path writeJob(String yaml) throws Exception {
        Path file = dir.resolve("job.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** `sluice check` on the job: its report. */
    private static String check(Path job) {
        StringWriter out = new StringWriter();
        SluiceCli.execute(new String[] {"check", "--config", job.toString()}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        return out.toString();
    }

    private static List<String> summaries(List<GenericRecord> records) {
        return records.stream().map(StreamingIT::summary).toList();
    }

    /** Reads until {@code count} distinct changes arrived (repeats allowed); returns everything read. */
    private static List<GenericRecord> awaitDistinct(DtsTopic out, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<GenericRecord> records = out.drain(Duration.ofSeconds(1));
        while (summaries(records).stream().distinct().count() < count && System.nanoTime() < deadline) {
            records = out.await(records.size() + 1, Duration.ofSeconds(5));
        }
        return out.drain(Duration.ofSeconds(2));
    }

    /**
     * The at-least-once contract: every change arrives, in order; a repeat is of a change already
     * written and comes with a new, higher id, so consumers drop it by id.
     */
    private static void assertAtLeastOnce(List<String> expected, List<GenericRecord> records) {
        Map<String, Long> firstId = new LinkedHashMap<>();
        for (GenericRecord r : records) firstId.putIfAbsent(StreamingIT.summary(r), (Long) r.get("id"));
        assertEquals(expected, List.copyOf(firstId.keySet()), "every change, first seen in order: " + summaries(records));
        assertIdsIncrease(records);
    }

    private static void assertIdsIncrease(List<GenericRecord> records) {
        for (int i = 1; i < records.size(); i++) {
            assertTrue((Long) records.get(i).get("id") > (Long) records.get(i - 1).get("id"), "ids increase: " + summaries(records));
        }
    }

    /** Waits until the log holds {@code times} lines containing {@code text}. */
    private static void awaitLog(Path log, String text, int times) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).lines().filter(l -> l.contains(text)).count() >= times) return;
            Thread.sleep(100);
        }
        throw new IllegalStateException("sluice did not log '" + text + "':\n" + Files.readString(log));
    }
}
