package io.sluice.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.core.model.Value;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.Images;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.Servers;
import io.sluice.it.support.SluiceProcess;
import io.sluice.it.support.Exclusive;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kafka down for longer than the producer's delivery timeout, under a write load that fills the
 * dispatcher's queue: the session fails and tears down (no hang on a reader blocked on the queue),
 * {@code /status} says {@code recovering} and blames Kafka, the job resumes by itself once Kafka is
 * back with every change exactly once, and SIGTERM during an outage ends the process within 10 s.
 *
 * <p>Stops and starts only {@code kafka2}, the second broker of scripts/servers.sh: the shared
 * {@code kafka} stays up for the other tests.
 */
@Exclusive("kafka2") // stops it
@Timeout(600)
class KafkaOutageIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Inserts 50-row transactions (up to ~2000 rows/s: the queue fills within seconds of an outage) until stopped; {@link #lastId} is the last id committed. */
    private static final class Writer implements Runnable {
        final MySqlServer server;
        final AtomicInteger lastId = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean stop;

        Writer(MySqlServer server) { this.server = server; }

        @Override
        public void run() {
            try {
                while (!stop) {
                    int from = lastId.get() + 1;
                    String values = String.join(",", IntStream.range(from, from + 50).mapToObj(i -> "(" + i + ",'v" + i + "')").toList());
                    server.exec("INSERT INTO it_koutage.t VALUES " + values);
                    lastId.set(from + 49);
                    Thread.sleep(25);
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }
    }

    private static JsonNode status(int port) {
        try (var in = URI.create("http://127.0.0.1:" + port + "/status").toURL().openStream()) {
            return JSON.readTree(in);
        } catch (Exception e) {
            return null; // not serving yet
        }
    }

    /** Polls /status until {@code phase} (and, if given, a last error containing {@code errorPart}). */
    private static JsonNode awaitPhase(int port, SluiceProcess job, Path log, String phase, String errorPart, Duration timeout)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            if (!job.isAlive()) throw new AssertionError("sluice exited; log:\n" + Files.readString(log));
            s = status(port);
            if (s != null && phase.equals(s.path("phase").asText())
                    && (errorPart == null || s.path("lastError").asText().contains(errorPart))) {
                return s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no phase " + phase + (errorPart == null ? "" : " with last error containing " + errorPart)
                + " within " + timeout + "; last status " + s + "; log:\n" + Files.readString(log));
    }

