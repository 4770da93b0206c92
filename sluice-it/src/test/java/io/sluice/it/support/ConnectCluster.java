package io.sluice.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The two-worker Kafka Connect cluster of {@code scripts/servers.sh up connect} (shared by the test
 * classes of one JVM) and a small client of its REST API. Workers are killed with SIGKILL through
 * their pid files and started again with the same script, so a restarted worker is the same worker
 * (same properties, same REST port). Connectors created here are deleted by {@link #deleteCreated()}
 * (tests call it in a finally) and by a shutdown hook, so none keeps streaming after its test.
 */
public final class ConnectCluster {

    /** The Sluice connector's class, as the plugin registers it. */
    public static final String CONNECTOR_CLASS = "io.sluice.connect.SluiceSourceConnector";

    public enum Worker {
        CONNECT1("connect1", "SLUICE_CONNECT_PORT", 18083),
        CONNECT2("connect2", "SLUICE_CONNECT2_PORT", 18084);

        public final String name;
        private final String portEnv;
        private final int defaultPort;

        Worker(String name, String portEnv, int defaultPort) {
            this.name = name;
            this.portEnv = portEnv;
            this.defaultPort = defaultPort;
        }

        public int port() { return Servers.port(portEnv, defaultPort); }

        public String url() { return "http://127.0.0.1:" + port(); }

        /** How the REST API names this worker in a status ({@code worker_id}). */
        public String id() { return "127.0.0.1:" + port(); }

        public Worker other() { return this == CONNECT1 ? CONNECT2 : CONNECT1; }

        static Optional<Worker> byId(String id) {
            for (Worker w : values()) if (w.id().equals(id)) return Optional.of(w);
            return Optional.empty();
        }
    }

    /** A task's state as the status API reports it. */
    public record TaskState(String state, Worker worker, String trace) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConnectCluster INSTANCE = new ConnectCluster();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Set<String> created = ConcurrentHashMap.newKeySet();

    private ConnectCluster() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::deleteCreated, "delete-test-connectors"));
    }

    /**
     * The cluster with both workers running (started, or started again after a test killed one).
     * Needs the plugin built ({@code sluice-connect/target/sluice-connect-plugin/}) and the broker {@code kafka}.
     */
    public static ConnectCluster ensure() {
        Servers.kafkaBootstrap();
        Servers.run("up", "connect");
        return INSTANCE;
    }

    // ---------------------------------------------------------------------------------- workers

    /** Starts the worker (its script returns once it joined the cluster); a no-op when it runs. */
    public void start(Worker w) {
        Servers.run("up", w.name);
    }

    /** SIGTERM: the worker leaves the group cleanly, its tasks are stopped and handed over. */
    public void stop(Worker w) {
        Servers.run("down", w.name);
    }

    /** SIGKILL: no shutdown, no goodbye to the group; its transaction is left open. */
    public void kill(Worker w) {
        Optional<ProcessHandle> p = process(w);
        if (p.isEmpty()) throw new IllegalStateException(w.name + " is not running");
        p.get().destroyForcibly();
        try {
            p.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(w.name + " did not die on SIGKILL", e);
        }
    }

    public boolean alive(Worker w) {
        return process(w).isPresent();
    }

    /** The worker's log (appended to across restarts). */
    public Path log(Worker w) {
        return PrivateMySql.serversDir().resolve(w.name).resolve("logs/connect.log");
    }

    private static Optional<ProcessHandle> process(Worker w) {
        Path pidFile = PrivateMySql.serversDir().resolve(w.name).resolve("connect.pid");
        try {
            if (!Files.exists(pidFile)) return Optional.empty();
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().commandLine().orElse("").contains("ConnectDistributed"));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    // ---------------------------------------------------------------------------------- REST

    /** Creates (or reconfigures) a connector; it is deleted again by {@link #deleteCreated()}. */
    public void create(String name, Map<String, String> config) {
        created.add(name);
        Response r = call("PUT", "/connectors/" + enc(name) + "/config", json(config), Duration.ofSeconds(60));
        if (r.code != 200 && r.code != 201) throw new IllegalStateException("creating connector " + name + ": " + r);
    }

    public void delete(String name) {
        Response r = call("DELETE", "/connectors/" + enc(name), null, Duration.ofSeconds(60));
        if (r.code != 204 && r.code != 404) throw new IllegalStateException("deleting connector " + name + ": " + r);
        created.remove(name);
    }

    /** Deletes every connector this JVM created and has not deleted yet (best effort). */
    public void deleteCreated() {
        for (String name : Set.copyOf(created)) {
            try {
                delete(name);
            } catch (RuntimeException e) {
                System.err.println("could not delete connector " + name + ": " + e.getMessage());
            }
        }
    }

    /** {@code GET /connectors/{name}/status}, or null when there is no such connector. */
    public JsonNode status(String name) {
        Response r = call("GET", "/connectors/" + enc(name) + "/status", null, Duration.ofSeconds(30));
        if (r.code == 404) return null;
        if (r.code != 200) throw new IllegalStateException("status of " + name + ": " + r);
        return r.json();
    }

    /** Task 0's state, or null while the connector has no task yet. */
    public TaskState task(String name) {
        JsonNode s = status(name);
        if (s == null || s.path("tasks").isEmpty()) return null;
        JsonNode t = s.path("tasks").get(0);
        return new TaskState(t.path("state").asText(), Worker.byId(t.path("worker_id").asText()).orElse(null),
                t.path("trace").asText(null));
    }

    /** {@code PUT /connector-plugins/{class}/config/validate}. */
    public JsonNode validate(Map<String, String> config) {
        Response r = call("PUT", "/connector-plugins/" + enc(CONNECTOR_CLASS) + "/config/validate", json(config),
                Duration.ofSeconds(60));
        if (r.code != 200) throw new IllegalStateException("validate: " + r);
        return r.json();
    }

    /**
     * Waits until task 0 is RUNNING on {@code on} (any worker when null) and returns that worker.
     * A FAILED task fails at once with its trace.
     */
    public Worker awaitTaskRunning(String name, Worker on, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        TaskState last = null;
        while (System.nanoTime() < deadline) {
            last = task(name);
            if (last != null && "FAILED".equals(last.state())) {
                throw new IllegalStateException("task of " + name + " FAILED on " + last.worker() + ":\n" + last.trace());
            }
            if (last != null && "RUNNING".equals(last.state()) && last.worker() != null && (on == null || last.worker() == on)) {
                return last.worker();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("task of " + name + " not RUNNING" + (on == null ? "" : " on " + on.name)
                + " after " + timeout.toSeconds() + " s; last status: " + last);
    }

    private record Response(int code, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }

        @Override
        public String toString() { return "HTTP " + code + " " + body; }
    }

    /**
     * One REST call to whichever worker answers. Retried until {@code timeout} while no worker
     * answers or the cluster answers 409 (rebalance in progress) or 5xx (e.g. the leader was just killed).
     */
    private Response call(String method, String path, String body, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Response last = null;
        Exception lastError = null;
        int attempt = 0;
        while (true) {
            Worker w = Worker.values()[attempt++ % 2];
            try {
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url() + path)).timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json").header("Accept", "application/json");
                b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                last = new Response(r.statusCode(), r.body());
                if (r.statusCode() != 409 && r.statusCode() < 500) return last;
            } catch (IOException e) {
                lastError = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(method + " " + path + ": no answer within " + timeout.toSeconds() + " s; last: "
                        + (last != null ? last : lastError));
            }
            try {
                Thread.sleep(attempt % 2 == 0 ? 300 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String json(Map<String, String> config) {
        try {
            return JSON.writeValueAsString(new LinkedHashMap<>(config));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
