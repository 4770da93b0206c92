package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's Kafka Connect cluster: one distributed worker process
 * ({@code ConnectDistributed}, connect-runtime 3.9.1 from bench/connect/worker) on the benchmark's
 * Kafka, exactly-once source support enabled, its plugin.path holding Sluice's connector and
 * Debezium's MySQL connector; its group and internal topics are named after the run, so every
 * run starts with an empty cluster. Connectors are driven over its REST API.
 */
final class ConnectWorker implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final String url;
    final Proc proc;
    final Path gcLog;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ConnectWorker(String url, Proc proc, Path gcLog) {
        this.url = url;
        this.proc = proc;
        this.gcLog = gcLog;
    }

    /**
     * Starts the worker and waits until its REST API answers. {@code producerSettings}: the
     * worker's producer settings (producer.* lines), the same for every connector on it.
     */
    static ConnectWorker start(Config cfg, Path dir, String group, String heap, List<String> extra) throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        int port = cfg.integer("connectPort");
        Path props = dir.resolve("worker.properties");
        List<String> lines = new ArrayList<>(List.of(
                "# written by the benchmark harness (ConnectWorker) at every start",
                "bootstrap.servers=" + cfg.str("kafka"),
                "group.id=" + group,
                "config.storage.topic=" + group + "-configs",
                "offset.storage.topic=" + group + "-offsets",
                "status.storage.topic=" + group + "-status",
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.storage.partitions=1",
                "status.storage.partitions=1",
                "listeners=http://127.0.0.1:" + port,
                "rest.advertised.host.name=127.0.0.1",
                "rest.advertised.port=" + port,
                "plugin.path=" + cfg.str("connectPlugins"),
                // both plugins have ServiceLoader manifests: no reflective scan of every jar at start
                "plugin.discovery=service_load",
                // Sluice's records are DTS Avro bytes; Debezium's connector sets JsonConverter itself
                "key.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                "value.converter=org.apache.kafka.connect.converters.ByteArrayConverter",
                // KIP-618: records and source offsets in one Kafka transaction
                "exactly.once.source.support=enabled",
                "offset.flush.interval.ms=1000",
                "task.shutdown.graceful.timeout.ms=10000",
                // the worker's producer (every connector's records) with KafkaSink's settings, so that
                // the pipelines differ and not the producers
                "producer.compression.type=lz4",
                "producer.linger.ms=5",
                "producer.batch.size=" + 256 * 1024));
        lines.addAll(extra);
        Files.write(props, lines);
        Path gc = dir.resolve("logs/worker.gc.log");
        Files.deleteIfExists(gc);
        Path log = dir.resolve("logs/worker.log");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap, "-Xlog:gc,gc+heap+exit:file=" + gc, "-Djava.awt.headless=true",
                "-Dlog4j.configuration=file:" + writeLog4j(dir),
                "-cp", cfg.str("connectCp"), "org.apache.kafka.connect.cli.ConnectDistributed", props.toString()));
        ConnectWorker w = new ConnectWorker("http://127.0.0.1:" + port, Proc.start(cmd, Map.of(), log), gc);
        long deadline = System.currentTimeMillis() + 300_000;
        while (true) {
            if (!w.proc.alive()) throw new IllegalStateException("the Connect worker exited: " + Bench.tail(w.proc.logText()));
            if (System.currentTimeMillis() > deadline) throw new IllegalStateException("the Connect worker did not start in 300 s");
            try {
                if (w.get("/connector-plugins").toString().contains("MySqlConnector")) return w;
            } catch (Exception e) {
                // not up yet
            }
            Thread.sleep(1000);
        }
    }

    private static Path writeLog4j(Path dir) throws Exception {
        Path f = dir.resolve("log4j.properties");
        Files.writeString(f, String.join("\n",
                "log4j.rootLogger=INFO, stdout",
                "log4j.appender.stdout=org.apache.log4j.ConsoleAppender",
                "log4j.appender.stdout.layout=org.apache.log4j.PatternLayout",
                "log4j.appender.stdout.layout.ConversionPattern=[%d] %p %X{connector.context}%m (%c:%L)%n",
                "log4j.logger.org.reflections=ERROR",
                "log4j.logger.org.eclipse.jetty=WARN",
                "log4j.logger.org.apache.kafka.clients=WARN",
                "log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN",
                ""));
        return f;
    }

    JsonNode get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url + path)).GET());
    }

    /** Creates a connector (POST /connectors). */
    void create(String name, Map<String, String> config) throws Exception {
        send(HttpRequest.newBuilder(URI.create(url + "/connectors")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("name", name, "config", config)))));
    }

    /** PUT /connectors/{name}/stop (Connect 3.5+: tasks shut down, offsets kept) and waits for STOPPED. */
    void stop(String name) throws Exception {
        send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/stop")).PUT(HttpRequest.BodyPublishers.noBody()));
        awaitState(name, "STOPPED", false);
    }

    /** PUT /connectors/{name}/resume and waits until the connector and its task run. */
    void resume(String name) throws Exception {
        send(HttpRequest.newBuilder(URI.create(url + "/connectors/" + name + "/resume")).PUT(HttpRequest.BodyPublishers.noBody()));
        awaitState(name, "RUNNING", true);
    }

    /** Waits until the connector is in {@code state} (and, if {@code task}, its task 0 too); fails on a FAILED task. */
    void awaitState(String name, String state, boolean task) throws Exception {
        long deadline = System.currentTimeMillis() + 120_000;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            JsonNode s;
            try {
                s = get("/connectors/" + name + "/status");
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("HTTP 404")) throw e;
                Thread.sleep(300); // just created: no status written yet
                continue;
            }
            last = s.toString();
            for (JsonNode t : s.path("tasks")) {
                if (t.path("state").asText().equals("FAILED")) {
                    throw new IllegalStateException("connector " + name + "'s task failed: " + t.path("trace").asText().lines().findFirst().orElse(""));
                }
            }
            // STOPPED: also no task still running (the connector's state changes before its task has shut down)
            boolean anyRunning = false;
            for (JsonNode t : s.path("tasks")) anyRunning |= t.path("state").asText().equals("RUNNING");
            boolean ok = s.path("connector").path("state").asText().equals(state)
                    && (task ? s.path("tasks").size() > 0 && s.path("tasks").get(0).path("state").asText().equals(state)
                             : !anyRunning);
            if (ok) return;
            Thread.sleep(300);
        }
        throw new IllegalStateException("connector " + name + " not " + state + " after 120 s: " + last);
    }

    private JsonNode send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) throw new IllegalStateException(r.request().method() + " " + r.request().uri() + ": HTTP " + r.statusCode() + " " + r.body());
        return r.body().isBlank() ? JSON.nullNode() : JSON.readTree(r.body());
    }

    @Override
    public void close() throws Exception {
        if (proc.alive()) proc.stop(60);
        proc.close();
    }
}
