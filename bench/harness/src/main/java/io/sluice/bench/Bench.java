package io.sluice.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One benchmark run (bench/run.sh starts it with the servers up and everything built), in phases:
 * <ol>
 *   <li>throughput, per repetition: generate the workloads into the binlog while both tools are
 *       stopped, then let each tool catch up from its checkpoint (Sluice, Debezium; order
 *       alternates), read the binlog with the bare client (source limit) and produce Sluice's
 *       own records again with a bare producer (Kafka limit);</li>
 *   <li>profile: one more mixed backlog caught up by Sluice under JFR;</li>
 *   <li>latency: end-to-end latency at a fixed offered load (Sluice);</li>
 *   <li>heap: retained heap before/after streaming many single-row transactions;</li>
 *   <li>big: a 1M-row transaction with Sluice's heap capped (JFR recorded too);</li>
 *   <li>jdbc, init: the streaming JDBC read of the 1M-row table and, in the same repetition, its
 *       full-data initialization by a fresh Sluice job (order alternates), then one more
 *       initialization under JFR;</li>
 * </ol>
 * then writes the report (performance.md / .json / .png) and keeps the results in
 * work/results-&lt;hash of the report directory&gt;.bin so that the report can be written again ({@code bench.reportOnly}).
 */
public final class Bench {

    static final String SLUICE = "sluice", DEBEZIUM = "debezium";
    static final List<String> WORKLOADS = List.of("batch", "single", "mixed");
    static final Map<String, String> TABLE_OF = Map.of("warmup", "t_warm", "batch", "t_batch", "single", "t_single",
            "mixed", "t_mixed");

    final Config cfg = new Config();
    final Path work = Path.of(cfg.str("work"));
    final Results results = new Results();
    Workloads db;
    Topics topics;
    /** CPU of mysqld and the broker over the whole run. */
    ServerCpu servers;
    long runStartMs;
    String sluiceTopic, debeziumTopic, limitTopic;
    Path sluiceJob, debeziumProps;
    boolean sluiceBroken, debeziumBroken;

    public static void main(String[] args) throws Exception {
        new Bench().run();
    }

    void run() throws Exception {
        // one results file per report directory: a --quick, --out or phase-subset run elsewhere leaves the
        // full run's results for --report-only of docs/
        String outDir = Path.of(cfg.str("out")).toAbsolutePath().normalize().toString();
        Path saved = work.resolve("results-" + Integer.toHexString(outDir.hashCode()) + ".bin");
        if (Boolean.parseBoolean(cfg.str("reportOnly"))) {
            if (!Files.exists(saved)) {
                System.err.println("no results of a run into " + outDir + " (" + saved + "): run the benchmark into it first");
                System.exit(2);
            }
            try (var in = new java.io.ObjectInputStream(Files.newInputStream(saved))) {
                Report.write((Results) in.readObject(), cfg, work);
            }
            return;
        }
        long t0 = System.currentTimeMillis();
        Files.createDirectories(work);
        results.start(cfg);
        runStartMs = t0;
        db = new Workloads(cfg.integer("mysqlPort"));
        topics = new Topics(cfg.str("kafka"));
        servers = new ServerCpu(cfg.str("serversDir"));
        log("sampling the CPU of %s", servers.pids().isEmpty() ? "no server (bench.serversDir not set or not found)" : servers.pids());
        try {
            phase("setup", this::setup);
            List<String> phases = List.of(cfg.str("phases").split(","));
            if (phases.contains("throughput")) {
                for (int rep = 1; rep <= cfg.integer("reps"); rep++) {
                    int k = rep;
                    phase("throughput rep " + rep, () -> repetition(k));
                }
            }
            // after throughput (Debezium embedded never runs again) and before the phases that expect
            // Sluice's main job to have caught up: formats and connect leave it caught up
            if (phases.contains("formats")) phase("formats", () -> new FormatsPhase(this).run());
            if (phases.contains("connect")) phase("connect", () -> new ConnectPhase(this).run());
            if (phases.contains("partitions")) phase("partitions", this::partitions);
            if (phases.contains("profile")) phase("profile", this::profile);
            if (phases.contains("latency")) phase("latency", this::latency);
            if (phases.contains("heap")) phase("heap", this::heapStability);
            if (phases.contains("big")) phase("big", this::bigTransaction);
            if (phases.contains("jdbc") || phases.contains("init")) {
                phase("jdbc/init", () -> jdbcAndInit(phases.contains("jdbc"), phases.contains("init")));
            }
        } finally {
            servers.close();
            results.elapsedSeconds = (System.currentTimeMillis() - t0) / 1000;
            try (var out = new java.io.ObjectOutputStream(Files.newOutputStream(saved))) {
                out.writeObject(results);
            }
            Report.write(results, cfg, work);
            topics.close();
            db.close();
        }
        log("done in %d s", results.elapsedSeconds);
    }

    interface Step { void run() throws Exception; }

    /** Runs one phase with a progress line: its own time and the time since the harness started. */
    void phase(String name, Step step) throws Exception {
        long t = System.currentTimeMillis();
        log("== %s: start (elapsed %d s)", name, (t - runStartMs) / 1000);
        try {
            step.run();
        } finally {
            long now = System.currentTimeMillis();
            results.phaseSeconds.put(name, (now - t) / 1000);
            log("== %s: done in %d s (elapsed %d s)", name, (now - t) / 1000, (now - runStartMs) / 1000);
        }
    }

    // ------------------------------------------------------------------------------------------

    void setup() throws Exception {
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        topics.deleteWithPrefix("bench-");
        sluiceTopic = "bench-" + runId + "-sluice";
        debeziumTopic = "bench-" + runId + "-debezium";
        limitTopic = "bench-" + runId + "-kafka-limit";
        for (String t : List.of(sluiceTopic, debeziumTopic, limitTopic)) topics.create(t);

        log("creating schema %s (t_mixed starts with %d rows)", Workloads.DB, cfg.integer("mixedInitial"));
        db.purgeBinlogs();
        db.create(cfg.integer("mixedInitial"));

        deleteTree(work.resolve("sluice-state"));
        deleteTree(work.resolve("debezium-state"));
        Files.createDirectories(work.resolve("debezium-state"));
        Files.createDirectories(work.resolve("logs"));
        sluiceJob = work.resolve("job.yaml");
        Files.writeString(sluiceJob, sluiceYaml());
        debeziumProps = work.resolve("debezium.properties");
        Files.writeString(debeziumProps, debeziumProperties());

        // Both tools start once with no checkpoint (at the binlog end), see a probe row, and stop:
        // from then on every start resumes from its own checkpoint, both at the same position.
        prime();
        warmBroker(runId);
    }

    /**
     * The broker is started fresh for each run, and its JVM compiles the produce and transaction
     * paths under the first load it sees: in six of the seven full runs before this warm-up, the
     * broker spent twice the CPU per event during the first repetition's first catch-up (Sluice's)
     * as during the second's (0.027-0.053 vs 0.012-0.027 CPU s per 10k events), CPU taken from the
     * tool on two cores. The transactional producer of the pipeline limit sends synthetic records
     * of Sluice's size to a scratch topic first, so that no tool's figure pays for the warm-up.
     */
    void warmBroker(String runId) throws Exception {
        long n = cfg.integer("brokerWarmupRecords");
        if (n <= 0) return;
        String topic = "bench-" + runId + "-broker-warmup";
        topics.create(topic);
        Random random = new Random(42);
        byte[][][] records = new byte[1024][][];
        for (int i = 0; i < records.length; i++) {
            byte[] key = new byte[8], value = new byte[560 + random.nextInt(200)];
            random.nextBytes(key);
            for (int j = 0; j < value.length; j++) {  // half random bytes, half text: about as compressible as the records
                value[j] = j % 2 == 0 ? (byte) random.nextInt(256) : (byte) ('a' + random.nextInt(8));
            }
            records[i] = new byte[][] {key, value};
        }
        Pipeline.Times t = new Pipeline(cfg.str("kafka"), cfg.integer("commitIntervalMs"), servers).producing(records, n, topic);
        Double broker = t.cpu().server("kafka");
        log("broker warm-up: %,d records to %s at %,.0f records/s; broker CPU s per 10k records %s", n, topic, t.sinkEps(),
                broker == null ? "?" : String.format("%.4f", broker));
        topics.deleteWithPrefix(topic);
    }

