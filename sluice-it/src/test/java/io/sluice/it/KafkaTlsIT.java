package io.sluice.it;

import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.PrivateKafka;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.SluiceProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A job writing to a broker whose only client listener is TLS (a private KRaft broker: the shared
 * one keeps its plaintext listener), with security.protocol SSL and a trust store in target.producer.
 * Every Kafka client of the job needs them: the admin (topic checks and creation), the transactional
 * producer, and on restart the checkpoint consumer and the topic tail.
 */
class KafkaTlsIT {

    @TempDir static Path dir;
    private static PrivateKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = PrivateKafka.startWithSslListener(dir.resolve("kafka"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (kafka != null) kafka.close();
    }

    private static String producerYaml() {
        return kafka.securityProperties().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "    " + e.getKey() + ": '" + e.getValue() + "'").collect(Collectors.joining("\n"));
    }

    @Test
    void aJobInitializesStreamsAndResumesOverTls() throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_ktls", "CREATE TABLE it_ktls.t (id INT PRIMARY KEY, v VARCHAR(20))",
                "INSERT INTO it_ktls.t VALUES (1, 'a')");
        String topic = "it-ktls-" + System.nanoTime();
        String yaml = JobYaml.of("ktls-" + System.nanoTime(), server, kafka.bootstrap(), topic, dir.resolve("state"), "it_ktls.t", 7951)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  delivery: exactlyOnce\n  producer:\n" + producerYaml() + "\n");
        try (DtsTopic out = new DtsTopic(kafka.clientProperties(), kafka.bootstrap(), topic, "read_committed")) {
            try (RunningJob job = RunningJob.start(yaml)) {
                server.exec("INSERT INTO it_ktls.t VALUES (2, 'b')");
                assertEquals(List.of("INIT", "INSERT"), operations(out, 2));
            }
            // a restart reads the checkpoint topic and the record topic's tail over TLS too
            server.exec("INSERT INTO it_ktls.t VALUES (3, 'c')");
            try (RunningJob job = RunningJob.start(yaml)) {
                assertEquals(List.of("INIT", "INSERT", "INSERT"), operations(out, 3));
            }
        }
        // sluice tail reads it with the same settings in a properties file
        Path settings = dir.resolve("client.properties");
        Files.writeString(settings, kafka.securityProperties().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n");
        SluiceProcess.Result tail = SluiceProcess.exec(120, "tail", "--bootstrap-servers", kafka.bootstrap(), "--topic", topic,
                "--command-config", settings.toString(), "--max", "3", "--idle-seconds", "10");
        assertEquals(0, tail.exitCode(), tail.all());
        assertEquals(3, tail.stdout().lines().filter(l -> l.startsWith("p0@")).count(), tail.all());
    }

    @Test
    void withoutTheSecuritySettingsTheJobStopsNamingTheBrokers() throws Exception {
        MySqlServer server = Flavor.MYSQL80.start();
        server.freshDatabase("it_ktls2", "CREATE TABLE it_ktls2.t (id INT PRIMARY KEY)");
        String topic = "it-ktls2-" + System.nanoTime();
        String yaml = JobYaml.of("ktls2-" + System.nanoTime(), server, kafka.bootstrap(), topic, dir.resolve("state2"), "it_ktls2.t", 7952)
                .replace("  topic: " + topic + "\n", "  topic: " + topic + "\n  connectTimeoutSeconds: 5\n");
        Path file = dir.resolve("plain.yaml");
        Files.writeString(file, yaml);
        SluiceProcess.Result r = SluiceProcess.exec(120, "run", "--config", file.toString());
        assertEquals(2, r.exitCode(), r.all());
        assertTrue(r.stderr().contains("sluice: ") && r.stderr().contains(kafka.bootstrap()) && r.stderr().contains("Fix: "), r.all());
        // the fix names the missing setting (a probe saw a TLS record), and the client's heap error is not shown
        assertTrue(r.stderr().contains(" answers TLS") && r.stderr().contains("security.protocol: SSL"), r.all());
        assertFalse(r.all().contains("OutOfMemoryError") || r.all().contains("at org.apache"), r.all());
        // sluice tail without --command-config: the same probe, the fix names its option
        SluiceProcess.Result tail = SluiceProcess.exec(120, "tail", "--bootstrap-servers", kafka.bootstrap(), "--topic", topic,
                "--timeout-seconds", "5");
        assertEquals(2, tail.exitCode(), tail.all());
        assertTrue(tail.stderr().contains(kafka.bootstrap() + " answers TLS") && tail.stderr().contains("--command-config")
                && tail.stderr().contains("security.protocol=SSL"), tail.all());
        assertFalse(tail.all().contains("OutOfMemoryError") || tail.all().contains("at org.apache"), tail.all());
    }

    private static List<String> operations(DtsTopic out, int count) {
        return out.await(count, Duration.ofSeconds(60)).stream().map(r -> String.valueOf(r.get("operation"))).toList();
    }
}
