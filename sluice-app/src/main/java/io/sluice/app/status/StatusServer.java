package io.sluice.app.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.app.job.JobMetrics;
import io.sluice.app.job.SyncJob;
import io.sluice.app.state.Checkpoint;
import io.sluice.core.error.SluiceException;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A job's status over HTTP: {@code /status} (JSON), {@code /} (a page that refreshes itself) and
 * {@code /metrics} (Prometheus text, via Micrometer). Served by the JDK's HTTP server: no web
 * framework for three read-only endpoints.
 */
public final class StatusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final SyncJob job;
    private final String name;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-status-sampler");
        t.setDaemon(true);
        return t;
    });
    private volatile double recordsPerSecond;
    private long lastRecords;
    private long lastSampleNanos = System.nanoTime();

    /** On 127.0.0.1 (tests). */
    public StatusServer(int port, String jobName, SyncJob job) throws IOException {
        this("127.0.0.1", port, jobName, job);
    }

    /** Serves on {@code bindAddress:port} (status.bindAddress, status.httpPort); a port in use stops the job with the fix. */
    public StatusServer(String bindAddress, int port, String jobName, SyncJob job) throws IOException {
        server = bind(bindAddress, port);
        this.job = job;
        this.name = jobName;
        JobMetrics m = job.metrics();
        FunctionCounter.builder("sluice_records_written", m, JobMetrics::records).tag("job", jobName)
                .description("records handed to Kafka").register(registry);
        FunctionCounter.builder("sluice_bytes_written", m, JobMetrics::bytes).tag("job", jobName).register(registry);
        FunctionCounter.builder("sluice_source_transactions", m, JobMetrics::transactions).tag("job", jobName).register(registry);
        FunctionCounter.builder("sluice_commits", m, JobMetrics::commits).tag("job", jobName).register(registry);
        FunctionCounter.builder("sluice_restarts", m, JobMetrics::restarts).tag("job", jobName)
                .description("streaming sessions resumed after a transient failure").register(registry);
        FunctionCounter.builder("sluice_schema_mismatches", m, JobMetrics::schemaMismatches).tag("job", jobName)
                .description("disagreements with the binlog's column metadata continued after (source.schemaMismatch: warn)")
                .register(registry);
        Gauge.builder("sluice_milliseconds_behind_source", m, JobMetrics::lagMillis).tag("job", jobName)
                .description("now minus the source time of the last binlog event handled; 0 once read to the binlog end").register(registry);
        FunctionCounter.builder("sluice_statement_dml_skipped", m, JobMetrics::statementDmlSkipped).tag("job", jobName)
                .description("statement-logged changes (binlog_format STATEMENT/MIXED) of tables that are not selected, passed")
                .register(registry);
        FunctionCounter.builder("sluice_truncates", m, JobMetrics::truncates).tag("job", jobName)
                .description("TRUNCATEs of selected tables passed with a warning (consumers keep the old rows)").register(registry);
        Gauge.builder("sluice_records_per_second", this, s -> s.recordsPerSecond).tag("job", jobName).register(registry);
        Gauge.builder("sluice_streaming", job, j -> "streaming".equals(j.phase()) ? 1 : 0).tag("job", jobName).register(registry);
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);

        server.createContext("/status", ex -> send(ex, "application/json", JSON.writeValueAsBytes(status())));
        server.createContext("/metrics", ex -> send(ex, "text/plain; version=0.0.4", registry.scrape().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/", ex -> send(ex, "text/html; charset=utf-8", StatusPage.html(status()).getBytes(StandardCharsets.UTF_8)));
        server.start();
    }

    private static HttpServer bind(String bindAddress, int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(bindAddress, port);
        if (address.isUnresolved()) {
            throw new SluiceException("status.bindAddress " + bindAddress + " is not an address of this machine",
                    "set status.bindAddress to 127.0.0.1 (this machine only), 0.0.0.0 (every interface) or one of its addresses");
        }
        try {
            return HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new SluiceException("cannot serve the status on " + bindAddress + ":" + port + ": " + e.getMessage(),
                    "choose a free status.httpPort (or stop what uses port " + port + "); status.bindAddress must be an address of this machine");
        }
    }

    public int port() { return server.getAddress().getPort(); }

    private synchronized void sample() {
        long now = System.nanoTime();
        long records = job.metrics().records();
        recordsPerSecond = (records - lastRecords) / ((now - lastSampleNanos) / 1e9);
        lastRecords = records;
        lastSampleNanos = now;
    }

    /** The status document: phase, delivery, position, counters, lag, throughput, last error. */
    public Map<String, Object> status() {
        JobMetrics m = job.metrics();
        Checkpoint p = job.position();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("job", name);
        s.put("phase", job.phase());
        s.put("delivery", job.exactlyOnce() ? "exactly-once" : "at-least-once");
        if (p != null) {
            Map<String, Object> pos = new LinkedHashMap<>();
            pos.put("binlogFile", p.binlogFile());
            pos.put("binlogPosition", p.binlogPosition());
            pos.put("gtidSet", p.gtidSet());
            pos.put("nextId", p.nextId());
            s.put("checkpoint", pos);
        }
        s.put("lagMillis", m.lagMillis());
        s.put("recordsPerSecond", Math.round(recordsPerSecond * 10) / 10.0);
        s.put("records", m.records());
        s.put("bytes", m.bytes());
        s.put("sourceTransactions", m.transactions());
        s.put("commits", m.commits());
        s.put("restarts", m.restarts());
        s.put("schemaMismatches", m.schemaMismatches());
        s.put("statementDmlSkipped", m.statementDmlSkipped());
        s.put("truncates", m.truncates());
        if (p != null && !p.preparedXa().isEmpty()) s.put("preparedXaBranches", p.preparedXa().size());
        s.put("lastError", m.lastError());
        return s;
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
    }
}