    void prime() throws Exception {
        long e0s = topics.end(sluiceTopic), e0d = topics.end(debeziumTopic);
        Proc s = start(SLUICE, "prime", cfg.str("toolHeap"), false);
        Proc d = start(DEBEZIUM, "prime", cfg.str("toolHeap"), false);
        try {
            String nonce = "probe-" + UUID.randomUUID();
            boolean seenS = false, seenD = false;
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline && !(seenS && seenD) && s.alive() && d.alive()) {
                db.probe(nonce);
                if (!seenS) seenS = topics.await(sluiceTopic, e0s, nonce, 2000);
                if (!seenD) seenD = topics.await(debeziumTopic, e0d, nonce, 2000);
            }
            Thread.sleep(3000); // probes inserted meanwhile get delivered too before the stop
            int rcS = s.stop(60), rcD = d.stop(60);
            sluiceBroken = !seenS || rcS != 0;
            debeziumBroken = !seenD || rcD != 0;
            log("primed: sluice %s (exit %d), debezium %s (exit %d)", seenS ? "streaming" : "NOT STREAMING", rcS,
                    seenD ? "streaming" : "NOT STREAMING", rcD);
            if (sluiceBroken) results.notes.add("Sluice did not start streaming: " + tail(s.logText()));
            if (debeziumBroken) results.notes.add("Debezium did not start streaming: " + tail(d.logText()));
        } finally {
            s.close();
            d.close();
        }
    }

    // ------------------------------------------------------------------------------------------

    /**
     * Starts every runner at once, inserts probe rows until each one's topic shows one, lets the
     * last probes arrive and stops them all: from then on each resumes from its own checkpoint, all
     * at the same binlog position. Returns the names of those that did not stream (with a note).
     */
    List<String> primeTogether(String label, Map<String, Runner> runners) throws Exception {
        Map<String, Proc> procs = new LinkedHashMap<>();
        Map<String, Long> e0 = new LinkedHashMap<>();
        List<String> broken = new ArrayList<>();
        try {
            for (var e : runners.entrySet()) {
                e0.put(e.getKey(), topics.end(e.getValue().topic()));
                try {
                    procs.put(e.getKey(), e.getValue().start());
                } catch (Exception x) {
                    broken.add(e.getKey());
                    results.notes.add(label + ": " + e.getKey() + " did not start: " + x.getMessage());
                }
            }
            String nonce = "probe-" + UUID.randomUUID();
            Map<String, Boolean> seen = new LinkedHashMap<>();
            procs.keySet().forEach(k -> seen.put(k, false));
            long deadline = System.currentTimeMillis() + 180_000;
            while (System.currentTimeMillis() < deadline && seen.containsValue(false)) {
                db.probe(nonce);
                for (String k : procs.keySet()) {
                    if (!seen.get(k) && procs.get(k).alive()) seen.put(k, topics.await(runners.get(k).topic(), e0.get(k), nonce, 2000));
                }
                if (procs.keySet().stream().noneMatch(k -> !seen.get(k) && procs.get(k).alive())) break;
            }
            Thread.sleep(3000); // probes inserted meanwhile get delivered too before the stop
            for (String k : procs.keySet()) {
                int rc;
                try {
                    rc = runners.get(k).stop(procs.get(k));
                } catch (Exception x) {
                    rc = -1;
                }
                log("%s: primed %s: %s (stop: %d)", label, k, seen.get(k) ? "streaming" : "NOT STREAMING", rc);
                if (!seen.get(k) || rc != 0) {
                    broken.add(k);
                    results.notes.add(label + ": " + k + " did not start streaming: " + tail(procs.get(k).logText()));
                }
            }
        } finally {
            for (var e : procs.entrySet()) runners.get(e.getKey()).cleanup(e.getValue());
        }
        return broken;
    }

    /** The workloads of one repetition, written into the binlog while no tool runs. */
    record Backlog(List<Seg> segs, long expected, String[] from, Map<String, Object> writeRates, Map<String, String[]> segFrom) {}

    /** The sustained sizes of the throughput phase. */
    Backlog writeWorkloads(String label) throws Exception {
        return writeWorkloads(label, cfg.integer("warmupEvents"), cfg.integer("batchRows"), cfg.integer("singleRows"),
                cfg.integer("mixedEvents"));
    }

    /** The (smaller) sizes of the comparisons (formats, connect): bench.compareSizes = warm-up,batch,single,mixed. */
    Backlog writeCompareWorkloads(String label) throws Exception {
        int[] n = Arrays.stream(cfg.str("compareSizes").split(",")).mapToInt(x -> Integer.parseInt(x.strip())).toArray();
        return writeWorkloads(label, n[0], n[1], n[2], n[3]);
    }

    /** Writes the warm-up and the three workloads (a, b, c) in order, as every catch-up phase reads them. */
    Backlog writeWorkloads(String label, int warm, int batch, int single, int mixed) throws Exception {
        Map<String, String[]> segFrom = new LinkedHashMap<>();
        List<Seg> segs = List.of(new Seg("warmup", warm), new Seg("batch", batch), new Seg("single", single),
                new Seg("mixed", mixed));
        long expected = warm + batch + single + mixed;
        Map<String, Object> gen = new LinkedHashMap<>();
        String[] p0 = db.binlogEnd();
        db.mixed("t_warm", warm);
        long t = System.nanoTime();
        segFrom.put("batch", db.binlogEnd());
        db.batchInserts(batch, cfg.integer("batchPerStatement"));
        gen.put("batch_rows_s", batch / secondsSince(t));
        t = System.nanoTime();
        segFrom.put("single", db.binlogEnd());
        db.singleInserts(single);
        gen.put("single_rows_s", single / secondsSince(t));
        t = System.nanoTime();
        segFrom.put("mixed", db.binlogEnd());
        db.mixed("t_mixed", mixed);
        gen.put("mixed_events_s", mixed / secondsSince(t));
        String[] p1 = db.binlogEnd();
        log("%s: workloads written (%d events, binlog %s:%s..%s:%s; source write rates %s)", label, expected,
                p0[0], p0[1], p1[0], p1[1], gen);
        return new Backlog(segs, expected, p0, gen, segFrom);
    }

    void repetition(int rep) throws Exception {
        Backlog backlog = writeWorkloads("rep " + rep);
        List<Seg> segs = backlog.segs();
        long expected = backlog.expected();
        results.generation.add(backlog.writeRates());

        // Debezium embedded (~25k events/s) in the first debeziumReps repetitions (default: both; ~2 min each)
        boolean debezium = rep <= cfg.integer("debeziumReps");
        List<String> order = rep % 2 == 1 ? List.of(SLUICE, DEBEZIUM) : List.of(DEBEZIUM, SLUICE);
        ToolRun sluice = null;
        for (String tool : order) {
            if (tool.equals(SLUICE) ? sluiceBroken : debeziumBroken || !debezium) continue;
            ToolRun r = catchUp(tool, rep, segs, expected, false, false);
            results.runs.add(r);
            if (!r.ok) {
                if (tool.equals(SLUICE)) sluiceBroken = true; else debeziumBroken = true;
            }
            if (tool.equals(SLUICE) && r.ok) sluice = r;
        }
        if (sluice != null) limits(rep, backlog, sluice);
    }

    /**
     * Per workload: the records Sluice wrote are read back from its topic once, then (1) the binlog
     * client reads the workload's binlog range alone, (2) one producer sends those records alone,
     * (3) both at once: the pipeline limit.
     */
    void limits(int rep, Backlog backlog, ToolRun sluice) throws Exception {
        Pipeline pipe = new Pipeline(cfg.str("kafka"), cfg.integer("commitIntervalMs"), servers);
        long offset = sluice.firstOffset;
        for (Seg s : backlog.segs()) {
            long from = offset;
            offset += s.n;
            if (s.name.equals("warmup")) continue;
            byte[][][] records = new byte[(int) s.n][][];
            int[] i = {0};
            long n = topics.read(sluiceTopic, from, s.n, 30_000, rec -> records[i[0]++] = new byte[][] {rec.key(), rec.value()});
            if (n < s.n) {
                results.notes.add("rep " + rep + ": " + s.name + ": only " + n + " of " + s.n + " records read back for the limits");
                continue;
            }
            String table = TABLE_OF.get(s.name);
            String[] at = backlog.segFrom().get(s.name);
            try {
                Pipeline.Times b = pipe.streaming(cfg.integer("mysqlPort"), at, table, s.n, null, null, true);
                Pipeline.Times k = pipe.streaming(cfg.integer("mysqlPort"), at, table, s.n, records, limitTopic, false);
                Pipeline.Times both = pipe.streaming(cfg.integer("mysqlPort"), at, table, s.n, records, limitTopic, true);
                // the floor of reading the binlog: rows events as bytes only (one row each: single-row statements only)
                Pipeline.Times bare = s.name.equals("batch") ? null
                        : pipe.streaming(cfg.integer("mysqlPort"), at, table, s.n, null, null, true, true);
                results.limit("binlog", rep).put(s.name, b.sourceEps(), b.cpu());
                results.limit("kafka", rep).put(s.name, k.sinkEps(), k.cpu());
                results.limit("pipeline", rep).put(s.name, both.eps(), both.cpu());
                results.limit("pipeline-binlog", rep).eps.put(s.name, both.sourceEps());
                results.limit("pipeline-kafka", rep).eps.put(s.name, both.sinkEps());
                if (bare != null) results.limit("binlog-bare", rep).put(s.name, bare.sourceEps(), bare.cpu());
                log("rep %d: %s limits: binlog alone %,.0f/s, kafka alone %,.0f/s, together (pipeline) %,.0f/s (binlog %,.0f/s, kafka %,.0f/s)%s",
                        rep, s.name, b.sourceEps(), k.sinkEps(), both.eps(), both.sourceEps(), both.sinkEps(),
                        bare == null ? "" : String.format("; binlog rows skipped %,.0f/s", bare.sourceEps()));
                log("rep %d: %s limits, harness CPU s per 10k events: binlog alone %.4f, rows skipped %s, kafka alone %.4f, together %.4f",
                        rep, s.name, b.cpu().process(), bare == null ? "–" : String.format("%.4f", bare.cpu().process()),
                        k.cpu().process(), both.cpu().process());
            } catch (Exception e) {
                results.notes.add("rep " + rep + ": " + s.name + " limits failed: " + e);
                log("rep %d: %s limits failed: %s", rep, s.name, e);
            }
        }
    }

    ToolRun catchUp(String tool, int rep, List<Seg> segs, long expected, boolean keepValues, boolean profile) throws Exception {
        String phase = rep > 0 ? "rep" + rep : "profile";
        boolean jfr = profile || Boolean.parseBoolean(cfg.str("jfrReps"));
        return catchUp(new ToolRun(tool, rep), new Runner() {
            public String topic() { return topicOf(tool); }
            public Proc start() throws Exception { return Bench.this.start(tool, phase, cfg.str("toolHeap"), jfr); }
            public Path gcLog() { return Bench.this.gcLog(tool, phase); }
        }, segs, expected, keepValues);
    }

    /**
     * What a catch-up runs: a tool that reads from its own checkpoint when started and writes
     * every change to {@link #topic()}; its process is the one whose CPU is measured.
     */
    interface Runner {
        String topic();
        /** Starts the tool (from its checkpoint); the process that does its work. */
        Proc start() throws Exception;
        /** Stops the tool; the exit code (0: a clean stop). */
        default int stop(Proc p) throws Exception { return p.stop(60); }
        /** After the run, also when it failed: ends what {@link #start()} started. */
        default void cleanup(Proc p) throws Exception {
            if (p.alive()) p.stop(60);
            p.close();
        }
        /** The process's GC log for this run (null: the process outlives the run, no heap figures). */
        Path gcLog();
    }

    /** The tool catches up {@code expected} records (the segments in order): events/s, CPU, bytes per record. */
    ToolRun catchUp(ToolRun r, Runner runner, List<Seg> segs, long expected, boolean keepValues) throws Exception {
        String tool = r.tool;
        int rep = r.rep;
        String topic = runner.topic();
        long e0 = topics.end(topic);
        Proc p = runner.start();
        try {
            long deadline = System.currentTimeMillis() + cfg.integer("toolTimeoutSeconds") * 1000L;
            while (topics.end(topic) - e0 < expected) {
                if (!p.alive()) return r.fail("exited before writing all records: " + tail(p.logText()));
                if (System.currentTimeMillis() > deadline) {
                    return r.fail("timed out after " + cfg.integer("toolTimeoutSeconds") + " s at "
                            + (topics.end(topic) - e0) + " of " + expected + " records");
                }
                Thread.sleep(200);
            }
            long[] ts = new long[(int) expected];
            byte[][] values = keepValues ? new byte[(int) expected][] : null;
            long[] bytes = {0};
            long[] last = {e0};
            int[] i = {0};
            long n = topics.read(topic, e0, expected, 30_000, rec -> {
                ts[i[0]] = rec.timestamp();
                if (values != null) values[i[0]] = rec.value();
                bytes[0] += rec.serializedKeySize() > 0 ? rec.serializedKeySize() : 0;
                bytes[0] += rec.serializedValueSize() > 0 ? rec.serializedValueSize() : 0;
                last[0] = rec.offset();
                i[0]++;
            });
            if (n < expected) return r.fail("only " + n + " of " + expected + " records readable");
            r.exitCode = runner.stop(p);
            r.extra = topics.read(topic, last[0] + 1, Long.MAX_VALUE, 1500, rec -> { });
            r.records = n;
            r.bytesPerRecord = bytes[0] / (double) n;
            Timing timing = Timing.of(ts, segs);
            r.eps.putAll(timing.eps);
            r.steadyEps.putAll(timing.steady);
            r.firstOffset = e0;
            Timing.Span m = timing.spans.get("mixed");
            r.cpuPer10kMixed = (p.cpuAt(m.endMs) - p.cpuAt(m.startMs)) / m.n * 10_000 / 1000.0;
            r.processCpuPer10kMixed.put(tool, r.cpuPer10kMixed);
            servers.used(m.startMs, m.endMs).forEach((k, v) -> r.processCpuPer10kMixed.put(k, v / m.n * 10_000 / 1000.0));
            r.threadsMixed = p.threadShares(m.startMs, m.endMs);
            r.mixedStartMs = m.startMs;
            r.mixedEndMs = m.endMs;
            Timing.Span all = timing.spans.get("all");
            r.cpuPer10kAll = (p.cpuAt(all.endMs) - p.cpuAt(all.startMs)) / all.n * 10_000 / 1000.0;
            r.heap = runner.gcLog() == null ? null : Proc.Heap.parse(runner.gcLog());
            r.peakRssMb = p.peakRssMb();
            r.values = values;
            r.load = Machine.loadAverage();
            r.ok = true;
            log("rep %d: %-8s %s  steady %s  cpu s/10k (mixed) %s  %s%.0f B/record%s, load %.1f", rep, tool,
                    fmt(r.eps), fmt(r.steadyEps), fmtCpu(r.processCpuPer10kMixed),
                    r.heap == null ? "" : String.format("heap peak %d MB, live max %d MB, ", r.heap.peakUsedMb(), r.heap.maxAfterGcMb()),
                    r.bytesPerRecord, r.extra > 0 ? ", " + r.extra + " extra records" : "", r.load);
            return r;
        } finally {
            runner.cleanup(p);
        }
    }

    // ------------------------------------------------------------------------------------------

    /**
     * partitionBy primaryKey over N partitions beside 1 partition: a warm-up + mixed backlog, caught
     * up in turn by two streaming jobs that differ only in their topic (the main job's, 1 partition;
     * N partitions) and {@code target.partitionBy}; both primed together at the same binlog position.
     */
    void partitions() throws Exception {
        if (sluiceBroken) return;
        int parts = cfg.integer("partitionCount"), mixed = cfg.integer("partitionEvents");
        int warm = Integer.parseInt(cfg.str("compareSizes").split(",")[0].strip());
        Map<String, String> topicOf = new LinkedHashMap<>();
        Map<String, Path> jobOf = new LinkedHashMap<>();
        // 1 partition: the main job (left caught up, as the phases after this one expect)
        topicOf.put("p1", sluiceTopic);
        jobOf.put("p1", sluiceJob);
        for (int n : List.of(parts)) {
            String name = "p" + n;
            String topic = sluiceTopic.replaceFirst("-sluice$", "-" + name);
            topics.create(topic, n);
            Path state = work.resolve("partitions-" + name + "-state");
            deleteTree(state);
            Path job = work.resolve("partitions-" + name + ".yaml");
            Files.writeString(job, streamingYaml("bench-" + name, topic, state, 6440 + n,
                    "  partitionBy: primaryKey\n"));
            topicOf.put(name, topic);
            jobOf.put(name, job);
        }
        // prime both (probe rows: any partition)
        Map<String, Proc> procs = new LinkedHashMap<>();
        try {
            Map<String, Map<TopicPartition, Long>> e0 = new LinkedHashMap<>();
            for (String k : topicOf.keySet()) {
                e0.put(k, topics.ends(topicOf.get(k)));
                procs.put(k, start(SLUICE, "partitions-" + k + "-prime", cfg.str("toolHeap"), false, jobOf.get(k)));
            }
            String nonce = "probe-" + UUID.randomUUID();
            for (String k : topicOf.keySet()) {
                boolean seen = false;
                for (int i = 0; i < 60 && !seen && procs.get(k).alive(); i++) {
                    db.probe(nonce);
                    seen = topics.awaitAll(topicOf.get(k), e0.get(k), nonce, 3000);
                }
                if (!seen) {
                    results.notes.add("partitions: " + k + " did not start streaming: " + tail(procs.get(k).logText()));
                    return;
                }
            }
            Thread.sleep(3000);
        } finally {
            for (Proc p : procs.values()) {
                if (p.alive()) p.stop(60);
                p.close();
            }
        }
        db.mixed("t_warm", warm);
        db.mixed("t_mixed", mixed);
        List<Seg> segs = List.of(new Seg("warmup", warm), new Seg("mixed", mixed));
        for (String k : topicOf.keySet()) {
            ToolRun r = new ToolRun(k, 1);
            r.partitions = k.equals("p1") ? 1 : parts;
            results.partitionRuns.add(partitionedCatchUp(r, topicOf.get(k), jobOf.get(k), segs, warm + mixed));
        }
    }

    /** {@link #catchUp} for a topic of any number of partitions: records' append times of all partitions, in time order. */
    ToolRun partitionedCatchUp(ToolRun r, String topic, Path job, List<Seg> segs, long expected) throws Exception {
        Map<TopicPartition, Long> e0 = topics.ends(topic);
        long s0 = e0.values().stream().mapToLong(Long::longValue).sum();
        String phase = "partitions-" + r.tool;
        Proc p = start(SLUICE, phase, cfg.str("toolHeap"), false, job);
        try {
            long deadline = System.currentTimeMillis() + cfg.integer("toolTimeoutSeconds") * 1000L;
            while (topics.endSum(topic) - s0 < expected) {
                if (!p.alive()) return r.fail("exited before writing all records: " + tail(p.logText()));
                if (System.currentTimeMillis() > deadline) return r.fail("timed out");
                Thread.sleep(200);
            }
            long[] ts = new long[(int) expected];
            int[] i = {0};
            long n = topics.readAll(topic, e0, expected, 30_000, rec -> ts[i[0]++] = rec.timestamp());
            if (n < expected) return r.fail("only " + n + " of " + expected + " records readable");
            r.exitCode = p.stop(60);
            Arrays.sort(ts);
            Timing timing = Timing.of(ts, segs);
            r.eps.putAll(timing.eps);
            r.steadyEps.putAll(timing.steady);
            Timing.Span m = timing.spans.get("mixed");
            r.cpuPer10kMixed = (p.cpuAt(m.endMs) - p.cpuAt(m.startMs)) / m.n * 10_000 / 1000.0;
            r.processCpuPer10kMixed.put(SLUICE, r.cpuPer10kMixed);
            servers.used(m.startMs, m.endMs).forEach((k, v) -> r.processCpuPer10kMixed.put(k, v / m.n * 10_000 / 1000.0));
            r.threadsMixed = p.threadShares(m.startMs, m.endMs);
            r.records = n;
            r.load = Machine.loadAverage();
            r.ok = true;
            log("partitions: %d partition(s): %s  steady %s  cpu s/10k %s, load %.1f", r.partitions, fmt(r.eps), fmt(r.steadyEps),
                    fmtCpu(r.processCpuPer10kMixed), r.load);
            return r;
        } finally {
            if (p.alive()) p.stop(60);
            p.close();
        }
    }

    /** One more warm-up + mixed backlog, caught up by Sluice under JFR (not counted in the figures). */
    void profile() throws Exception {
        if (sluiceBroken) return;
        int warm = cfg.integer("warmupEvents"), mixed = cfg.integer("profileEvents");
        List<Seg> segs = List.of(new Seg("warmup", warm), new Seg("mixed", mixed));
        db.mixed("t_warm", warm);
        db.mixed("t_mixed", mixed);
        ToolRun r = catchUp(SLUICE, 0, segs, warm + mixed, false, true);
        if (!r.ok) {
            sluiceBroken = true;
            return;
        }
        Path jfr = work.resolve("logs/sluice-profile.jfr");
        if (Files.exists(jfr)) results.profile = JfrSummary.summarize(jfr, r.mixedStartMs, r.mixedEndMs);
        results.profileRun = r;
    }

    /** End-to-end latency at a fixed offered load, Sluice only; measured in windows after a warm-up. */
    void latency() throws Exception {
        latency(cfg.integer("latencyRate"), results.latency, "latency");
        for (String r : cfg.str("latencyRates").split(",")) {
            if (r.isBlank()) continue;
            int rate = Integer.parseInt(r.strip());
            latency(rate, results.latencyAt.computeIfAbsent(rate, k -> new ArrayList<>()), "latency-" + rate);
        }
    }

    void latency(int rate, List<LatencyWindow> into, String phase) throws Exception {
        if (sluiceBroken) return;
        int tickMs = 10, perTick = rate * tickMs / 1000;
        long e0 = topics.end(sluiceTopic);
        Proc p = start(SLUICE, phase, cfg.str("toolHeap"), false);
        DtsDecode decode = new DtsDecode(Path.of(cfg.str("avsc")));
        List<long[]> samples = new ArrayList<>(); // {t_us, latency_us, append_us}
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong seen = new AtomicLong();
        Thread consumer = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> c = topics.consumer()) {
                TopicPartition tp = new TopicPartition(sluiceTopic, 0);
                c.assign(List.of(tp));
                c.seek(tp, e0);
                while (!stop.get()) {
                    ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(100));
                    long arrival = Workloads.nowMicros();
                    for (ConsumerRecord<byte[], byte[]> r : rs) {
                        Long sent = decode.afterLong(r.value(), Workloads.DB + ".t_lat", "t_us");
                        if (sent == null) continue;
                        // {commit (t_us), end to end, commit -> broker append (LogAppendTime, ms)}
                        long append = r.timestamp() * 1000 - sent;
                        synchronized (samples) { samples.add(new long[] {sent, arrival - sent, append}); }
                        seen.incrementAndGet();
                    }
                }
            } catch (Exception e) {
                results.notes.add("latency consumer failed: " + e);
            }
        }, "latency-consumer");
        try {
            if (!awaitStreaming(p, e0)) {
                results.notes.add("latency: Sluice did not start streaming: " + tail(p.logText()));
                return;
            }
            consumer.start();
            log("latency: %d events/s (%d rows every %d ms), warm-up %d s, then %d windows of %d s", rate, perTick, tickMs,
                    cfg.integer("latencyWarmupSeconds"), cfg.integer("latencyWindows"), cfg.integer("latencySeconds"));
            long rows = db.steadyLoad(cfg.integer("latencyWarmupSeconds"), tickMs, perTick);
            List<long[]> windows = new ArrayList<>(); // {startUs, endUs, rows, cpuMs}
            for (int w = 0; w < cfg.integer("latencyWindows"); w++) {
                long s = Workloads.nowMicros();
                long c0 = p.cpuMs();
                long n = db.steadyLoad(cfg.integer("latencySeconds"), tickMs, perTick);
                windows.add(new long[] {s, Workloads.nowMicros(), n, p.cpuMs() - c0});
                rows += n;
            }
            long deadline = System.currentTimeMillis() + 20_000;
            while (seen.get() < rows && System.currentTimeMillis() < deadline) Thread.sleep(100);
            stop.set(true);
            consumer.join(5000);
            if (seen.get() < rows) results.notes.add("latency: only " + seen.get() + " of " + rows + " rows arrived");
            for (long[] w : windows) {
                long[] lat, app;
                synchronized (samples) {
                    lat = samples.stream().filter(x -> x[0] >= w[0] && x[0] < w[1]).mapToLong(x -> x[1]).sorted().toArray();
                    app = samples.stream().filter(x -> x[0] >= w[0] && x[0] < w[1]).mapToLong(x -> x[2]).sorted().toArray();
                }
                LatencyWindow lw = new LatencyWindow();
                lw.events = lat.length;
                lw.offered = w[2];
                lw.seconds = (w[1] - w[0]) / 1e6;
                lw.p50Ms = Stats.percentile(lat, 50) / 1000;
                lw.p99Ms = Stats.percentile(lat, 99) / 1000;
                lw.maxMs = lat.length == 0 ? Double.NaN : lat[lat.length - 1] / 1000.0;
                lw.appendP50Ms = Stats.percentile(app, 50) / 1000;
                lw.appendP99Ms = Stats.percentile(app, 99) / 1000;
                lw.cpuPer10k = w[3] / (double) w[2] * 10_000 / 1000.0;
                lw.cpuPercent = w[3] / 10.0 / lw.seconds;
                into.add(lw);
                log("latency window (%d/s): %d events in %.1f s, p50 %.1f ms, p99 %.1f ms, max %.1f ms (commit->append p50 %.1f, p99 %.1f), cpu %.0f%% (%.2f s/10k)",
                        rate, lw.events, lw.seconds, lw.p50Ms, lw.p99Ms, lw.maxMs, lw.appendP50Ms, lw.appendP99Ms, lw.cpuPercent, lw.cpuPer10k);
            }
        } finally {
            stop.set(true);
            if (p.alive()) p.stop(60);
            p.close();
        }
    }

    /**
     * Does Sluice's retained heap grow with the number of transactions it streams? Sluice (heap
     * capped like the 1M test) streams {@code heapTransactions} single-row autocommit INSERTs
     * live; the heap left after a full GC (jcmd GC.run) is taken before and after.
     */
    void heapStability() throws Exception {
        if (sluiceBroken) return;
        int n = cfg.integer("heapTransactions");
        HeapCheck h = results.heapCheck;
        h.transactions = n;
        h.heap = cfg.str("bigHeap");
        long e0 = topics.end(sluiceTopic);
        Proc p = start(SLUICE, "heap", cfg.str("bigHeap"), false);
        try {
            if (!awaitStreaming(p, e0)) {
                results.notes.add("heap check: Sluice did not start streaming: " + tail(p.logText()));
                return;
            }
            Thread.sleep(1000);
            h.beforeMb = retainedMb(p, gcLog(SLUICE, "heap"));
            long t = System.nanoTime();
            db.singleInserts(n);
            h.seconds = secondsSince(t);
            // all of them in Kafka: the end offset has grown by n and stopped moving
            long last = -1, stableSince = System.currentTimeMillis(), deadline = System.currentTimeMillis() + 300_000;
            while (System.currentTimeMillis() < deadline && p.alive()) {
                long end = topics.end(sluiceTopic);
                if (end != last) { last = end; stableSince = System.currentTimeMillis(); }
                else if (end - e0 >= n && System.currentTimeMillis() - stableSince > 1500) break;
                Thread.sleep(200);
            }
            h.afterMb = retainedMb(p, gcLog(SLUICE, "heap"));
            h.alive = p.alive();
            h.outOfMemory = p.logText().contains("OutOfMemoryError");
            if (h.beforeMb >= 0 && h.afterMb >= 0) {
                h.growthMbPer100k = (h.afterMb - h.beforeMb) * 100_000.0 / n;
                h.bounded = h.alive && !h.outOfMemory && h.growthMbPer100k < cfg.integer("heapGrowthLimitMb");
            }
            log("heap check: %,d single-row transactions streamed in %.0f s; heap after full GC %d MB -> %d MB (%.1f MB per 100k transactions): %s",
                    n, h.seconds, h.beforeMb, h.afterMb, h.growthMbPer100k, h.bounded ? "bounded" : "GROWS");
        } finally {
            if (p.alive()) p.stop(60);
            p.close();
        }
    }

    /** The heap left after a full GC that jcmd asks for (-1 if jcmd is missing or failed). */
    long retainedMb(Proc p, Path gc) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.exists(jcmd)) return -1;
        Process j = new ProcessBuilder(jcmd.toString(), String.valueOf(p.pid()), "GC.run").redirectErrorStream(true).start();
        j.getInputStream().readAllBytes();
        if (!j.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || j.exitValue() != 0) return -1;
        Thread.sleep(500);
        long mb = -1;
        java.util.regex.Pattern full = java.util.regex.Pattern.compile("Pause Full.*?(\\d+)M->(\\d+)M");
        for (String line : Files.readAllLines(gc)) {
            java.util.regex.Matcher m = full.matcher(line);
            if (m.find()) mb = Long.parseLong(m.group(2));
        }
        return mb;
    }

    /** Inserts probe rows until one shows up in Sluice's topic. */
    boolean awaitStreaming(Proc p, long e0) throws Exception {
        String nonce = "probe-" + UUID.randomUUID();
        for (int k = 0; k < 60 && p.alive(); k++) {
            db.probe(nonce);
            if (topics.await(sluiceTopic, e0, nonce, 3000)) return true;
        }
        return false;
    }

    /** A single transaction of bigRows rows, Sluice's heap capped; JFR records the run. */
    void bigTransaction() throws Exception {
        if (sluiceBroken) return;
        int rows = cfg.integer("bigRows");
        BigTxn b = results.big;
        b.rows = rows;
        b.heap = cfg.str("bigHeap");
        long e0 = topics.end(sluiceTopic);
        long t = System.nanoTime();
        db.bigTransaction(rows);
        b.sourceSeconds = secondsSince(t);
        log("big transaction: %d rows committed in one transaction (%.1f s); Sluice runs with -Xmx%s", rows, b.sourceSeconds, b.heap);
        Proc p = start(SLUICE, "big", b.heap, true);
        try {
            long deadline = System.currentTimeMillis() + cfg.integer("toolTimeoutSeconds") * 1000L;
            while (topics.end(sluiceTopic) - e0 < rows && p.alive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            long[] first = {0}, lastTs = {0};
            long n = topics.read(sluiceTopic, e0, rows, 10_000, rec -> {
                if (first[0] == 0) first[0] = rec.timestamp();
                lastTs[0] = rec.timestamp();
            });
            b.records = n;
            b.aliveAtEnd = p.alive();
            b.exitCode = p.stop(120);
            b.heapFigures = Proc.Heap.parse(gcLog(SLUICE, "big"));
            b.peakRssMb = p.peakRssMb();
            b.outOfMemory = b.heapFigures.outOfMemory() || p.logText().contains("OutOfMemoryError");
            b.eps = n > 1 ? n * 1000.0 / Math.max(1, lastTs[0] - first[0]) : null;
            b.ok = n == rows && b.aliveAtEnd && b.exitCode == 0 && !b.outOfMemory;
            if (!b.ok) b.why = tail(p.logText());
            log("big transaction: %s: %d of %d records, %.0f events/s, heap peak %d MB (live max %d MB, %d GCs), exit %d",
                    b.ok ? "PASS" : "FAIL", n, rows, b.eps == null ? 0 : b.eps, b.heapFigures.peakUsedMb(),
                    b.heapFigures.maxAfterGcMb(), b.heapFigures.gcs(), b.exitCode);
            Path jfr = work.resolve("logs/sluice-big.jfr");
            if (Files.exists(jfr)) {
                results.profileBig = JfrSummary.summarize(jfr, first[0], lastTs[0]);
            }
        } finally {
            if (p.alive()) p.stop(60);
            p.close();
        }
    }

    /**
     * Per repetition: the streaming JDBC read of t_big and its full-data initialization by a fresh
     * Sluice job (order alternates); then one more initialization under JFR (not counted).
     */
    void jdbcAndInit(boolean jdbc, boolean init) throws Exception {
        long rows = cfg.integer("initRows");
        String table = Workloads.INIT_TABLE;
        double load = db.ensureInitTable(rows);
        results.initTable = table;
        if (load == 0) log("%s holds %,d rows already (kept from an earlier run)", table, rows);
        else log("%s loaded with %,d rows in %.0f s (outside the binlog)", table, rows, load);
        for (int rep = 1; rep <= cfg.integer("jdbcRuns"); rep++) {
            boolean initFirst = rep % 2 == 0;
            InitRun ir = init && initFirst ? initRun(rep, rows, false) : null;
            Double rps = null;
            if (jdbc) {
                long t = System.nanoTime();
                long n = db.jdbcRead(table);
                rps = n / secondsSince(t);
                results.jdbcRowsPerSecond.add(rps);
                log("jdbc read %d: %d rows of %s, %.0f rows/s", rep, n, table, rps);
            }
            if (init && !initFirst) ir = initRun(rep, rows, false);
            if (ir != null) {
                ir.jdbcRowsPerSecond = rps;
                results.init.add(ir);
                if (ir.ok) initPipeline(ir, rows);
            }
        }
        if (init && Boolean.parseBoolean(cfg.str("initProfile"))) {
            InitRun ir = initRun(0, rows, true);
            results.initProfileRun = ir;
            Path jfr = work.resolve("logs/sluice-init-profile.jfr");
            if (ir.ok && Files.exists(jfr)) results.profileInit = JfrSummary.summarize(jfr, ir.firstAppendMs, ir.lastAppendMs);
        }
    }

    /** Whether the harness has run the initialization's pipeline limit once (its JIT warm-up). */
    boolean initPipelineWarm;

    /**
     * The initialization's pipeline limit, after an initialization: its first INIT records are read
     * back (up to initPipelineRecords, re-sent cyclically), then JDBC reads of the same chunks
     * (Sluice's chunk size and reader count) and the producer run at the same time.
     */
    void initPipeline(InitRun ir, long rows) throws Exception {
        int hold = (int) Math.min(rows, cfg.integer("initPipelineRecords"));
        byte[][][] records = new byte[hold][][];
        int[] i = {0};
        long n = topics.read(ir.topic, 0, hold, 30_000, rec -> records[i[0]++] = new byte[][] {rec.key(), rec.value()});
        if (n < hold) {
            results.notes.add("init pipeline " + ir.rep + ": only " + n + " INIT records read back");
            return;
        }
        Pipeline pipe = new Pipeline(cfg.str("kafka"), cfg.integer("commitIntervalMs"), servers);
        int chunk = ir.chunkSize > 0 ? ir.chunkSize : 8192, readers = ir.readers > 0 ? ir.readers : 4;
        try {
            if (!initPipelineWarm) {
                // The harness's JVM runs this code for the first time here: in most earlier runs, and in
                // each of four init-only runs of 2026-12-05, the first repetition's limit was 7-24% below
                // the second's. One unmeasured pass compiles it.
                Pipeline.Times w = pipe.init(db.url(), Workloads.INIT_TABLE, rows, chunk, readers, records, limitTopic, true, true);
                initPipelineWarm = true;
                log("init pipeline warm-up (not counted): %,.0f rows/s", w.eps());
            }
            Pipeline.Times t = pipe.init(db.url(), Workloads.INIT_TABLE, rows, chunk, readers, records, limitTopic, true, true);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put("rows_s", t.eps());
            m.put("jdbc_rows_s", t.sourceEps());
            m.put("kafka_rows_s", t.sinkEps());
            m.put("cpu_s_per_10k", t.cpu().process());
            m.put("jdbc_threads_cpu_s_per_10k", t.cpu().source());
            m.put("send_cpu_s_per_10k", t.cpu().send());
            m.put("network_cpu_s_per_10k", t.cpu().network());
            t.cpu().serversMs().keySet().forEach(k -> m.put(k + "_cpu_s_per_10k", t.cpu().server(k)));
            m.put("rep", (double) ir.rep);
            results.initPipeline.add(m);
            ir.pipelineRowsPerSecond = t.eps();
            ir.pipelineServerCpuPer10k = t.cpu().servers();
            ir.pipelineCpuPer10k = t.cpu().process() + (ir.pipelineServerCpuPer10k == null ? 0 : ir.pipelineServerCpuPer10k);
            log("init pipeline %d: %,.0f rows/s (JDBC chunk reads %,.0f rows/s, producing %,.0f rows/s, together); Sluice %,.0f rows/s = %.0f%%",
                    ir.rep, t.eps(), t.sourceEps(), t.sinkEps(), ir.rowsPerSecond, 100 * ir.rowsPerSecond / t.eps());
        } catch (Exception e) {
            results.notes.add("init pipeline " + ir.rep + " failed: " + e);
            log("init pipeline %d failed: %s", ir.rep, e);
        }
    }

    /** {@code {kafka=0.008, mysqld=0.031}}: CPU figures for a log line. */
    static String threeDecimals(Map<String, Double> figures) {
        StringBuilder b = new StringBuilder("{");
        figures.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(String.format("%.3f", v)));
        return b.append('}').toString();
    }

    /**
     * A fresh job (no checkpoint, its own topic and state) selecting only t_big, with
     * {@code initialization.fullData: true}: timed from the moment the harness spawns
     * {@code bin/sluice run} to the first poll (every 100 ms) at which the topic's read_committed
     * end offset (last stable offset) is past the last INIT record, i.e. every INIT record is
     * committed. The topic is then read once to count the INIT records (they must be exactly the
     * table's rows, and nothing else) and to find the last one's offset.
     */
    InitRun initRun(int rep, long rows, boolean profile) throws Exception {
        InitRun r = new InitRun(rep);
        r.rows = rows;
        String name = rep == 0 ? "init-profile" : "init" + rep;
        String topic = sluiceTopic.replaceFirst("-sluice$", "-" + name);
        topics.create(topic);
        r.topic = topic;
        Path state = work.resolve(name + "-state");
        deleteTree(state);
        Path job = work.resolve(name + ".yaml");
        Files.writeString(job, initYaml(topic, state, 6410 + rep));
        List<long[]> ends = new ArrayList<>(); // {wall ms, read_committed end offset}
        r.quietWaitSeconds = Machine.waitQuiet(0.15, 30);
        long t0 = System.currentTimeMillis();
        Proc p = start(SLUICE, name, cfg.str("toolHeap"), profile, job, cfg.str("initJvm"));
        try {
            long deadline = t0 + cfg.integer("toolTimeoutSeconds") * 1000L;
            boolean complete = false;
            long last = -1, stableSince = t0, nextLogCheck = 0;
            while (true) {
                long now = System.currentTimeMillis();
                long end = topics.end(topic);
                ends.add(new long[] {now, end});
                if (end != last) { last = end; stableSince = now; }
                if (!complete && now >= nextLogCheck) {
                    complete = p.logText().contains("initialization complete");
                    nextLogCheck = now + 500;
                }
                // done: Sluice logged the end of the initialization and the end offset has stopped moving
                if (complete && end >= rows && now - stableSince > 2000) break;
                if (!p.alive()) return r.fail("exited during the initialization: " + tail(p.logText()));
                if (now > deadline) return r.fail("timed out after " + cfg.integer("toolTimeoutSeconds") + " s at end offset " + end);
                Thread.sleep(100);
            }
            r.exitCode = p.stop(60);
            DtsDecode decode = new DtsDecode(Path.of(cfg.str("avsc")));
            long[] first = {0}, lastTs = {0}, lastInit = {-1}, init = {0}, other = {0};
            AppendTimes appends = new AppendTimes(t0);
            Exception[] bad = {null};
            topics.read(topic, 0, Long.MAX_VALUE, 3000, rec -> {
                try {
                    if (decode.operation(rec.value()).equals("INIT")) {
                        if (first[0] == 0) first[0] = rec.timestamp();
                        lastTs[0] = Math.max(lastTs[0], rec.timestamp());
                        appends.add(rec.timestamp());
                        lastInit[0] = rec.offset();
                        init[0]++;
                    } else {
                        other[0]++;
                    }
                } catch (Exception e) {
                    bad[0] = e;
                }
            });
            if (bad[0] != null) return r.fail("cannot decode a record: " + bad[0]);
            r.initRecords = init[0];
            r.otherRecords = other[0];
            long committed = -1;
            for (long[] e : ends) {
                if (e[1] > lastInit[0]) { committed = e[0]; break; }
            }
            if (committed < 0) return r.fail("the last INIT record (offset " + lastInit[0] + ") was never seen committed");
            r.seconds = (committed - t0) / 1000.0;
            r.rowsPerSecond = init[0] / r.seconds;
            r.firstAppendMs = first[0];
            r.lastAppendMs = lastTs[0];
            r.toFirstRecordSeconds = (first[0] - t0) / 1000.0;
            r.lastAppendToCommitSeconds = (committed - lastTs[0]) / 1000.0;
            r.steadyRowsPerSecond = init[0] * 1000.0 / Math.max(1, lastTs[0] - first[0]);
            r.cpuPer10k = (p.cpuAt(committed) - p.cpuAt(t0)) / init[0] * 10_000 / 1000.0;
            servers.used(t0, committed).forEach((k, v) -> r.serverCpuPer10k.put(k, v / init[0] * 10_000 / 1000.0));
            r.threads = p.threadShares(first[0], lastTs[0]);
            // the second half (by time) of the appends: the fresh JVM's JIT has done most of its compiling by then
            long mid = first[0] + (lastTs[0] - first[0]) / 2;
            long secondHalfRows = appends.countFrom(mid);
            if (secondHalfRows > 0 && lastTs[0] > mid) {
                r.secondHalfRowsPerSecond = secondHalfRows * 1000.0 / (lastTs[0] - mid);
                r.secondHalfCpuPer10k = (p.cpuAt(lastTs[0]) - p.cpuAt(mid)) / secondHalfRows * 10_000 / 1000.0;
                r.secondHalfThreads = p.threadShares(mid, lastTs[0]);
                servers.used(mid, lastTs[0]).forEach((k, v) -> r.secondHalfServerCpuPer10k.put(k, v / secondHalfRows * 10_000 / 1000.0));
            }
            r.heap = Proc.Heap.parse(gcLog(SLUICE, name));
            r.peakRssMb = p.peakRssMb();
            r.load = Machine.loadAverage();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) reader\\(s\\), chunks of (\\d+) rows")
                    .matcher(p.logText());
            if (m.find()) {
                r.readers = Integer.parseInt(m.group(1));
                r.chunkSize = Integer.parseInt(m.group(2));
            }
            r.ok = init[0] == rows && other[0] == 0 && r.exitCode == 0;
            if (!r.ok) {
                r.error = String.format("%d INIT records for %d rows, %d other records, exit code %d", init[0], rows, other[0], r.exitCode);
            }
            log("init %s: %s: %,d INIT records in %.1f s from the job's start to their commit: %,.0f rows/s (first record after %.1f s, "
                            + "then %,.0f rows/s, second half %,.0f rows/s at cpu %.3f s/10k rows; last append -> commit seen %.2f s), "
                            + "cpu %.3f s/10k rows, heap peak %d MB, live max %d MB, chunks of %d, %d reader(s), load %.1f; "
                            + "waited %.1f s for a quiet machine before the start; servers' CPU s/10k rows %s, second half %s",
                    rep == 0 ? "profile" : String.valueOf(rep), r.ok ? "ok" : "FAIL (" + r.error + ")", init[0], r.seconds,
                    r.rowsPerSecond, r.toFirstRecordSeconds, r.steadyRowsPerSecond, r.secondHalfRowsPerSecond, r.secondHalfCpuPer10k,
                    r.lastAppendToCommitSeconds, r.cpuPer10k,
                    r.heap.peakUsedMb(), r.heap.maxAfterGcMb(), r.chunkSize, r.readers, r.load, r.quietWaitSeconds,
                    threeDecimals(r.serverCpuPer10k), threeDecimals(r.secondHalfServerCpuPer10k));
            return r;
        } finally {
            if (p.alive()) p.stop(60);
            p.close();
        }
    }

    // ------------------------------------------------------------------------------------------

    Proc start(String tool, String phase, String heap, boolean profile) throws Exception {
        return start(tool, phase, heap, profile, sluiceJob);
    }

    Proc start(String tool, String phase, String heap, boolean profile, Path job) throws Exception {
        return start(tool, phase, heap, profile, job, "");
    }

    /** {@code extraJvm}: more JVM options for this process (a variant of the formats phase, e.g. another GC). */
    Proc start(String tool, String phase, String heap, boolean profile, Path job, String extraJvm) throws Exception {
        return start(tool, phase, heap, profile, job, extraJvm, null);
    }

    /** {@code sluiceBin}: another build's {@code bin/sluice} for this process (null: the benchmark's). */
    Proc start(String tool, String phase, String heap, boolean profile, Path job, String extraJvm, String sluiceBin) throws Exception {
        Path gc = gcLog(tool, phase);
        Files.deleteIfExists(gc);
        String jvm = "-Xmx" + heap + " -Xlog:gc,gc+heap+exit:file=" + gc + (extraJvm.isBlank() ? "" : " " + extraJvm.strip());
        if (profile) {
            jvm += " -XX:StartFlightRecording=filename=" + work.resolve("logs/" + tool + "-" + phase + ".jfr")
                    + ",settings=" + (phase.equals("profile") || phase.equals("init-profile") ? fineProfileSettings() : "profile") + ",dumponexit=true";
        }
        Path log = work.resolve("logs/" + tool + "-" + phase + ".log");
        Files.deleteIfExists(log);
        if (tool.equals(SLUICE)) {
            return Proc.start(List.of(sluiceBin != null ? sluiceBin : cfg.str("sluice"), "run", "--config", job.toString()),
                    Map.of("SLUICE_JAVA_OPTS", jvm), log);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(Arrays.asList(jvm.split(" ")));
        cmd.addAll(List.of("-cp", cfg.str("debeziumCp"), "io.sluice.bench.debezium.DebeziumRunner", debeziumProps.toString()));
        return Proc.start(cmd, Map.of(), log);
    }

    /** The JDK's profile.jfc with Java method sampling every 1 ms instead of 10 ms (more samples from a short run). */
    String fineProfileSettings() throws Exception {
        Path jfc = work.resolve("profile-1ms-jit.jfc");
        if (!Files.exists(jfc)) {
            String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr", "profile.jfc"));
            // every JIT compilation, not only those over 100 ms: how much of the run's CPU the compilers take, and on what
            Files.writeString(jfc, profile.replace(
                    "<setting name=\"period\" control=\"method-sampling-java-interval\">10 ms</setting>",
                    "<setting name=\"period\" control=\"method-sampling-java-interval\">1 ms</setting>").replace(
                    "<setting name=\"threshold\" control=\"compiler-compilation-threshold\">100 ms</setting>",
                    "<setting name=\"threshold\" control=\"compiler-compilation-threshold\">0 ms</setting>"));
        }
        return jfc.toString();
    }

    Path gcLog(String tool, String phase) {
        return work.resolve("logs/" + tool + "-" + phase + ".gc.log");
    }

    String topicOf(String tool) { return tool.equals(SLUICE) ? sluiceTopic : debeziumTopic; }

    String tables() {
        return String.join(", ", Workloads.CAPTURED.stream().map(t -> Workloads.DB + "." + t).toList());
    }

    String sluiceYaml() {
        return streamingYaml("bench", sluiceTopic, work.resolve("sluice-state"), 6401, "");
    }

    /** A streaming job (no initialization) of the captured tables; {@code targetLines}: more `target:` keys. */
    String streamingYaml(String name, String topic, Path state, int serverId, String targetLines) {
        return """
                name: %s
                source:
                  name: bench-mysql
                  host: 127.0.0.1
                  port: %d
                  user: sluice
                  password: sluice
                  serverId: %d
                target:
                  bootstrapServers: %s
                  topic: %s
                %s%s
                objects:
                  include: [%s]
                state:
                  dir: %s
                initialization:
                  fullData: false
                """.formatted(name, cfg.integer("mysqlPort"), serverId, cfg.str("kafka"), topic, targetLines, targetExtra(),
                tables(), state);
    }

    /** The initialization job: only t_big, no checkpoint, its own topic; chunkSize/parallelism as set (else Sluice's defaults). */
    String initYaml(String topic, Path state, int serverId) {
        String init = "initialization:\n  fullData: true\n"
                + (cfg.str("initChunkSize").isBlank() ? "" : "  chunkSize: " + cfg.integer("initChunkSize") + "\n")
                + (cfg.str("initParallelism").isBlank() ? "" : "  parallelism: " + cfg.integer("initParallelism") + "\n");
        return """
                name: bench-init
                source:
                  name: bench-mysql
                  host: 127.0.0.1
                  port: %d
                  user: sluice
                  password: sluice
                  serverId: %d
                target:
                  bootstrapServers: %s
                  topic: %s
                %s
                objects:
                  include: [%s]
                state:
                  dir: %s
                """.formatted(cfg.integer("mysqlPort"), serverId, cfg.str("kafka"), topic, targetExtra(), Workloads.INIT_TABLE, state) + init;
    }

    String targetExtra() {
        return String.join("\n", java.util.Arrays.stream(cfg.str("sluiceTargetExtra").split(";")).filter(x -> !x.isBlank())
                .map(x -> "  " + x.strip()).toList());
    }

    String debeziumProperties() {
        Path dir = work.resolve("debezium-state");
        return String.join("\n",
                "bench.topic=" + debeziumTopic,
                "bench.bootstrap=" + cfg.str("kafka"),
                "name=bench-debezium",
                "connector.class=io.debezium.connector.mysql.MySqlConnector",
                "database.hostname=127.0.0.1",
                "database.port=" + cfg.integer("mysqlPort"),
                "database.user=root",
                "database.password=",
                "database.server.id=6402",
                "topic.prefix=bench",
                "database.include.list=" + Workloads.DB,
                "table.include.list=" + tables().replace(" ", ""),
                // start at the binlog end with the tables' schema, like Sluice without initialization
                "snapshot.mode=no_data",
                // one record per row change, like Sluice (the default would add a tombstone per DELETE)
                "tombstones.on.delete=false",
                "schema.history.internal=io.debezium.storage.file.history.FileSchemaHistory",
                "schema.history.internal.file.filename=" + dir.resolve("schema-history.dat"),
                "offset.storage=org.apache.kafka.connect.storage.FileOffsetBackingStore",
                "offset.storage.file.filename=" + dir.resolve("offsets.dat"),
                // Sluice checkpoints once a second
                "offset.flush.interval.ms=1000",
                // more engine/converter properties, e.g. -Dbench.debeziumExtra=converter.schemas.enable=false
                String.join("\n", cfg.str("debeziumExtra").split(";")),
                "");
    }

    // ------------------------------------------------------------------------------------------

    static double secondsSince(long nanoStart) { return (System.nanoTime() - nanoStart) / 1e9; }

    static String fmt(Map<String, Double> eps) {
        StringBuilder sb = new StringBuilder();
        eps.forEach((k, v) -> sb.append(k).append(' ').append(v == null ? "-" : String.format("%,.0f", v)).append("/s  "));
        return sb.toString().trim();
    }

    static String fmtCpu(Map<String, Double> cpu) {
        StringBuilder sb = new StringBuilder();
        cpu.forEach((k, v) -> sb.append(k).append(' ').append(String.format("%.3f", v)).append("  "));
        return sb.toString().trim();
    }

    static String tail(String log) {
        String[] lines = log.strip().split("\n");
        return String.join(" | ", Arrays.copyOfRange(lines, Math.max(0, lines.length - 3), lines.length));
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench %s] %s%n", LocalDateTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")),
                String.format(format, args));
        System.out.flush();
    }

    static void deleteTree(Path p) throws Exception {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }

    // ------------------------------------------------------------------------------------------

    record Seg(String name, long n) {}

    /** Events/s per workload from the records' append times (ms): the records arrive workload by workload. */
    static final class Timing {
        record Span(long startMs, long endMs, long n) {}

        final Map<String, Double> eps = new LinkedHashMap<>();
        /** Steady state: records appended between a segment's first and last second / that time (segments > 3 s). */
        final Map<String, Double> steady = new LinkedHashMap<>();
        final Map<String, Span> spans = new LinkedHashMap<>();

        /** Segments in arrival order; a "warmup" segment is timed but left out of "all". */
        static Timing of(long[] ts, List<Seg> segs) {
            Timing t = new Timing();
            int i = 0;
            long prevEnd = ts[0], allStart = ts[0], allN = 0;
            for (Seg s : segs) {
                long end = ts[(int) (i + s.n - 1)];
                t.spans.put(s.name, new Span(prevEnd, end, s.n));
                if (s.name.equals("warmup")) allStart = end; else allN += s.n;
                t.eps.put(s.name, s.n * 1000.0 / Math.max(1, end - prevEnd));
                if (end - prevEnd > 3000) {
                    long from = prevEnd + 1000, to = end - 1000, k = 0;
                    for (int j = i; j < i + s.n; j++) if (ts[j] > from && ts[j] <= to) k++;
                    t.steady.put(s.name, k * 1000.0 / (to - from));
                }
                prevEnd = end;
                i += s.n;
            }
            t.spans.put("all", new Span(allStart, prevEnd, allN));
            t.eps.put("all", allN * 1000.0 / Math.max(1, prevEnd - allStart));
            return t;
        }
    }

    /** One catch-up run of a tool. */
    static final class ToolRun implements java.io.Serializable {
        private static final long serialVersionUID = -2329956434396860168L; // fixed: see Results
        final String tool;
        final int rep;
        boolean ok;
        String error;
        final Map<String, Double> eps = new LinkedHashMap<>();
        /** Steady-state events/s per workload (without its first and last second), see {@link Timing}. */
        Map<String, Double> steadyEps = new LinkedHashMap<>();
        /** CPU s per 10k events of each process during the mixed workload: the tool, mysqld, kafka. */
        Map<String, Double> processCpuPer10kMixed = new LinkedHashMap<>();
        /** The topic offset of the run's first record (its workloads follow in order). */
        long firstOffset;
        int partitions = 1;
        double cpuPer10kMixed = Double.NaN, cpuPer10kAll = Double.NaN;
        Proc.Heap heap;
        long peakRssMb;
        double bytesPerRecord;
        long records, extra;
        int exitCode;
        /** CPU share of a core per thread name during the mixed workload. */
        Map<String, Double> threadsMixed = new LinkedHashMap<>();
        long mixedStartMs, mixedEndMs;
        /** 1-minute load average of the machine when the run ended (the machine is shared). */
        double load;
        transient byte[][] values;

        ToolRun(String tool, int rep) { this.tool = tool; this.rep = rep; }

        ToolRun fail(String why) {
            error = why;
            log("rep %d: %s FAILED: %s", rep, tool, why);
            return this;
        }
    }

    /** Counts of broker append times in 10 ms buckets from a start: how many records were appended from a given time on. */
    static final class AppendTimes {
        private final long startMs;
        private int[] buckets = new int[1 << 12];
        private long before;

        AppendTimes(long startMs) { this.startMs = startMs; }

        void add(long appendMs) {
            long b = (appendMs - startMs) / 10;
            if (b < 0) { before++; return; }
            if (b >= buckets.length) buckets = java.util.Arrays.copyOf(buckets, (int) Math.max(2L * buckets.length, b + 1));
            buckets[(int) b]++;
        }

        /** Records appended in the 10 ms bucket of {@code fromMs} and after. */
        long countFrom(long fromMs) {
            long b = Math.max(0, (fromMs - startMs) / 10);
            long n = b == 0 ? before : 0;
            for (long i = b; i < buckets.length; i++) n += buckets[(int) i];
            return n;
        }
    }

    /** One full-data initialization of t_big (rep 0: the extra one under JFR). */
    static final class InitRun implements java.io.Serializable {
        private static final long serialVersionUID = 7109080881352313642L; // fixed: see Results
        final int rep;
        boolean ok;
        String error;
        long rows, initRecords, otherRecords;
        /** Job start (process spawned) to every INIT record committed. */
        double seconds = Double.NaN, rowsPerSecond = Double.NaN;
        /** Job start to the first INIT record's broker append; rate between the first and last append. */
        double toFirstRecordSeconds = Double.NaN, steadyRowsPerSecond = Double.NaN, lastAppendToCommitSeconds = Double.NaN;
        long firstAppendMs, lastAppendMs;
        double cpuPer10k = Double.NaN;
        /** Waited before spawning for the machine to be quiet (cores under 15% busy over a second, at most 30 s). */
        double quietWaitSeconds;
        /**
         * The second half of the run by append time (from halfway between the first and last INIT record's
         * append to the last): its rows/s, Sluice's CPU s per 10k rows and thread shares then. The fresh JVM
         * compiles most in the first half, so this is the steady state the issue asks beside the whole run.
         */
        double secondHalfRowsPerSecond = Double.NaN, secondHalfCpuPer10k = Double.NaN;
        Map<String, Double> secondHalfThreads = new LinkedHashMap<>();
        Double jdbcRowsPerSecond;
        /** The pipeline limit measured right after this run (JDBC chunk reads + producing, together). */
        Double pipelineRowsPerSecond;
        /** The CPU s per 10k rows of everything that ran the pipeline limit: the harness, mysqld and the broker. */
        Double pipelineCpuPer10k;
        /** Of {@link #pipelineCpuPer10k}, mysqld's and the broker's. */
        Double pipelineServerCpuPer10k;
        /** mysqld's and the broker's CPU s per 10k rows during this run (spawn to every INIT record committed). */
        Map<String, Double> serverCpuPer10k = new LinkedHashMap<>();
        /** The same over the second half. */
        Map<String, Double> secondHalfServerCpuPer10k = new LinkedHashMap<>();
        /** The machine's cores, for {@link #cpuBudgetPer10k}. */
        int cores = Runtime.getRuntime().availableProcessors();
        String topic;
        int chunkSize, readers, exitCode;
        Map<String, Double> threads = new LinkedHashMap<>();
        Proc.Heap heap;
        long peakRssMb;
        double load;

        InitRun(int rep) { this.rep = rep; }

        Double vsJdbc() {
            return ok && jdbcRowsPerSecond != null ? rowsPerSecond / jdbcRowsPerSecond : null;
        }

        /**
         * The most CPU s per 10k rows Sluice could spend over the whole run and still reach {@code share} of
         * the pipeline limit, were every core busy from spawn to commit: rows/s can never exceed cores × 10k /
         * (CPU s per 10k rows of Sluice + mysqld + broker), and mysqld's and the broker's part is what this run
         * measured. Null when the servers' CPU was not sampled.
         */
        Double cpuBudgetPer10k(double share) {
            Double servers = serverCpuPer10kTogether();
            if (!ok || pipelineRowsPerSecond == null || servers == null) return null;
            return cpuBudgetPer10k(share, servers);
        }

        /** mysqld's and the broker's CPU s per 10k rows during this run together, or null when not sampled. */
        Double serverCpuPer10kTogether() {
            return serverCpuPer10k.isEmpty() ? null : serverCpuPer10k.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /** The same, had mysqld and the broker spent per row what they spent under the pipeline limit (in the runs so far less: a larger budget). */
        Double cpuBudgetAtLimitServersPer10k(double share) {
            if (!ok || pipelineRowsPerSecond == null || pipelineServerCpuPer10k == null) return null;
            return cpuBudgetPer10k(share, pipelineServerCpuPer10k);
        }

        private double cpuBudgetPer10k(double share, double servers) {
            return cores * 10_000 / (share * pipelineRowsPerSecond) - servers;
        }

        InitRun fail(String why) {
            error = why;
            log("init %d FAILED: %s", rep, why);
            return this;
        }
    }

    static final class LimitRun implements java.io.Serializable {
        private static final long serialVersionUID = -5361445068642638808L; // fixed: see Results
        final Map<String, Double> eps = new LinkedHashMap<>();
        /** Per workload: the CPU of the measurement (harness threads and process, servers). */
        final Map<String, Pipeline.Cpu> cpu = new LinkedHashMap<>();

        void put(String workload, double eventsPerSecond, Pipeline.Cpu used) {
            eps.put(workload, eventsPerSecond);
            cpu.put(workload, used);
        }
    }

    static final class LatencyWindow implements java.io.Serializable {
        private static final long serialVersionUID = -1755015059678844348L; // fixed: see Results
        long events, offered;
        double seconds, p50Ms, p99Ms, maxMs, appendP50Ms, appendP99Ms, cpuPer10k, cpuPercent;
    }

    static final class HeapCheck implements java.io.Serializable {
        private static final long serialVersionUID = -7922058282812508034L; // fixed: see Results
        int transactions;
        String heap;
        double seconds, growthMbPer100k = Double.NaN;
        long beforeMb = -1, afterMb = -1;
        boolean alive, outOfMemory, bounded;
    }

    static final class BigTxn implements java.io.Serializable {
        private static final long serialVersionUID = -4568079326771448496L; // fixed: see Results
        int rows;
        String heap;
        double sourceSeconds;
        long records;
        boolean ok, aliveAtEnd, outOfMemory;
        int exitCode;
        Double eps;
        Proc.Heap heapFigures;
        long peakRssMb;
        String why;
    }

    /** Everything the report is written from. */
    static final class Results implements java.io.Serializable {
        /**
         * Fixed, as in every class stored with the results: a method added to one of them (not a field)
         * changed the computed id, and `--report-only` could no longer read the last run's results.
         * The values are the ids computed before they were fixed, so existing results still read.
         */
        private static final long serialVersionUID = -6353236133163399359L;
        String date, machine, commit;
        long elapsedSeconds;
        final Map<String, Object> setup = new LinkedHashMap<>();
        final List<Map<String, Object>> generation = new ArrayList<>();
        final List<ToolRun> runs = new ArrayList<>();
        final Map<String, Map<Integer, LimitRun>> limits = new LinkedHashMap<>();
        final List<LatencyWindow> latency = new ArrayList<>();
        final BigTxn big = new BigTxn();
        final HeapCheck heapCheck = new HeapCheck();
        final List<Double> jdbcRowsPerSecond = new ArrayList<>();
        /** Initializations of t_big, one per JDBC-read repetition; and the extra one under JFR. */
        final List<InitRun> init = new ArrayList<>();
        InitRun initProfileRun;
        JfrSummary profileInit;
        /** JFR of an extra mixed catch-up (profile phase), and of the 1M-row transaction run. */
        JfrSummary profile, profileBig;
        ToolRun profileRun;
        /** The formats phase: one run per target.format per repetition (tool = the format). */
        final List<ToolRun> formatRuns = new ArrayList<>();
        /** The connect phase: `sluice run`, Sluice's connector and Debezium's connector per repetition. */
        final List<ToolRun> connectRuns = new ArrayList<>();
        final Map<String, Object> connectSetup = new LinkedHashMap<>();
        final List<String> notes = new ArrayList<>();
        /** Seconds per phase (progress and the budget of a full run). */
        final Map<String, Long> phaseSeconds = new LinkedHashMap<>();
        /** Latency windows at the further offered loads (events/s -> windows); 5 000/s stays in {@link #latency}. */
        final Map<Integer, List<LatencyWindow>> latencyAt = new LinkedHashMap<>();
        /** The partitions phase: the mixed backlog caught up into 1 partition and into N by primary key. */
        final List<ToolRun> partitionRuns = new ArrayList<>();
        /** Initialization pipeline limit per repetition: {rows/s together, JDBC side, Kafka side}. */
        final List<Map<String, Double>> initPipeline = new ArrayList<>();
        String initTable;

        LimitRun limit(String kind, int rep) {
            return limits.computeIfAbsent(kind, k -> new LinkedHashMap<>()).computeIfAbsent(rep, r -> new LimitRun());
        }

        void start(Config cfg) {
            date = LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16);
            machine = Machine.describe();
            commit = cfg.str("commit");
            cfg.all().forEach((k, v) -> {
                if (!k.equals("reportOnly") && !k.equals("commit")) setup.put(k, v);
            });
        }
    }
}