    /** What a consumer saw of ids 1..last, compactly: count, duplicates, missing, first out of order. */
    private static String difference(int last, List<Integer> ids) {
        java.util.Map<Integer, Long> counts = ids.stream().collect(java.util.stream.Collectors.groupingBy(i -> i, java.util.stream.Collectors.counting()));
        List<Integer> repeated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(java.util.Map.Entry::getKey).sorted().toList();
        List<Integer> missing = IntStream.rangeClosed(1, last).filter(i -> !counts.containsKey(i)).boxed().toList();
        int firstDisorder = IntStream.range(1, ids.size()).filter(i -> ids.get(i) <= ids.get(i - 1)).findFirst().orElse(-1);
        return ids.size() + " records for " + last + " ids; repeated " + repeated.size() + " " + repeated.stream().limit(20).toList()
                + "; missing " + missing.size() + " " + missing.stream().limit(20).toList()
                + (missing.isEmpty() ? "" : " .. " + missing.get(missing.size() - 1))
                + "; first out of order at index " + firstDisorder;
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aLongKafkaOutageUnderLoadEndsTheSessionAndTheJobRecoversExactlyOnce(@TempDir Path dir) throws Exception {
        String bootstrap = Servers.kafka2Bootstrap();
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_koutage", "CREATE TABLE it_koutage.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-koutage-" + System.nanoTime();
        int statusPort = freePort();
        // Delivery and blocking bounds above the binlog silence limit (20 s), so a monitor that took a
        // reader blocked by backpressure for a silent source would blame MySQL first.
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, JobYaml.of("koutage-" + System.nanoTime(), server, bootstrap, topic, dir.resolve("state"),
                "it_koutage.t", 6802, "request.timeout.ms: 5000, delivery.timeout.ms: 25000, max.block.ms: 25000, "
                        + "transaction.timeout.ms: 60000") + "status:\n  httpPort: " + statusPort + "\n");
        Path log = dir.resolve("sluice.log");
        SluiceProcess job = SluiceProcess.start(jobFile, log);
        Writer writer = new Writer(server);
        Thread writing = new Thread(writer, "koutage-writer");
        try {
            awaitPhase(statusPort, job, log, "streaming", null, Duration.ofSeconds(90));
            writing.start();
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                assertTrue(out.await(1000, Duration.ofSeconds(60)).size() >= 1000,
                        "records flow before the outage; log:\n" + Files.readString(log));
            }

            Servers.run("down", "kafka2");
            try {
                JsonNode s = awaitPhase(statusPort, job, log, "recovering", "Kafka at " + bootstrap, Duration.ofSeconds(120));
                assertTrue(s.path("restarts").asLong() >= 1, s.toString());
            } finally {
                Servers.run("up", "kafka2");
            }
            awaitPhase(statusPort, job, log, "streaming", null, Duration.ofSeconds(180));
            writer.stop = true;
            writing.join(30_000);
            assertNull(writer.failure.get(), "the writer failed");
            int last = writer.lastId.get();
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                out.await(last, Duration.ofSeconds(300));
                assertTrue(job.isAlive(), () -> "the job ended after recovering; log:\n" + tail(log));
                List<Integer> ids = out.drain(Duration.ofSeconds(3)).stream()
                        .map(r -> Integer.parseInt(((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value())).toList();
                assertEquals(IntStream.rangeClosed(1, last).boxed().toList(), ids, () -> "every change exactly once, in order: "
                        + difference(last, ids));
            }
            String text = Files.readString(log);
            assertFalse(text.contains("no binlog events or heartbeats"), "a Kafka outage was blamed on the source:\n" + text);

            // Again, and SIGTERM while the job waits for Kafka: the process ends by itself within 10 s.
            Servers.run("down", "kafka2");
            try {
                server.exec("INSERT INTO it_koutage.t VALUES (" + (last + 1) + ",'during')");
                awaitPhase(statusPort, job, log, "recovering", "Kafka at " + bootstrap, Duration.ofSeconds(120));
                assertEquals(0, job.terminateWithin(Duration.ofSeconds(10)),
                        "SIGTERM during a Kafka outage: exit 0 within 10 s; log:\n" + Files.readString(log));

                // And while starting against the unreachable Kafka (checking the topic waits up to 30 s).
                Path startLog = dir.resolve("start.log");
                SluiceProcess starting = SluiceProcess.start(jobFile, startLog);
                try {
                    // its status page answers: the signal handlers are in place (a fixed sleep could end before that on a busy machine)
                    awaitPhase(statusPort, starting, startLog, "starting", null, Duration.ofSeconds(60));
                    assertEquals(0, starting.terminateWithin(Duration.ofSeconds(10)),
                            "SIGTERM while starting with Kafka down: exit 0 within 10 s; log:\n" + Files.readString(startLog));
                } finally {
                    if (starting.isAlive()) starting.kill();
                }
            } finally {
                Servers.run("up", "kafka2");
            }
        } finally {
            writer.stop = true;
            writing.join(30_000);
            if (job.isAlive()) job.kill();
            Files.copy(log, Path.of("target/KafkaOutageIT-sluice.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Waits until the process output contains {@code text}. */
    private static void awaitLog(Path log, SluiceProcess job, String text, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) return;
            if (!job.isAlive()) break;
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in the output within " + timeout + "; log:\n" + tail(log));
    }

    /**
     * Kafka down for a while shorter than the producer's timeouts (defaults: 2 minutes): the producer
     * waits and retries, the session goes on. The operator still learns it: a WARN naming the brokers
     * once a call has waited 10 s, the status's {@code kafkaUnanswered} and last error while it lasts,
     * an INFO when Kafka answers again; and nothing is lost.
     */
    @Test
    void aKafkaOutageTheProducerRidesOutIsReportedWhileItLastsAndWhenItEnds(@TempDir Path dir) throws Exception {
        String bootstrap = Servers.kafka2Bootstrap();
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_koutage", "CREATE TABLE it_koutage.t (id INT PRIMARY KEY, v VARCHAR(20))");
        String topic = "it-koutage-short-" + System.nanoTime();
        int statusPort = freePort();
        Path jobFile = dir.resolve("job.yaml");
        Files.writeString(jobFile, JobYaml.of("koutage-short-" + System.nanoTime(), server, bootstrap, topic, dir.resolve("state"),
                "it_koutage.t", 6803, null) + "status:\n  httpPort: " + statusPort + "\n");
        Path log = dir.resolve("sluice.log");
        SluiceProcess job = SluiceProcess.start(jobFile, log);
        Writer writer = new Writer(server);
        Thread writing = new Thread(writer, "koutage-short-writer");
        try {
            awaitPhase(statusPort, job, log, "streaming", null, Duration.ofSeconds(90));
            writing.start();
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                assertTrue(out.await(500, Duration.ofSeconds(60)).size() >= 500, "records flow before the outage; log:\n" + tail(log));
            }

            Servers.run("down", "kafka2");
            try {
                String warned = "Kafka at " + bootstrap + " has not answered for ";
                awaitLog(log, job, warned, Duration.ofSeconds(60));
                JsonNode s = awaitPhase(statusPort, job, log, "streaming", warned, Duration.ofSeconds(30));
                assertTrue(s.has("kafkaUnanswered"), "the status says Kafka does not answer: " + s);
                assertTrue(Files.readString(log).contains("nothing is lost"), tail(log));
            } finally {
                Servers.run("up", "kafka2");
            }
            awaitLog(log, job, "Kafka at " + bootstrap + " answers again, after about ", Duration.ofSeconds(180));
            JsonNode after = status(statusPort);
            assertFalse(after == null || after.has("kafkaUnanswered"), "no outage in the status once Kafka answers: " + after);

            writer.stop = true;
            writing.join(30_000);
            assertNull(writer.failure.get(), "the writer failed");
            int last = writer.lastId.get();
            try (DtsTopic out = new DtsTopic(bootstrap, topic)) {
                out.await(last, Duration.ofSeconds(300));
                List<Integer> ids = out.drain(Duration.ofSeconds(3)).stream()
                        .map(r -> Integer.parseInt(((Value.IntegerValue) Images.of(r, "afterImages").get(0)).value())).toList();
                assertEquals(IntStream.rangeClosed(1, last).boxed().toList(), ids, () -> "every change exactly once, in order: "
                        + difference(last, ids));
            }
        } finally {
            writer.stop = true;
            writing.join(30_000);
            if (job.isAlive()) job.kill();
            Files.copy(log, Path.of("target/KafkaOutageIT-short-sluice.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
