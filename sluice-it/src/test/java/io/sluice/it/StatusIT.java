package io.sluice.it;

import io.sluice.app.cli.SluiceCli;
import io.sluice.app.status.StatusServer;
import io.sluice.it.support.DtsTopic;
import io.sluice.it.support.Flavor;
import io.sluice.it.support.JobYaml;
import io.sluice.it.support.MySqlServer;
import io.sluice.it.support.PromQlNames;
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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

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

    private static int code(int port, String path, String bearer) throws Exception {
        var c = (java.net.HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
        if (bearer != null) c.setRequestProperty("Authorization", "Bearer " + bearer);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    /** The Debezium-equivalent series, JVM metrics, HELP on every series, and every name the shipped dashboard and alerts use. */
    @Test
    void metricsCoverTheDashboardAndAlertRules(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_status_metrics", "CREATE TABLE it_status_metrics.t (id INT PRIMARY KEY)");
        String topic = "it-status-metrics-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("status-metrics", server, topic, state, "it_status_metrics.t", 7702));
             StatusServer status = new StatusServer(0, "status-metrics", job.job());
             DtsTopic out = new DtsTopic(Servers.kafkaBootstrap(), topic)) {
            server.exec("INSERT INTO it_status_metrics.t VALUES (1),(2)");
            out.await(2, Duration.ofSeconds(30));
            System.gc(); // the GC pause timer appears with the first collection

            Path docs = Servers.root().resolve("docs/monitoring");
            Set<String> used = new TreeSet<>();
            for (String file : List.of("sluice-grafana-dashboard.json", "sluice-alerts.yml")) {
                List<String> exprs = PromQlNames.expressions(docs.resolve(file));
                assertTrue(exprs.size() >= 5, file + ": " + exprs);
                for (String expr : exprs) used.addAll(PromQlNames.metricNames(expr));
            }
            assertTrue(used.contains("sluice_milliseconds_behind_source") && used.contains("jvm_memory_used_bytes"), used.toString());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Set<String> missing = missing(used, get(status.port(), "/metrics"));
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                missing = missing(used, get(status.port(), "/metrics"));
            }
            String metrics = get(status.port(), "/metrics");
            assertEquals(Set.of(), missing, "series the dashboard or alert rules use that /metrics lacks:\n" + metrics);

            // Debezium's streaming and snapshot metrics under Sluice names
            for (String series : List.of("sluice_connected{job=\"status-metrics\"} 1.0", "sluice_queue_total_capacity{job=\"status-metrics\"} 8192.0",
                    "sluice_snapshot_completed{job=\"status-metrics\"} 1.0", "sluice_snapshot_running{job=\"status-metrics\"} 0.0",
                    "sluice_snapshot_remaining_tables{job=\"status-metrics\"} 0.0", "sluice_source_transactions_total{job=\"status-metrics\"}",
                    "sluice_events_seen_total{job=\"status-metrics\"}", "sluice_checkpoint_binlog{binlog_file=\"mysql-bin.",
                    "sluice_source_binlog{binlog_file=\"mysql-bin.", "sluice_binlog_position{job=\"status-metrics\"}",
                    "sluice_queue_remaining_capacity{job=\"status-metrics\"}", "jvm_threads_live_threads", "process_cpu_usage")) {
                assertTrue(metrics.contains(series), series + " in\n" + metrics);
            }
            // every series has its HELP text
            for (String line : metrics.lines().filter(l -> l.startsWith("# TYPE ")).toList()) {
                String name = line.split(" ")[2];
                assertTrue(metrics.lines().anyMatch(l -> l.startsWith("# HELP " + name + " ") && l.length() > ("# HELP " + name + " ").length() + 3),
                        "no HELP for " + name);
            }
        }
    }

    private static Set<String> missing(Set<String> names, String metrics) {
        Set<String> missing = new TreeSet<>();
        for (String name : names) {
            if (!java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(name) + "[{ ]").matcher(metrics).find()) {
                missing.add(name);
            }
        }
        return missing;
    }

    /** status.authToken: every endpoint wants it (header or query), and sluice status passes it with --token. */
    @Test
    void anAuthTokenGuardsEveryEndpoint(@TempDir Path state) throws Exception {
        MySqlServer server = Flavor.MYSQL57.start();
        server.freshDatabase("it_status_auth", "CREATE TABLE it_status_auth.t (id INT PRIMARY KEY)");
        String topic = "it-status-auth-" + System.nanoTime();
        try (RunningJob job = RunningJob.start(JobYaml.of("status-auth", server, topic, state, "it_status_auth.t", 7703));
             StatusServer status = new StatusServer("127.0.0.1", 0, "status-auth", job.job(), "s3cret-token")) {
            int port = status.port();
            for (String path : List.of("/", "/status", "/metrics")) {
                assertEquals(401, code(port, path, null), path);
                assertEquals(401, code(port, path, "wrong"), path);
                assertEquals(401, code(port, path + "?token=wrong", null), path);
                assertEquals(200, code(port, path, "s3cret-token"), path);
                assertEquals(200, code(port, path + "?token=s3cret-token", null), path);
            }
            StringWriter err = new StringWriter();
            int refused = SluiceCli.execute(new String[] {"status", "--port", String.valueOf(port)},
                    new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertEquals(2, refused, err.toString());
            assertTrue(err.toString().contains("status.authToken") && err.toString().contains("--token"), err.toString());
            StringWriter cli = new StringWriter();
            int code = SluiceCli.execute(new String[] {"status", "--port", String.valueOf(port), "--token", "s3cret-token"},
                    new PrintWriter(cli, true), new PrintWriter(new StringWriter(), true));
            assertEquals(0, code);
            assertTrue(cli.toString().lines().anyMatch(l -> l.matches("phase\\s+streaming")), cli.toString());
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

            // the records are readable once their Kafka transaction commits; the dispatcher adds them to
            // its counts just after, so the page may lag the topic by a moment
            String json = get(status.port(), "/status");
            for (long end = System.nanoTime() + 10_000_000_000L; !json.contains("\"records\":3") && System.nanoTime() < end; ) {
                Thread.sleep(50);
                json = get(status.port(), "/status");
            }
            assertTrue(json.contains("\"phase\":\"streaming\"") && json.contains("\"records\":3")
                    && json.contains("\"delivery\":\"exactly-once\"") && json.contains("\"binlogFile\":\"mysql-bin."), json);
            String metrics = get(status.port(), "/metrics");
            assertTrue(metrics.contains("sluice_records_written_total{job=\"status\"} 3.0"), metrics);
            assertTrue(metrics.contains("sluice_milliseconds_behind_source{job=\"status\"}"), metrics);

            // Quiet and caught up: 0 behind once a heartbeat says the stream is at the binlog end,
            // however long ago the last record was written.
            Thread.sleep(3000);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            // Other work on the shared server is read too (any event makes the lag non-zero until the
            // next heartbeat), so both views are read in one pass and retried until both say 0.
            String lagStatus, lagMetrics;
            while (true) {
                lagStatus = get(status.port(), "/status");
                lagMetrics = get(status.port(), "/metrics");
                if (lagStatus.contains("\"lagMillis\":0,")
                        && lagMetrics.contains("sluice_milliseconds_behind_source{job=\"status\"} 0.0")
                        || System.nanoTime() > deadline) break;
                Thread.sleep(200);
            }
            assertTrue(lagStatus.contains("\"lagMillis\":0,"), lagStatus);
            assertTrue(lagMetrics.contains("sluice_milliseconds_behind_source{job=\"status\"} 0.0"), lagMetrics);
            String page = get(status.port(), "/");
            // the web console is one self-contained page: nothing loaded from elsewhere (works offline)
            assertTrue(page.contains("fetch(\"status\"") && !page.contains("<script src") && !page.contains("<link")
                    && !page.contains("@import") && !page.contains("url("), page);

            StringWriter cli = new StringWriter();
            int code = SluiceCli.execute(new String[] {"status", "--port", String.valueOf(status.port())},
                    new PrintWriter(cli, true), new PrintWriter(new StringWriter(), true));
            assertEquals(0, code);
            assertTrue(cli.toString().lines().anyMatch(l -> l.matches("phase\\s+streaming")), cli.toString());
            assertTrue(cli.toString().lines().anyMatch(l -> l.matches("checkpoint\\.nextId\\s+\\d+")), cli.toString());
        }
    }
}
