package io.sluice.bench;

import io.sluice.bench.Bench.Backlog;
import io.sluice.bench.Bench.Runner;
import io.sluice.bench.Bench.ToolRun;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The connect phase (issue 16): per repetition the same backlog as the throughput phase, caught up
 * by `sluice run` (the main job), by Sluice's connector and by Debezium's MySQL connector on the
 * benchmark's Connect worker (order rotates), each from its own checkpoint into its own
 * LogAppendTime topic. A connector "stopped" is Connect's STOPPED state (PUT .../stop: no task,
 * offsets kept) and it catches up after PUT .../resume; its CPU is the worker process's (one
 * connector runs at a time). Both connectors run exactly-once (KIP-618, the worker's transactional
 * producer): Sluice's with {@code transaction.boundary=connector}, Debezium's with
 * {@code transaction.boundary=poll}.
 */
final class ConnectPhase {

    static final String CLI = "sluice run", SLUICE_CONNECTOR = "Sluice connector", DEBEZIUM_CONNECTOR = "Debezium connector";
    static final List<String> TOOLS = List.of(CLI, SLUICE_CONNECTOR, DEBEZIUM_CONNECTOR);
    static final String SLUICE_NAME = "bench-connect-sluice", DEBEZIUM_NAME = "bench-connect-debezium";

    private final Bench b;
    private ConnectWorker worker;

    ConnectPhase(Bench b) { this.b = b; }

    void run() throws Exception {
        if (b.cfg.str("connectCp").isBlank() || b.cfg.str("connectPlugins").isBlank() || b.cfg.str("connectDir").isBlank()) {
            b.results.notes.add("connect: not run (bench.connectCp, bench.connectPlugins and bench.connectDir are set by bench/run.sh)");
            return;
        }
        String runId = b.sluiceTopic.replaceFirst("-sluice$", "");
        String sluiceTopic = runId + "-connect-sluice", debeziumTopic = runId + "-connect-debezium";
        b.topics.create(sluiceTopic);
        b.topics.create(debeziumTopic);
        List<String> extra = Arrays.stream(b.cfg.str("connectWorkerExtra").split(";")).filter(x -> !x.isBlank()).map(String::strip).toList();
        Map<String, Object> setup = b.results.connectSetup;
        setup.put("worker", "1 distributed worker (ConnectDistributed, connect-runtime 3.9.1), -Xmx" + b.cfg.str("toolHeap")
                + ", exactly.once.source.support=enabled, producer lz4 / linger.ms 5 / batch.size 256 KiB"
                + (extra.isEmpty() ? "" : ", " + String.join(", ", extra)));
        setup.put("debezium", "debezium-connector-mysql " + b.cfg.str("connectDebeziumVersion"));
        Bench.log("connect: starting the Connect worker on port %s", b.cfg.str("connectPort"));
        try {
            worker = ConnectWorker.start(b.cfg, Path.of(b.cfg.str("connectDir")), runId + "-connect", b.cfg.str("toolHeap"), extra);
        } catch (Exception e) {
            b.results.notes.add("connect: the Connect worker did not start: " + e.getMessage());
            Bench.log("connect: the worker did not start: %s", e.getMessage());
            return;
        }
        try {
            Map<String, String> topicOf = Map.of(CLI, b.sluiceTopic, SLUICE_CONNECTOR, sluiceTopic, DEBEZIUM_CONNECTOR, debeziumTopic);
            Map<String, Map<String, String>> configOf = Map.of(SLUICE_CONNECTOR, sluiceConfig(sluiceTopic),
                    DEBEZIUM_CONNECTOR, debeziumConfig(debeziumTopic, runId));
            Map<String, String> nameOf = Map.of(SLUICE_CONNECTOR, SLUICE_NAME, DEBEZIUM_CONNECTOR, DEBEZIUM_NAME);
            setup.put("sluice_connector_config", redacted(configOf.get(SLUICE_CONNECTOR)));
            setup.put("debezium_connector_config", redacted(configOf.get(DEBEZIUM_CONNECTOR)));

            Map<String, Runner> prime = new LinkedHashMap<>();
            prime.put(CLI, cli("connect-prime"));
            for (String t : List.of(SLUICE_CONNECTOR, DEBEZIUM_CONNECTOR)) {
                prime.put(t, connector(nameOf.get(t), topicOf.get(t), configOf.get(t)));
            }
            Set<String> broken = new LinkedHashSet<>(b.primeTogether("connect", prime));
            if (broken.contains(CLI)) b.sluiceBroken = true;

            for (int rep = 1; rep <= b.cfg.integer("compareReps"); rep++) {
                Backlog backlog = b.writeCompareWorkloads("connect rep " + rep);
                for (int k = 0; k < TOOLS.size(); k++) {
                    String t = TOOLS.get((k + rep - 1) % TOOLS.size());
                    if (broken.contains(t)) continue;
                    Runner r = t.equals(CLI) ? cli("connect-cli-rep" + rep) : connector(nameOf.get(t), topicOf.get(t), null);
                    ToolRun run = b.catchUp(new ToolRun(t, rep), r, backlog.segs(), backlog.expected(), false);
                    b.results.connectRuns.add(run);
                    if (!run.ok) {
                        broken.add(t);
                        if (t.equals(CLI)) b.sluiceBroken = true;
                    }
                }
            }
            Proc.Heap heap = Proc.Heap.parse(worker.gcLog);
            setup.put("worker_peak_heap_mb", heap.peakUsedMb());
            setup.put("worker_max_live_after_gc_mb", heap.maxAfterGcMb());
            setup.put("worker_peak_rss_mb", worker.proc.peakRssMb());
        } finally {
            worker.close();
        }
    }

