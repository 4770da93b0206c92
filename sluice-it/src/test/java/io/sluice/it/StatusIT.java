package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.app.status.StatusServer;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.RunningJob;
import io.sluice.it.support.Servers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status of a running job on the command line, a web page and Prometheus metrics. */
@Timeout(120)
class StatusIT {

    private static String get(int port, String path) throws Exception {
        try (var in = URI.create("http://127.0.0.1:" + port + path).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void statusPageMetricsAndCommand(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_status",
                "CREATE TABLE it_status.t (id INT PRIMARY KEY)");
        String topic = "it-status-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("status", server, topic, state, "it_status.t", 7701));
             StatusServer status = new StatusServer(0, "status", job.job());
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            server.exec("INSERT INTO it_status.t VALUES (1),(2),(3)");
            out.await(3, Duration.ofSeconds(30));

            String json = get(status.port(), "/status");
            assertTrue(json.contains("\"phase\":\"streaming\"") && json.contains("\"records\":3")
                    && json.contains("\"delivery\":\"exactly-once\"") && json.contains("\"binlogFile\":\"mysql-bin."), json);
            String metrics = get(status.port(), "/metrics");
            assertTrue(metrics.contains("sluice_records_written_total{job=\"status\"} 3.0"), metrics);
            assertTrue(metrics.contains("sluice_milliseconds_behind_source{job=\"status\"}"), metrics);

            // Quiet and caught up: 0 behind once a heartbeat says the stream is at the binlog end,
            // however long ago the last record was written.
            Thread.sleep(3000);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!get(status.port(), "/status").contains("\"lagMillis\":0,") && System.nanoTime() < deadline) Thread.sleep(200);
            assertTrue(get(status.port(), "/status").contains("\"lagMillis\":0,"), get(status.port(), "/status"));
            assertTrue(get(status.port(), "/metrics").contains("sluice_milliseconds_behind_source{job=\"status\"} 0.0"),
                    get(status.port(), "/metrics"));
            assertTrue(get(status.port(), "/").contains("<td>phase</td><td>streaming</td>"));

            StringWriter cli = new StringWriter();
            int code = SluiceCli.execute(new String[] {"status", "--port", String.valueOf(status.port())},
                    new PrintWriter(cli, true), new PrintWriter(new StringWriter(), true));
            assertEquals(0, code);
            assertTrue(cli.toString().lines().anyMatch(l -> l.matches("phase\\s+streaming")), cli.toString());
            assertTrue(cli.toString().lines().anyMatch(l -> l.matches("checkpoint\\.nextId\\s+\\d+")), cli.toString());
        }
    }
}
