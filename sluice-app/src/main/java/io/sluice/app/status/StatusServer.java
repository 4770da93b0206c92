package io.sluice.app.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.engine.init.Initializer;
import io.sluice.engine.job.JobMetrics;
import io.sluice.engine.job.SyncJob;
import io.sluice.engine.state.Checkpoint;
import io.sluice.core.config.JobConfig;
import io.sluice.core.error.SluiceException;
import io.sluice.core.model.BinlogOffset;

import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A job's status over HTTP: {@code /status} (JSON), {@code /} (the web console, polling /status)
 * and {@code /metrics} (Prometheus text, via Micrometer, with JVM metrics). Served by the JDK's HTTP
 * server: no web framework for three read-only endpoints. With status.authToken set, every
 * endpoint wants {@code Authorization: Bearer <token>} or {@code ?token=<token>}.
 */
public final class StatusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Throughput history: one sample per {@link #SAMPLE_SECONDS} s, the last {@link #HISTORY_SAMPLES} of them (10 minutes). */
    static final int SAMPLE_SECONDS = 5;
    static final int HISTORY_SAMPLES = 120;
    private final HttpServer server;
    private final SyncJob job;
    private final String name;
    private final byte[] authToken;
    private final long startedMs = System.currentTimeMillis();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sluice-status-sampler");
        t.setDaemon(true);
        return t;
    });
    private final MultiGauge checkpointInfo;
    private final MultiGauge rowsScanned;
    private volatile double recordsPerSecond;
    private long lastRecords;
    private long lastSampleNanos = System.nanoTime();
    private long historyRecords;
    private long historyNanos = System.nanoTime();
    private final double[] history = new double[HISTORY_SAMPLES];
    private int historyNext;
    private int historySize;

    /** On 127.0.0.1 (tests). */
    public StatusServer(int port, String jobName, SyncJob job) throws IOException {
        this("127.0.0.1", port, jobName, job, null);
    }

    /** Serves on {@code bindAddress:port} (status.bindAddress, status.httpPort); a port in use stops the job with the fix. */
    public StatusServer(String bindAddress, int port, String jobName, SyncJob job) throws IOException {
        this(bindAddress, port, jobName, job, null);
    }

    /** @param authToken status.authToken: required on every request when not null/blank */
    public StatusServer(String bindAddress, int port, String jobName, SyncJob job, String authToken) throws IOException {
        server = bind(bindAddress, port);
        this.job = job;
        this.name = jobName;
        this.authToken = authToken == null || authToken.isBlank() ? null : authToken.getBytes(StandardCharsets.UTF_8);
        JobMetrics m = job.metrics();
        Tags tags = Tags.of("job", jobName);
        FunctionCounter.builder("sluice_records_written", m, JobMetrics::records).tags(tags)
                .description("records handed to Kafka").register(registry);
        FunctionCounter.builder("sluice_bytes_written", m, JobMetrics::bytes).tags(tags)
                .description("bytes of the records handed to Kafka (Avro values)").register(registry);
        FunctionCounter.builder("sluice_source_transactions", m, JobMetrics::transactions).tags(tags)
                .description("source transactions handled (Debezium: NumberOfCommittedTransactions)").register(registry);
        FunctionCounter.builder("sluice_events_seen", m, JobMetrics::eventsSeen).tags(tags)
                .description("binlog events handled: rows, commits, DDL (Debezium: TotalNumberOfEventsSeen)").register(registry);
        FunctionCounter.builder("sluice_commits", m, JobMetrics::commits).tags(tags)
                .description("Kafka commits (transactions, or flushes with at-least-once) of records and checkpoint").register(registry);
        FunctionCounter.builder("sluice_restarts", m, JobMetrics::restarts).tags(tags)
                .description("streaming sessions resumed after a transient failure").register(registry);
        FunctionCounter.builder("sluice_schema_mismatches", m, JobMetrics::schemaMismatches).tags(tags)
                .description("disagreements with the binlog's column metadata continued after (source.schemaMismatch: warn)")
                .register(registry);
        Gauge.builder("sluice_milliseconds_behind_source", m, JobMetrics::lagMillis).tags(tags)
                .description("now minus the source time of the last binlog event handled; 0 once read to the binlog end"
                        + " (Debezium: MilliSecondsBehindSource)").register(registry);
        FunctionCounter.builder("sluice_statement_dml_skipped", m, JobMetrics::statementDmlSkipped).tags(tags)
                .description("statement-logged changes (binlog_format STATEMENT/MIXED) of tables that are not selected, passed")
                .register(registry);
        FunctionCounter.builder("sluice_truncates", m, JobMetrics::truncates).tags(tags)
                .description("TRUNCATEs of selected tables passed with a warning (consumers keep the old rows)").register(registry);
        FunctionCounter.builder("sluice_renames_in", m, JobMetrics::renamesIn).tags(tags)
                .description("tables renamed into the selection whose existing rows were not written (not a schema change tool's cut-over)")
                .register(registry);
        FunctionCounter.builder("sluice_drops", m, JobMetrics::drops).tags(tags)
                .description("DROP TABLEs of selected tables passed with a warning (consumers keep the old rows)").register(registry);
        Gauge.builder("sluice_records_per_second", this, s -> s.recordsPerSecond).tags(tags)
                .description("records handed to Kafka per second, over the last second").register(registry);
        Gauge.builder("sluice_streaming", job, j -> "streaming".equals(j.phase()) ? 1 : 0).tags(tags)
                .description("1 while the job streams (initialization finished), else 0").register(registry);
        Gauge.builder("sluice_connected", m, x -> x.connected() ? 1 : 0).tags(tags)
                .description("1 while the binlog connection is up, else 0 (Debezium: Connected)").register(registry);
        Gauge.builder("sluice_binlog_position", job, j -> j.position() == null ? 0 : j.position().binlogPosition()).tags(tags)
                .description("binlog position of the last committed checkpoint (Debezium: BinlogPosition); its file in sluice_checkpoint_binlog")
                .register(registry);
        Gauge.builder("sluice_source_binlog_position", job, j -> j.sourceEnd() == null ? 0 : j.sourceEnd().position()).tags(tags)
                .description("the source's binlog end (SHOW MASTER STATUS, polled every 5 s); its file in sluice_source_binlog")
                .register(registry);
        Gauge.builder("sluice_queue_total_capacity", m, JobMetrics::queueCapacity).tags(tags)
                .description("capacity of the queue between binlog reader and Kafka writer (Debezium: QueueTotalCapacity)").register(registry);
        Gauge.builder("sluice_queue_remaining_capacity", m, JobMetrics::queueRemainingCapacity).tags(tags)
                .description("free room in that queue; 0 while the reader waits for Kafka (Debezium: QueueRemainingCapacity)")
                .register(registry);
        Gauge.builder("sluice_snapshot_running", job, j -> "initializing".equals(j.phase()) ? 1 : 0).tags(tags)
                .description("1 while the full-data initialization runs (Debezium: SnapshotRunning)").register(registry);
        Gauge.builder("sluice_snapshot_completed", job, j -> j.initializationCompleted() ? 1 : 0).tags(tags)
                .description("1 once this run's initialization has committed all its rows (Debezium: SnapshotCompleted)").register(registry);
        Gauge.builder("sluice_snapshot_remaining_tables", job, JobMBeans::remainingTables).tags(tags)
                .description("tables whose initialization is not finished (Debezium: RemainingTableCount)").register(registry);
        Gauge.builder("sluice_snapshot_total_tables", job, j -> j.initializationProgress().size()).tags(tags)
                .description("tables of this run's initialization (Debezium: TotalTableCount)").register(registry);
        checkpointInfo = MultiGauge.builder("sluice_checkpoint_binlog")
                .description("1, labelled with the last committed checkpoint's binlog_file and gtid_set (Debezium: BinlogFilename, GtidSet)")
                .register(registry);
        rowsScanned = MultiGauge.builder("sluice_snapshot_rows_scanned")
                .description("rows of a table written by the initialization (Debezium: RowsScanned)").register(registry);
        MultiGauge sourceInfo = MultiGauge.builder("sluice_source_binlog")
                .description("1, labelled with the source's binlog end (binlog_file, gtid_set), polled every 5 s").register(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        sampler.scheduleAtFixedRate(() -> sample(sourceInfo), 1, 1, TimeUnit.SECONDS);
        sample(sourceInfo);

        server.createContext("/status", guarded(ex -> send(ex, "application/json", JSON.writeValueAsBytes(status()))));
        server.createContext("/metrics", guarded(ex -> send(ex, "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8))));
        server.createContext("/", guarded(ex -> {
            if (!ex.getRequestURI().getPath().equals("/")) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            send(ex, "text/html; charset=utf-8", StatusPage.html(name).getBytes(StandardCharsets.UTF_8));
        }));
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

    /** With a token set: 401 unless the request carries it (header or query); constant-time comparison. */
    private HttpHandler guarded(HttpHandler handler) {
        return ex -> {
            if (authToken != null && !authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sluice\"");
                byte[] body = "401: this Sluice job wants its status.authToken (Authorization: Bearer <token>, or ?token=<token>)\n"
                        .getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                ex.sendResponseHeaders(401, body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
                return;
            }
            try {
                handler.handle(ex);
            } finally {
                ex.close();
            }
        };
    }

    private boolean authorized(HttpExchange ex) {
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && matches(header.substring(7).trim())) return true;
        String query = ex.getRequestURI().getRawQuery();
        if (query == null) return false;
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=") && matches(URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8))) return true;
        }
        return false;
    }

    private boolean matches(String token) {
        return MessageDigest.isEqual(authToken, token.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void sample(MultiGauge sourceInfo) {
        long now = System.nanoTime();
        long records = job.metrics().records();
        recordsPerSecond = (records - lastRecords) / Math.max(1e-3, (now - lastSampleNanos) / 1e9);
        lastRecords = records;
        lastSampleNanos = now;
        if (now - historyNanos >= SAMPLE_SECONDS * 1_000_000_000L - 100_000_000L) {
            history[historyNext] = (records - historyRecords) / ((now - historyNanos) / 1e9);
            historyNext = (historyNext + 1) % HISTORY_SAMPLES;
            historySize = Math.min(HISTORY_SAMPLES, historySize + 1);
            historyRecords = records;
            historyNanos = now;
        }
        Checkpoint p = job.position();
        checkpointInfo.register(p == null ? List.of() : List.of(MultiGauge.Row.of(Tags.of("job", name, "binlog_file", p.binlogFile(),
                "gtid_set", p.gtidSet() == null ? "" : p.gtidSet()), 1)), true);
        BinlogOffset end = job.sourceEnd();
        sourceInfo.register(end == null ? List.of() : List.of(MultiGauge.Row.of(Tags.of("job", name, "binlog_file", end.file(),
                "gtid_set", end.gtidSet() == null ? "" : end.gtidSet()), 1)), true);
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        JobMBeans.rowsScanned(job).forEach((table, n) -> rows.add(MultiGauge.Row.of(Tags.of("job", name, "table", table), n)));
        rowsScanned.register(rows, true);
    }

    /** Records/s of the last {@link #HISTORY_SAMPLES} {@link #SAMPLE_SECONDS}-second intervals, oldest first. */
    private synchronized List<Double> history() {
        List<Double> out = new ArrayList<>(historySize);
        for (int i = 0; i < historySize; i++) {
            out.add(Math.round(history[(historyNext - historySize + i + HISTORY_SAMPLES) % HISTORY_SAMPLES] * 10) / 10.0);
        }
        return out;
    }

    /**
     * The status document: what the job syncs (source, target), version, uptime, phase, delivery,
     * initialization progress, checkpoint and the source's binlog end, lag, throughput (now and its
     * history), counters and the recent errors.
     */
    public Map<String, Object> status() {
        JobMetrics m = job.metrics();
        Checkpoint p = job.position();
        JobConfig config = job.config();
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("job", name);
        s.put("phase", job.phase());
        s.put("delivery", job.exactlyOnce() ? "exactly-once" : "at-least-once");
        s.put("version", version());
        s.put("uptimeSeconds", (System.currentTimeMillis() - startedMs) / 1000);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("name", config.source.name);
        source.put("address", config.source.host + ":" + config.source.port);
        source.put("connected", m.connected());
        s.put("source", source);
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("bootstrapServers", config.target.bootstrapServers);
        target.put("topic", config.target.topic);
        if (!config.target.topics.isEmpty()) target.put("topics", config.target.topics); // table pattern -> topic, first match wins
        if (config.target.ddl.enabled) target.put("ddlTopic", config.target.ddl.topicOr(config.target.topic));
        s.put("target", target);
        if (p != null) {
            Map<String, Object> pos = new LinkedHashMap<>();
            pos.put("binlogFile", p.binlogFile());
            pos.put("binlogPosition", p.binlogPosition());
            pos.put("gtidSet", p.gtidSet());
            pos.put("nextId", p.nextId());
            s.put("checkpoint", pos);
        }
        BinlogOffset end = job.sourceEnd();
        if (end != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("binlogFile", end.file());
            e.put("binlogPosition", end.position());
            e.put("gtidSet", end.gtidSet());
            s.put("sourceEnd", e);
        }
        s.put("lagMillis", m.lagMillis());
        s.put("recordsPerSecond", Math.round(recordsPerSecond * 10) / 10.0);
        s.put("records", m.records());
        s.put("bytes", m.bytes());
        s.put("sourceTransactions", m.transactions());
        s.put("eventsSeen", m.eventsSeen());
        s.put("commits", m.commits());
        s.put("restarts", m.restarts());
        s.put("schemaMismatches", m.schemaMismatches());
        s.put("statementDmlSkipped", m.statementDmlSkipped());
        s.put("truncates", m.truncates());
        s.put("renamesIn", m.renamesIn());
        s.put("drops", m.drops());
        if (p != null && !p.preparedXa().isEmpty()) s.put("preparedXaBranches", p.preparedXa().size());
        s.put("lastError", m.lastError());
        JobMetrics.KafkaUnanswered k = m.kafkaUnanswered();
        if (k != null) { // only while it lasts: a Kafka call unanswered for 10 s or more
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("since", k.since().toString());
            u.put("seconds", java.time.Duration.between(k.since(), Instant.now()).toSeconds());
            u.put("while", k.doing());
            s.put("kafkaUnanswered", u);
        }
        List<Initializer.TableProgress> init = job.initializationProgress();
        if (!init.isEmpty()) {
            Map<String, Object> i = new LinkedHashMap<>();
            i.put("running", "initializing".equals(job.phase()));
            i.put("completed", job.initializationCompleted());
            i.put("remainingTables", JobMBeans.remainingTables(job));
            List<Map<String, Object>> tables = new ArrayList<>();
            for (Initializer.TableProgress t : init) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("table", t.table());
                row.put("rows", t.rows());
                row.put("estimatedRows", t.estimatedRows());
                row.put("rowsPerSecond", t.rowsPerSecond());
                row.put("etaSeconds", t.etaSeconds());
                tables.add(row);
            }
            i.put("tables", tables);
            s.put("initialization", i);
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        for (JobMetrics.RecentError e : m.recentErrors()) errors.add(Map.of("at", e.at().toString(), "message", e.message()));
        s.put("recentErrors", errors);
        Map<String, Object> throughput = new LinkedHashMap<>();
        throughput.put("intervalSeconds", SAMPLE_SECONDS);
        throughput.put("recordsPerSecond", history());
        s.put("throughput", throughput);
        s.put("time", Instant.now().toString());
        return s;
    }

    /** The jar's Maven version, and the git commit when bin/sluice passes it. */
    static String version() {
        String v = StatusServer.class.getPackage().getImplementationVersion();
        String commit = System.getProperty("sluice.commit", "");
        return (v == null ? "dev" : v) + (commit.isBlank() ? "" : " (" + commit + ")");
    }

    private static void send(HttpExchange ex, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
        gcMetrics.close();
    }
}