    private Runner cli(String phase) {
        return new Runner() {
            public String topic() { return b.sluiceTopic; }
            public Proc start() throws Exception { return b.start(Bench.SLUICE, phase, b.cfg.str("toolHeap"), false); }
            public Path gcLog() { return b.gcLog(Bench.SLUICE, phase); }
        };
    }

    /** A connector on the worker: created ({@code config} given) or resumed; stopped to Connect's STOPPED state. */
    private Runner connector(String name, String topic, Map<String, String> config) {
        return new Runner() {
            public String topic() { return topic; }
            public Proc start() throws Exception {
                if (config != null) {
                    worker.create(name, config);
                    worker.awaitState(name, "RUNNING", true);
                } else {
                    worker.resume(name);
                }
                return worker.proc;
            }
            public int stop(Proc p) throws Exception {
                worker.stop(name);
                // a task that is shutting down may still write: the next backlog must not start before
                // its last records (else they would count as the next catch-up's)
                long last = -1, stableSince = System.currentTimeMillis(), deadline = stableSince + 60_000;
                while (System.currentTimeMillis() < deadline) {
                    long end = b.topics.end(topic);
                    if (end != last) { last = end; stableSince = System.currentTimeMillis(); }
                    else if (System.currentTimeMillis() - stableSince > 3000) break;
                    Thread.sleep(200);
                }
                return p.alive() ? 0 : -1;
            }
            public void cleanup(Proc p) { } // the worker outlives the run
            public Path gcLog() { return null; }
        };
    }

    /** Sluice's connector as docs/connect.md shows it, streaming from the binlog end like the CLI job. */
    Map<String, String> sluiceConfig(String topic) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.sluice.connect.SluiceSourceConnector");
        c.put("tasks.max", "1");
        c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        c.put("exactly.once.support", "required");
        c.put("transaction.boundary", "connector");
        c.put("source.name", "bench-mysql");
        c.put("source.host", "127.0.0.1");
        c.put("source.port", b.cfg.str("mysqlPort"));
        c.put("source.user", "sluice");
        c.put("source.password", "sluice");
        c.put("source.serverId", "6431");
        c.put("target.bootstrapServers", b.cfg.str("kafka"));
        c.put("target.topic", topic);
        c.put("objects.include", b.tables());
        c.put("initialization.fullData", "false");
        return c;
    }

    /**
     * Debezium's MySQL connector with the embedded run's settings (bench/debezium), exactly-once
     * (KIP-618, transaction.boundary=poll), its per-table topics routed into the one topic.
     */
    Map<String, String> debeziumConfig(String topic, String runId) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        c.put("tasks.max", "1");
        // Debezium's default JSON, schemas included (as the embedded run's Json format)
        c.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        // Debezium 3.0.8's connector does not implement exactlyOnceSupport(), so `required` would be
        // refused at validation; on an exactly-once worker its task
        // still writes each poll's records and offsets in one Kafka transaction (KIP-618)
        c.put("exactly.once.support", "requested");
        c.put("transaction.boundary", "poll");
        c.put("database.hostname", "127.0.0.1");
        c.put("database.port", b.cfg.str("mysqlPort"));
        c.put("database.user", "root");
        c.put("database.password", "");
        c.put("database.server.id", "6432");
        c.put("topic.prefix", runId + "-cdbz");
        c.put("database.include.list", Workloads.DB);
        c.put("table.include.list", b.tables().replace(" ", ""));
        c.put("snapshot.mode", "no_data");
        c.put("tombstones.on.delete", "false");
        c.put("schema.history.internal.kafka.bootstrap.servers", b.cfg.str("kafka"));
        c.put("schema.history.internal.kafka.topic", runId + "-cdbz-history");
        c.put("transforms", "route");
        c.put("transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter");
        c.put("transforms.route.regex", (runId + "-cdbz." + Workloads.DB + ".").replace(".", "\\.") + ".*");
        c.put("transforms.route.replacement", topic);
        for (String x : b.cfg.str("debeziumExtra").split(";")) {
            int eq = x.indexOf('=');
            if (eq > 0 && !x.strip().startsWith("converter.")) c.put(x.substring(0, eq).strip(), x.substring(eq + 1).strip());
        }
        return c;
    }

    static Map<String, String> redacted(Map<String, String> config) {
        Map<String, String> m = new LinkedHashMap<>(config);
        m.computeIfPresent("source.password", (k, v) -> "…");
        return m;
    }

    static List<String> tools(List<ToolRun> runs) {
        List<String> out = new ArrayList<>();
        for (String t : TOOLS) if (runs.stream().anyMatch(r -> r.tool.equals(t))) out.add(t);
        return out;
    }
}
