package io.sluice.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.sluice.bench.Bench.LatencyWindow;
import io.sluice.bench.Bench.Results;
import io.sluice.bench.Bench.ToolRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Writes performance.json, performance.md and performance.png from one run's results. */
final class Report {

    static final String INIT_TIMED = "rows / seconds from spawning `bin/sluice run` (fresh job, only the initialization table selected, "
            + "initialization.fullData true) to the first 100 ms poll at which the topic's read_committed end offset is past the "
            + "last INIT record (every INIT record committed)";

    final Results r;
    final Config cfg;
    final int reps;
    /** Repetitions of the formats and connect phases (their tables' per-repetition figures). */
    final int compareReps;

    private Report(Results r, Config cfg) {
        this.r = r;
        this.cfg = cfg;
        this.reps = Integer.parseInt(setting("reps"));
        this.compareReps = Integer.parseInt(setting("compareReps"));
    }

    /** A setting of the run (as recorded in its results), else the current one. */
    String setting(String name) {
        Object v = r.setup.get(name);
        return v != null ? v.toString() : cfg.str(name);
    }

    static void write(Results r, Config cfg, Path work) throws Exception {
        Path out = Path.of(cfg.str("out"));
        Files.createDirectories(out);
        Report rep = new Report(r, cfg);
        Map<String, Object> json = rep.json();
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("performance.json").toFile(), json);
        Files.writeString(out.resolve("performance.md"), rep.markdown());
        Chart.write(rep, out.resolve("performance.png"));
        Bench.log("report: %s/performance.{md,json,png}", out);
    }

    // ------------------------------------------------------------------------------------------
    // figures

    List<ToolRun> ok(String tool) {
        return r.runs.stream().filter(x -> x.tool.equals(tool) && x.ok).toList();
    }

    Double toolEps(String tool, String w, int rep) {
        return r.runs.stream().filter(x -> x.tool.equals(tool) && x.ok && x.rep == rep).findFirst()
                .map(x -> x.eps.get(w)).orElse(null);
    }

    Double limitEps(String kind, String w, int rep) {
        Bench.LimitRun l = limitRun(kind, rep);
        return l == null ? null : l.eps.get(w);
    }

    /** The CPU of one limit measurement of a workload in a repetition, or null. */
    Pipeline.Cpu limitCpu(String kind, String w, int rep) {
        Bench.LimitRun l = limitRun(kind, rep);
        return l == null ? null : l.cpu.get(w);
    }

    private Bench.LimitRun limitRun(String kind, int rep) {
        var m = r.limits.get(kind);
        return m == null ? null : m.get(rep);
    }

    Double minLimit(String w, int rep) {
        Double b = limitEps("binlog", w, rep), k = limitEps("kafka", w, rep);
        if (b == null || k == null) return null;
        return Math.min(b, k);
    }

    Stats series(Function<Integer, Double> perRep) {
        return series(reps, perRep);
    }

    static Stats series(int repetitions, Function<Integer, Double> perRep) {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= repetitions; i++) v.add(perRep.apply(i));
        return Stats.of(v);
    }

    Stats sluice(String w) { return series(i -> toolEps(Bench.SLUICE, w, i)); }
    Stats debezium(String w) { return series(i -> toolEps(Bench.DEBEZIUM, w, i)); }
    Stats binlog(String w) { return series(i -> limitEps("binlog", w, i)); }
    Stats kafka(String w) { return series(i -> limitEps("kafka", w, i)); }

    Stats pipeline(String w) { return series(i -> limitEps("pipeline", w, i)); }

    /** A CPU figure (s per 10k events) of one limit measurement, per repetition. */
    Stats limitCpu(String kind, String w, Function<Pipeline.Cpu, Double> f) {
        return series(i -> {
            Pipeline.Cpu c = limitCpu(kind, w, i);
            return c == null ? null : f.apply(c);
        });
    }

    /**
     * The floor of Sluice's CPU per event on this machine: the harness process reading the binlog with
     * no row decoded plus sending Sluice's records alone, per repetition (single-row workloads only).
     */
    Stats floorCpu(String w) {
        return series(i -> {
            Pipeline.Cpu b = limitCpu("binlog-bare", w, i), k = limitCpu("kafka", w, i);
            return b == null || k == null ? null : b.process() + k.process();
        });
    }
    Stats steady(String w) { return series(i -> steadyEps(Bench.SLUICE, w, i)); }

    Double steadyEps(String tool, String w, int rep) {
        return r.runs.stream().filter(x -> x.tool.equals(tool) && x.ok && x.rep == rep).findFirst()
                .map(x -> x.steadyEps.get(w)).orElse(null);
    }

    /** Sluice over the pipeline limit of the same repetition (whole-run rates). */
    Stats vsPipeline(String w) {
        return series(i -> {
            Double s = toolEps(Bench.SLUICE, w, i), l = limitEps("pipeline", w, i);
            return s == null || l == null ? null : s / l;
        });
    }

    /** CPU s per 10k mixed events of one process (the tool, mysqld, kafka) during Sluice's runs. */
    Stats processCpu(String tool, String process) {
        return Stats.of(ok(tool).stream().map(x -> x.processCpuPer10kMixed.get(process)).toList());
    }

    /**
     * The part of a run's CPU per 10k mixed events its JIT compiler threads took: the tool's figure
     * times their share of the CPU its threads used in the window (null when no thread was sampled).
     * Compilation is a one-time cost a longer run spreads thinner, unlike the work per event.
     */
    static Double jitCpuPer10kMixed(ToolRun x) {
        return jitPart(x.cpuPer10kMixed, x.threadsMixed);
    }

    /** {@code cpu} times the JIT compiler threads' share of the CPU of all {@code threads} (null when none was sampled). */
    static Double jitPart(double cpu, Map<String, Double> threads) {
        double all = 0, jit = 0;
        for (Map.Entry<String, Double> e : threads.entrySet()) {
            all += e.getValue();
            if (e.getKey().startsWith("JIT ")) jit += e.getValue();
        }
        return all <= 0 || Double.isNaN(cpu) ? null : cpu * jit / all;
    }

    Stats latencyAt(int rate, Function<LatencyWindow, Double> f) {
        return Stats.of(r.latencyAt.getOrDefault(rate, List.of()).stream().map(f).toList());
    }

    Stats initPipeline() { return initPipelineFigure("rows_s"); }
    Stats initPipelineFigure(String key) { return Stats.of(r.initPipeline.stream().map(m -> m.get(key)).toList()); }
    Stats initVsPipeline() {
        return Stats.of(initRuns().stream().map(x -> x.ok && x.pipelineRowsPerSecond != null ? x.rowsPerSecond / x.pipelineRowsPerSecond : null).toList());
    }
    /** The run's second half (steady state, the JIT's compiling mostly done) over the same repetition's pipeline limit. */
    Stats initSecondHalfVsPipeline() {
        return Stats.of(initRuns().stream().map(x -> x.ok && x.pipelineRowsPerSecond != null
                ? x.secondHalfRowsPerSecond / x.pipelineRowsPerSecond : null).toList()); // NaN (not measured) is left out by Stats
    }

    Stats partitionEps(int partitions, boolean steady) {
        return Stats.of(r.partitionRuns.stream().filter(x -> x.ok && x.partitions == partitions)
                .map(x -> steady ? x.steadyEps.get("mixed") : x.eps.get("mixed")).toList());
    }

    Stats vsDebezium(String w) {
        return series(i -> {
            Double s = toolEps(Bench.SLUICE, w, i), d = toolEps(Bench.DEBEZIUM, w, i);
            return s == null || d == null ? null : s / d;
        });
    }

    Stats vsLimit(String w) {
        return series(i -> {
            Double s = toolEps(Bench.SLUICE, w, i), l = minLimit(w, i);
            return s == null || l == null ? null : s / l;
        });
    }

    /** Debezium's CPU time per event over Sluice's, per repetition: a cross-check that machine load hardly moves. */
    Stats cpuRatio(boolean mixedOnly) {
        return series(i -> {
            ToolRun s = r.runs.stream().filter(x -> x.tool.equals(Bench.SLUICE) && x.ok && x.rep == i).findFirst().orElse(null);
            ToolRun d = r.runs.stream().filter(x -> x.tool.equals(Bench.DEBEZIUM) && x.ok && x.rep == i).findFirst().orElse(null);
            if (s == null || d == null) return null;
            return mixedOnly ? d.cpuPer10kMixed / s.cpuPer10kMixed : d.cpuPer10kAll / s.cpuPer10kAll;
        });
    }

    Stats toolFigure(String tool, Function<ToolRun, Double> f) {
        return Stats.of(ok(tool).stream().map(f).toList());
    }

    Stats latency(Function<LatencyWindow, Double> f) {
        return Stats.of(r.latency.stream().map(f).toList());
    }

    Stats jdbc() { return Stats.of(r.jdbcRowsPerSecond); }

    List<Bench.InitRun> initRuns() { return r.init == null ? List.of() : r.init; }
    Stats init(Function<Bench.InitRun, Double> f) {
        return Stats.of(initRuns().stream().filter(x -> x.ok).map(f).toList());
    }
    Stats initRate() { return init(x -> x.rowsPerSecond); }
    Stats initSecondHalfRate() { return init(x -> x.secondHalfRowsPerSecond); }
    Stats initSecondHalfCpu() { return init(x -> x.secondHalfCpuPer10k); }

    /** What 80% would allow Sluice to spend, beside what it spent (see {@link Bench.InitRun#cpuBudgetPer10k}). */
    String budgetNote() {
        Stats budget = initCpuBudget();
        if (budget.median() == null) return "";
        return "; for 80% on this machine Sluice could spend at most " + num(budget, "%.3f")
                + " CPU s per 10k rows over the whole run (every core busy, mysqld and the broker as measured; "
                + num(initCpuBudgetAtLimitServers(), "%.3f") + " had they cost what they cost under the limit), and it spent "
                + num(init(x -> x.cpuPer10k), "%.3f");
    }

    /** "; second half of the run: … rows/s = …% of the limit, CPU … s per 10k rows (JIT …)", or "" when not measured. */
    String secondHalfNote() {
        Stats half = initSecondHalfRate();
        if (half.median() == null) return "";
        return "; second half of the run (steady state): " + eps(half) + " rows/s = " + pct(initSecondHalfVsPipeline())
                + " of the limit, CPU " + num(initSecondHalfCpu(), "%.3f")
                + " s per 10k rows, of it JIT " + num(init(x -> jitPart(x.secondHalfCpuPer10k, x.secondHalfThreads)), "%.3f");
    }
    /** {@link Bench.InitRun#cpuBudgetPer10k} at the target's 80%. */
    Stats initCpuBudget() { return init(x -> x.cpuBudgetPer10k(0.8)); }
    Stats initCpuBudgetAtLimitServers() { return init(x -> x.cpuBudgetAtLimitServersPer10k(0.8)); }
    Stats initPipelineServerCpu() { return init(x -> x.pipelineServerCpuPer10k); }
    Stats initServerCpu() { return init(Bench.InitRun::serverCpuPer10kTogether); }
    Stats initVsJdbc() { return Stats.of(initRuns().stream().map(Bench.InitRun::vsJdbc).toList()); }

    /** chunkSize / readers of the init runs as Sluice logged them (with the setting, if any). */
    String initSettings() {
        Bench.InitRun x = initRuns().stream().filter(i -> i.chunkSize > 0).findFirst().orElse(null);
        String cs = setting("initChunkSize"), par = setting("initParallelism");
        return (x == null ? "chunkSize " + (cs.isBlank() ? "default" : cs) : "chunkSize " + x.chunkSize + (cs.isBlank() ? " (default)" : ""))
                + ", parallelism " + (par.isBlank() ? "default" : par)
                + (x == null ? "" : " (" + x.readers + " reader thread" + (x.readers == 1 ? "" : "s") + " for the one table)");
    }

    // ------------------------------------------------------------------------------------------
    // JSON

    Map<String, Object> json() {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("date", r.date);
        j.put("machine", r.machine);
        j.put("commit", r.commit);
        j.put("workload", "mixed (top-level figures); see workloads for batch and single");
        j.put("sluice_eps", round(sluice("mixed").median()));
        j.put("debezium_eps", round(debezium("mixed").median()));
        j.put("binlog_limit_eps", round(binlog("mixed").median()));
        j.put("kafka_limit_eps", round(kafka("mixed").median()));
        j.put("sluice_vs_debezium", round2(vsDebezium("mixed").median()));
        j.put("sluice_vs_limit", round2(vsLimit("mixed").median()));
        j.put("debezium_vs_sluice_cpu_per_event", round2(cpuRatio(true).median()));
        j.put("p50_ms", round2(latency(w -> w.p50Ms).median()));
        j.put("p99_ms", round2(latency(w -> w.p99Ms).median()));
        j.put("max_ms", round2(latency(w -> w.maxMs).median()));
        j.put("latency_offered_eps", Integer.parseInt(setting("latencyRate")));
        j.put("heap_1m_txn_ok", r.big.records > 0 || r.big.ok ? r.big.ok : null);
        j.put("heap_1m_txn_heap", setting("bigHeap"));
        var hc = r.heapCheck;
        j.put("heap_growth_mb_per_100k_txn", hc.beforeMb >= 0 && hc.afterMb >= 0 ? round2(hc.growthMbPer100k) : null);
        j.put("heap_bounded", hc.beforeMb >= 0 && hc.afterMb >= 0 ? hc.bounded : null);
        j.put("init_rows_s", round(initRate().median()));
        j.put("init_rows_s_note", initRuns().isEmpty() ? "not measured in this run" : INIT_TIMED + "; " + initSettings());
        j.put("jdbc_read_rows_s", round(jdbc().median()));
        j.put("init_vs_jdbc", round2(initVsJdbc().median()));
        j.put("sluice_cpu_s_per_10k", round3(toolFigure(Bench.SLUICE, x -> x.cpuPer10kMixed).median()));
        j.put("sluice_jit_cpu_s_per_10k", round3(toolFigure(Bench.SLUICE, Report::jitCpuPer10kMixed).median()));
        j.put("pipeline_limit_eps", round(pipeline("mixed").median()));
        j.put("pipeline_floor_cpu_s_per_10k", round3(floorCpu("mixed").median()));
        j.put("sluice_vs_pipeline_limit", round2(vsPipeline("mixed").median()));
        j.put("sluice_steady_eps", round(steady("mixed").median()));
        j.put("mysqld_cpu_s_per_10k", round3(processCpu(Bench.SLUICE, "mysqld").median()));
        j.put("kafka_cpu_s_per_10k", round3(processCpu(Bench.SLUICE, "kafka").median()));
        j.put("p99_ms_20k", round2(latencyAt(20000, w -> w.p99Ms).median()));
        j.put("p50_ms_20k", round2(latencyAt(20000, w -> w.p50Ms).median()));
        j.put("init_pipeline_limit_rows_s", round(initPipeline().median()));
        j.put("init_vs_pipeline_limit", round2(initVsPipeline().median()));
        j.put("init_second_half_rows_s", round(initSecondHalfRate().median()));
        j.put("init_second_half_vs_pipeline_limit", round2(initSecondHalfVsPipeline().median()));
        j.put("init_second_half_cpu_s_per_10k_rows", round3(initSecondHalfCpu().median()));
        j.put("init_cpu_s_per_10k_rows", round3(init(x -> x.cpuPer10k).median()));
        j.put("init_cpu_budget_80_s_per_10k_rows", round3(initCpuBudget().median()));
        j.put("init_cpu_budget_80_at_limit_servers_s_per_10k_rows", round3(initCpuBudgetAtLimitServers().median()));
        j.put("init_to_first_record_s", round2(init(x -> x.toFirstRecordSeconds).median()));
        j.put("init_table_rows", initRuns().isEmpty() ? null : initRuns().get(0).rows);
        j.put("partitions_1_eps", round(partitionEps(1, false).median()));
        j.put("partitions_n_eps", round(partitionEps(Integer.parseInt(setting("partitionCount")), false).median()));
        j.put("partitions_n", Integer.parseInt(setting("partitionCount")));
        j.put("phase_seconds", r.phaseSeconds);
        j.put("debezium_cpu_s_per_10k", round3(toolFigure(Bench.DEBEZIUM, x -> x.cpuPer10kMixed).median()));
        j.put("sluice_peak_heap_mb", round(toolFigure(Bench.SLUICE, x -> (double) x.heap.peakUsedMb()).max()));
        j.put("debezium_peak_heap_mb", round(toolFigure(Bench.DEBEZIUM, x -> (double) x.heap.peakUsedMb()).max()));
        // issue 13: the formats phase (mixed workload, events/s; the same backlog per repetition)
        CatchUpTable f = formats();
        j.put("dts_avro_eps", round(f.eps(FormatsPhase.DTS_AVRO, "mixed").median()));
        j.put("canal_json_eps", round(f.eps("canalJson", "mixed").median()));
        j.put("debezium_json_eps", round(f.eps("debeziumJson", "mixed").median()));
        // issue 16: the connect phase
        CatchUpTable c = connect();
        j.put("connect_cli_eps", round(c.eps(ConnectPhase.CLI, "mixed").median()));
        j.put("connect_sluice_eps", round(c.eps(ConnectPhase.SLUICE_CONNECTOR, "mixed").median()));
        j.put("connect_debezium_eps", round(c.eps(ConnectPhase.DEBEZIUM_CONNECTOR, "mixed").median()));
        j.put("connect_sluice_vs_debezium", round2(connectSluiceVsDebezium().median()));

        Map<String, Object> spread = new LinkedHashMap<>();
        spread.put("sluice_eps", st(sluice("mixed")));
        spread.put("debezium_eps", st(debezium("mixed")));
        spread.put("binlog_limit_eps", st(binlog("mixed")));
        spread.put("kafka_limit_eps", st(kafka("mixed")));
        spread.put("sluice_vs_debezium", st(vsDebezium("mixed")));
        spread.put("sluice_vs_limit", st(vsLimit("mixed")));
        spread.put("debezium_vs_sluice_cpu_per_event", st(cpuRatio(true)));
        spread.put("p50_ms", st(latency(w -> w.p50Ms)));
        spread.put("p99_ms", st(latency(w -> w.p99Ms)));
        spread.put("max_ms", st(latency(w -> w.maxMs)));
        spread.put("jdbc_read_rows_s", st(jdbc()));
        spread.put("init_rows_s", st(initRate()));
        spread.put("init_vs_jdbc", st(initVsJdbc()));
        j.put("spread", spread);

        Map<String, Object> workloads = new LinkedHashMap<>();
        for (String w : Bench.WORKLOADS) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sluice_eps", st(sluice(w)));
            m.put("debezium_eps", st(debezium(w)));
            m.put("binlog_limit_eps", st(binlog(w)));
            m.put("kafka_limit_eps", st(kafka(w)));
            m.put("sluice_vs_debezium", st(vsDebezium(w)));
            m.put("sluice_vs_limit", st(vsLimit(w)));
            workloads.put(w, m);
        }
        j.put("workloads", workloads);
        j.put("targets", targets().stream().map(t -> { // in this order on every render (Map.of's order is not fixed)
            Map<String, String> m = new LinkedHashMap<>();
            m.put("target", t[0]);
            m.put("measured", t[1]);
            m.put("status", t[2]);
            return m;
        }).toList());

        Map<String, Object> big = new LinkedHashMap<>();
        big.put("rows", r.big.rows);
        big.put("records", r.big.records);
        big.put("heap", r.big.heap);
        big.put("ok", r.big.ok);
        big.put("eps", round(r.big.eps));
        if (r.big.heapFigures != null) {
            big.put("peak_heap_mb", r.big.heapFigures.peakUsedMb());
            big.put("max_live_after_gc_mb", r.big.heapFigures.maxAfterGcMb());
            big.put("gcs", r.big.heapFigures.gcs());
        }
        big.put("peak_rss_mb", r.big.peakRssMb);
        big.put("exit_code", r.big.exitCode);
        j.put("big_transaction", big);

        List<Map<String, Object>> inits = new ArrayList<>();
        List<Bench.InitRun> all = new ArrayList<>(initRuns());
        if (r.initProfileRun != null) all.add(r.initProfileRun);
        for (Bench.InitRun x : all) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rep", x.rep == 0 ? "profile (JFR, not counted)" : x.rep);
            m.put("ok", x.ok);
            if (x.error != null) m.put("error", x.error);
            m.put("rows", x.rows);
            m.put("init_records", x.initRecords);
            m.put("other_records", x.otherRecords);
            m.put("seconds", round2(x.seconds));
            m.put("rows_s", round(x.rowsPerSecond));
            m.put("jdbc_read_rows_s", round(x.jdbcRowsPerSecond));
            m.put("vs_jdbc", round2(x.vsJdbc()));
            m.put("to_first_record_s", round2(x.toFirstRecordSeconds));
            m.put("quiet_wait_before_start_s", round2(x.quietWaitSeconds));
            m.put("steady_rows_s", round(x.steadyRowsPerSecond));
            m.put("second_half_rows_s", round(x.secondHalfRowsPerSecond));
            m.put("second_half_cpu_s_per_10k_rows", round3(x.secondHalfCpuPer10k));
            m.put("second_half_jit_cpu_s_per_10k_rows", round3(jitPart(x.secondHalfCpuPer10k, x.secondHalfThreads)));
            m.put("last_append_to_commit_seen_s", round2(x.lastAppendToCommitSeconds));
            m.put("cpu_s_per_10k_rows", round3(x.cpuPer10k));
            m.put("server_cpu_s_per_10k_rows", rounded3(x.serverCpuPer10k));
            m.put("second_half_server_cpu_s_per_10k_rows", rounded3(x.secondHalfServerCpuPer10k));
            m.put("pipeline_limit_cpu_s_per_10k_rows", round3(x.pipelineCpuPer10k));
            m.put("cpu_budget_80_s_per_10k_rows", round3(x.cpuBudgetPer10k(0.8)));
            m.put("cpu_budget_80_at_limit_servers_s_per_10k_rows", round3(x.cpuBudgetAtLimitServersPer10k(0.8)));
            m.put("chunk_size", x.chunkSize);
            m.put("readers", x.readers);
            if (x.heap != null) {
                m.put("peak_heap_mb", x.heap.peakUsedMb());
                m.put("max_live_after_gc_mb", x.heap.maxAfterGcMb());
            }
            m.put("peak_rss_mb", x.peakRssMb);
            Map<String, Object> th = new LinkedHashMap<>();
            x.threads.entrySet().stream().limit(8).forEach(e -> th.put(e.getKey(), round2(e.getValue())));
            m.put("thread_cpu_share", th);
            m.put("exit_code", x.exitCode);
            m.put("load_average", round2(x.load));
            inits.add(m);
        }
        j.put("initialization", inits);

        List<Map<String, Object>> runs = new ArrayList<>();
        for (ToolRun t : r.runs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tool", t.tool);
            m.put("rep", t.rep);
            m.put("ok", t.ok);
            if (t.error != null) m.put("error", t.error);
            m.put("eps", rounded(t.eps));
            m.put("steady_eps", rounded(t.steadyEps));
            m.put("process_cpu_s_per_10k_mixed", rounded3(t.processCpuPer10kMixed));
            m.put("cpu_s_per_10k_mixed", round3(t.cpuPer10kMixed));
            m.put("cpu_s_per_10k_all", round3(t.cpuPer10kAll));
            if (t.heap != null) {
                m.put("peak_heap_mb", t.heap.peakUsedMb());
                m.put("max_live_after_gc_mb", t.heap.maxAfterGcMb());
                m.put("gcs", t.heap.gcs());
            }
            m.put("peak_rss_mb", t.peakRssMb);
            m.put("bytes_per_record", round(t.bytesPerRecord));
            m.put("extra_records", t.extra);
            m.put("load_average", round2(t.load));
            runs.add(m);
        }
        j.put("runs", runs);
        Map<String, Object> formats = f.json();
        formats.put("runs", f.runs.stream().map(Report::runJson).toList());
        j.put("formats", formats);
        Map<String, Object> connect = new LinkedHashMap<>(r.connectSetup == null ? Map.of() : r.connectSetup);
        connect.putAll(c.json());
        connect.put("runs", c.runs.stream().map(Report::runJson).toList());
        j.put("connect", connect);
        Map<String, Object> limits = new LinkedHashMap<>();
        r.limits.forEach((k, m) -> {
            Map<String, Object> per = new LinkedHashMap<>();
            m.forEach((rep, l) -> {
                Map<String, Object> eps = new LinkedHashMap<>();
                l.eps.forEach((w, v) -> eps.put(w, round(v)));
                per.put("rep" + rep, eps);
            });
            limits.put(k, per);
        });
        j.put("limits", limits);
        j.put("init_pipeline", r.initPipeline.stream().map(m -> {
            Map<String, Object> o = new LinkedHashMap<>();
            m.forEach((k, v) -> o.put(k, k.contains("cpu") ? round3(v) : round(v))); // CPU s per 10k rows are below 1
            return o;
        }).toList());
        j.put("partitions", r.partitionRuns.stream().map(x -> {
            Map<String, Object> m = runJson(x);
            m.put("partitions", x.partitions);
            m.put("steady_eps", rounded(x.steadyEps));
            m.put("process_cpu_s_per_10k_mixed", rounded3(x.processCpuPer10kMixed));
            return m;
        }).toList());
        Map<String, Object> lat = new LinkedHashMap<>();
        r.latencyAt.forEach((rate, ws) -> {
            Map<String, Object> at = new LinkedHashMap<>(); // one key order on every render
            at.put("p50_ms", round2(Stats.of(ws.stream().map(w -> w.p50Ms).toList()).median()));
            at.put("p99_ms", round2(Stats.of(ws.stream().map(w -> w.p99Ms).toList()).median()));
            at.put("max_ms", round2(Stats.of(ws.stream().map(w -> w.maxMs).toList()).median()));
            lat.put(String.valueOf(rate), at);
        });
        j.put("latency_at", lat);
        j.put("source_write_rates", r.generation);
        j.put("setup", r.setup);
        j.put("notes", r.notes);
        j.put("elapsed_s", r.elapsedSeconds);
        return j;
    }

    static Map<String, Object> runJson(ToolRun t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tool", t.tool);
        m.put("rep", t.rep);
        m.put("ok", t.ok);
        if (t.error != null) m.put("error", t.error);
        m.put("eps", rounded(t.eps));
        m.put("cpu_s_per_10k_mixed", round3(t.cpuPer10kMixed));
        m.put("cpu_s_per_10k_all", round3(t.cpuPer10kAll));
        if (t.heap != null) {
            m.put("peak_heap_mb", t.heap.peakUsedMb());
            m.put("max_live_after_gc_mb", t.heap.maxAfterGcMb());
        }
        m.put("peak_rss_mb", t.peakRssMb);
        m.put("bytes_per_record", round(t.bytesPerRecord));
        m.put("extra_records", t.extra);
        Map<String, Object> th = new LinkedHashMap<>();
        t.threadsMixed.entrySet().stream().limit(6).forEach(e -> th.put(e.getKey(), round2(e.getValue())));
        m.put("thread_cpu_share_mixed", th);
        m.put("load_average", round2(t.load));
        return m;
    }

    CatchUpTable formats() {
        List<ToolRun> runs = r.formatRuns == null ? List.of() : r.formatRuns;
        return new CatchUpTable(runs, FormatsPhase.order(runs), FormatsPhase.DTS_AVRO, compareReps);
    }

    CatchUpTable connect() {
        List<ToolRun> runs = r.connectRuns == null ? List.of() : r.connectRuns;
        return new CatchUpTable(runs, ConnectPhase.tools(runs), ConnectPhase.CLI, compareReps);
    }

    /** Sluice's connector over Debezium's, per repetition (mixed). */
    Stats connectSluiceVsDebezium() {
        CatchUpTable c = connect();
        return series(compareReps, i -> {
            ToolRun s = c.run(ConnectPhase.SLUICE_CONNECTOR, i), d = c.run(ConnectPhase.DEBEZIUM_CONNECTOR, i);
            Double a = s == null ? null : s.eps.get("mixed"), b = d == null ? null : d.eps.get("mixed");
            return a == null || b == null ? null : a / b;
        });
    }

    static Map<String, Object> st(Stats s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", round2(s.median()));
        m.put("min", round2(s.min()));
        m.put("max", round2(s.max()));
        m.put("runs", s.n());
        return m;
    }

    static Object round(Double d) { return d == null || d.isNaN() ? null : (Object) Math.round(d); }
    static Object round2(Double d) { return d == null || d.isNaN() ? null : (Object) (Math.round(d * 100) / 100.0); }
    static Object round3(Double d) { return d == null || d.isNaN() ? null : (Object) (Math.round(d * 1000) / 1000.0); }

    // ------------------------------------------------------------------------------------------
    // targets

    /** {target, measured, status}. */
    List<String[]> targets() {
        List<String[]> t = new ArrayList<>();
        Stats vp = vsPipeline("mixed");
        t.add(new String[] {"Streaming, mixed, sustained: ≥ 80% of the pipeline limit (binlog client + producer of Sluice's records, together)",
                vp.median() == null ? "n/a" : eps(sluice("mixed")) + " vs " + eps(pipeline("mixed")) + " events/s: " + pct(vp)
                        + "; steady state " + eps(steady("mixed")),
                status(vp.median(), 0.8, true)});
        Stats vd = vsDebezium("mixed");
        t.add(new String[] {"Streaming, mixed, sustained: ≥ 10× Debezium embedded",
                vd.median() == null ? "n/a" : ratio(vd) + "; cross-check, Debezium's CPU per event over Sluice's: "
                        + ratio(cpuRatio(true)), status(vd.median(), 10.0, true)});
        Stats cpu = toolFigure(Bench.SLUICE, x -> x.cpuPer10kMixed);
        t.add(new String[] {"Sluice's CPU ≤ 0.055 s per 10k mixed events, sustained",
                cpu.median() == null ? "n/a" : num(cpu, "%.3f") + " s, of it JIT compilation "
                        + num(toolFigure(Bench.SLUICE, Report::jitCpuPer10kMixed), "%.3f") + " (mysqld " + num(processCpu(Bench.SLUICE, "mysqld"), "%.3f")
                        + ", broker " + num(processCpu(Bench.SLUICE, "kafka"), "%.3f") + ")",
                status(cpu.median() == null ? null : -cpu.median(), -0.055, true)});
        Stats ip = initVsPipeline();
        t.add(new String[] {"Initialization ≥ 80% of its pipeline limit (JDBC chunk reads + producer, together)",
                ip.median() == null ? "n/a" : eps(initRate()) + " vs " + eps(initPipeline()) + " rows/s: " + pct(ip)
                        + secondHalfNote() + budgetNote(),
                status(ip.median(), 0.8, true)});
        Stats first = init(x -> x.toFirstRecordSeconds);
        t.add(new String[] {"Initialization: process start to the first INIT record < 1.5 s",
                first.median() == null ? "n/a" : num(first, "%.2f") + " s", status(first.median(), 1.5, false)});
        List<Bench.InitRun> inits = initRuns();
        long initRows = inits.isEmpty() ? 0 : inits.get(0).rows;
        boolean initOk = !inits.isEmpty() && inits.stream().allMatch(x -> x.ok);
        t.add(new String[] {"Initialization of a 5M-row table with -Xmx" + setting("toolHeap"),
                inits.isEmpty() ? "n/a" : String.format("%,d rows: %s", initRows, initOk ? "every run complete" : "a run FAILED"),
                inits.isEmpty() ? "not measured" : initOk && initRows >= 5_000_000 ? "met" : "MISSED"});
        Stats p99 = latency(w -> w.p99Ms);
        t.add(new String[] {"p99 latency < 50 ms at " + Integer.parseInt(setting("latencyRate")) + " events/s",
                p99.median() == null ? "n/a" : ms(p99), status(p99.median(), 50.0, false)});
        Stats p99b = latencyAt(20000, w -> w.p99Ms);
        t.add(new String[] {"p99 latency at 20000 events/s (reported)",
                p99b.median() == null ? "n/a" : ms(p99b) + " (p50 " + ms(latencyAt(20000, w -> w.p50Ms)) + ")",
                p99b.median() == null ? "not measured" : "reported"});
        int parts = Integer.parseInt(setting("partitionCount"));
        Stats pn = partitionEps(parts, false), p1 = partitionEps(1, false);
        t.add(new String[] {"partitionBy primaryKey over " + parts + " partitions beside 1 partition (mixed, reported)",
                pn.median() == null || p1.median() == null ? "n/a"
                        : eps(pn) + " vs " + eps(p1) + " events/s (" + String.format("%.0f%%", 100 * pn.median() / p1.median()) + ")",
                pn.median() == null ? "not measured" : "reported"});
        t.add(new String[] {"1M-row transaction passes with the heap capped at " + setting("bigHeap"),
                r.big.records == 0 && !r.big.ok ? "n/a" : (r.big.ok ? "pass" : "FAIL") + " (" + r.big.records + " of " + r.big.rows + " records)",
                r.big.records == 0 && !r.big.ok ? "not measured" : r.big.ok ? "met" : "MISSED"});
        var hc = r.heapCheck;
        boolean hcMeasured = hc.beforeMb >= 0 && hc.afterMb >= 0;
        t.add(new String[] {"(not in the issue) retained heap stays flat over " + String.format("%,d", hc.transactions)
                + " single-row transactions (-Xmx" + hc.heap + ")",
                hcMeasured ? String.format("%d → %d MB after full GC, %+.1f MB per 100k transactions%s", hc.beforeMb, hc.afterMb,
                        hc.growthMbPer100k, hc.outOfMemory ? ", OutOfMemoryError" : "") : "n/a",
                hcMeasured ? (hc.bounded ? "met" : "MISSED") : "not measured"});
        return t;
    }

    /** Sustained and steady-state rates, the pipeline limit, CPU per process, partitions, latency at further loads. */
    String machineLimitSection() {
        StringBuilder md = new StringBuilder("\n## What the machine allows (issue 15)\n\n");
        md.append("Sustained runs: whole-run rate beside the steady state (without each workload's first and last second). "
                + "*Pipeline limit*: the binlog client reading the workload's binlog range and one producer re-sending the records "
                + "Sluice wrote, at the same time (what a Sluice that cost nothing would reach); *alone*: each side by itself.\n\n");
        md.append("| workload | Sluice | Sluice steady state | pipeline limit | … binlog / Kafka side while together | binlog alone | Kafka alone | Sluice / pipeline |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String w : Bench.WORKLOADS) {
            md.append("| ").append(workloadName(w)).append(" | ").append(eps(sluice(w))).append(" | ").append(eps(steady(w)))
                    .append(" | ").append(eps(pipeline(w))).append(" | ")
                    .append(eps(series(i -> limitEps("pipeline-binlog", w, i)))).append(" / ")
                    .append(eps(series(i -> limitEps("pipeline-kafka", w, i)))).append(" | ")
                    .append(eps(binlog(w))).append(" | ").append(eps(kafka(w))).append(" | ").append(pct(vsPipeline(w))).append(" |\n");
        }
        md.append("\nCPU seconds per 10k events of each process during the mixed workload (the machine has 2 cores: "
                + "at the tool's rate, CPU s per 10k × events/s / 10k = cores busy). *Of it, its JIT compiler threads*: the "
                + "tool's figure times their share of its threads' CPU in the window (sampled per thread): compiling is a "
                + "one-time cost, still visible after the workloads before it because each change of workload shape makes the JVM "
                + "recompile the hot paths with the new profile.\n\n");
        md.append("| run | tool | of it, its JIT compiler threads | mysqld | broker | sum | cores busy at that rate |\n"
                + "|---|---:|---:|---:|---:|---:|---:|\n");
        List<ToolRun> all = new ArrayList<>(r.runs);
        all.addAll(r.partitionRuns);
        for (ToolRun x : all) {
            if (!x.ok || x.processCpuPer10kMixed.isEmpty()) continue;
            double tool = x.cpuPer10kMixed;
            Double my = x.processCpuPer10kMixed.get("mysqld"), k = x.processCpuPer10kMixed.get("kafka");
            double sum = tool + (my == null ? 0 : my) + (k == null ? 0 : k);
            Double rate = x.eps.get("mixed");
            String name = r.partitionRuns.contains(x) ? "Sluice, " + x.partitions + " partition(s)" : x.tool + " rep " + x.rep;
            Double jit = jitCpuPer10kMixed(x);
            md.append(String.format("| %s | %.3f | %s | %s | %s | %.3f | %s |%n", name, tool, jit == null ? "–" : String.format("%.3f", jit),
                    my == null ? "–" : String.format("%.3f", my),
                    k == null ? "–" : String.format("%.3f", k), sum, rate == null ? "–" : String.format("%.2f", sum * rate / 10_000)));
        }
        md.append(pipelineCpu());
        int parts = Integer.parseInt(setting("partitionCount"));
        if (!r.partitionRuns.isEmpty()) {
            md.append(String.format("%n`partitionBy: primaryKey` over %d partitions beside 1 partition (%s mixed events after a warm-up, "
                            + "Sluice, one job after the other): %s vs %s events/s (steady state %s vs %s).%n", parts,
                    String.format("%,d", Integer.parseInt(setting("partitionEvents"))), eps(partitionEps(parts, false)),
                    eps(partitionEps(1, false)), eps(partitionEps(parts, true)), eps(partitionEps(1, true))));
        }
        r.latencyAt.forEach((rate, ws) -> md.append(String.format("%nLatency at %,d events/s offered (as at %s; the writer achieved %,.0f events/s): "
                        + "p50 %s, p99 %s, max %s; commit → broker append p99 %s.%n", rate, setting("latencyRate"),
                ws.stream().mapToLong(w -> w.events).sum() / Math.max(1e-9, ws.stream().mapToDouble(w -> w.seconds).sum()),
                ms(Stats.of(ws.stream().map(w -> w.p50Ms).toList())), ms(Stats.of(ws.stream().map(w -> w.p99Ms).toList())),
                ms(Stats.of(ws.stream().map(w -> w.maxMs).toList())), ms(Stats.of(ws.stream().map(w -> w.appendP99Ms).toList())))));
        if (!r.phaseSeconds.isEmpty()) {
            md.append("\nSeconds per phase of this run: ");
            List<String> ps = new ArrayList<>();
            r.phaseSeconds.forEach((k, v) -> ps.add(k + " " + v));
            md.append(String.join(", ", ps)).append(".\n");
        }
        return md.toString();
    }

    /**
     * The CPU the pipeline limit's own measurements took (the harness process runs them): what
     * reading the binlog and sending Sluice's records cost with nothing in between.
     */
    String pipelineCpu() {
        if (!r.limits.containsKey("binlog-bare")) return "";
        StringBuilder md = new StringBuilder();
        md.append("\nWhat the pipeline limit itself costs: CPU seconds per 10k events of the harness process that runs its "
                + "measurements (every thread, GC and JIT included, as for the tools; its JVM is long-lived, so warm). "
                + "*Binlog, rows not decoded*: the binlog client reading the same range with each rows event taken as bytes "
                + "(its table id kept), the least a binlog reader does; *floor*: that plus the producer alone, what a Sluice "
                + "on the same binlog client and Kafka producer would spend if its own work (decoding cells, routing, encoding, "
                + "checkpoints) cost nothing. Single-row workloads only (each rows event is one row).\n\n");
        md.append("| workload | binlog client alone (its deserializers) | binlog, rows not decoded: process (its reading thread, median) | producer alone: process "
                + "(sending thread / network thread, medians) | both together | floor | Sluice | mysqld / broker while together |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String w : List.of("mixed", "single")) {
            md.append("| ").append(workloadName(w)).append(" | ")
                    .append(num(limitCpu("binlog", w, Pipeline.Cpu::process), "%.3f")).append(" | ")
                    .append(num(limitCpu("binlog-bare", w, Pipeline.Cpu::process), "%.3f")).append(" (")
                    .append(median(limitCpu("binlog-bare", w, Pipeline.Cpu::source), "%.3f")).append(") | ")
                    .append(num(limitCpu("kafka", w, Pipeline.Cpu::process), "%.3f")).append(" (")
                    .append(median(limitCpu("kafka", w, Pipeline.Cpu::send), "%.3f")).append(" / ")
                    .append(median(limitCpu("kafka", w, Pipeline.Cpu::network), "%.3f")).append(") | ")
                    .append(num(limitCpu("pipeline", w, Pipeline.Cpu::process), "%.3f")).append(" | **")
                    .append(num(floorCpu(w), "%.3f")).append("** | ")
                    .append(w.equals("mixed") ? num(toolFigure(Bench.SLUICE, x -> x.cpuPer10kMixed), "%.3f") : "–").append(" | ")
                    .append(num(limitCpu("pipeline", w, c -> c.server("mysqld")), "%.3f")).append(" / ")
                    .append(num(limitCpu("pipeline", w, c -> c.server("kafka")), "%.3f")).append(" |\n");
        }
        return md.toString();
    }

    static String status(Double v, double threshold, boolean atLeast) {
        if (v == null) return "not measured";
        return (atLeast ? v >= threshold : v < threshold) ? "met" : "MISSED";
    }

    // ------------------------------------------------------------------------------------------
    // formatting

    static String eps(Stats s) {
        if (s.median() == null) return "n/a";
        return s.n() > 1 ? String.format("%,.0f (%,.0f–%,.0f)", s.median(), s.min(), s.max()) : String.format("%,.0f", s.median());
    }

    static String ratio(Stats s) {
        if (s.median() == null) return "n/a";
        return s.n() > 1 ? String.format("%.2f× (%.2f–%.2f)", s.median(), s.min(), s.max()) : String.format("%.2f×", s.median());
    }

    static String pct(Stats s) {
        if (s.median() == null) return "n/a";
        return s.n() > 1 ? String.format("%.0f%% (%.0f–%.0f)", 100 * s.median(), 100 * s.min(), 100 * s.max())
                : String.format("%.0f%%", 100 * s.median());
    }

    static String ms(Stats s) {
        if (s.median() == null) return "n/a";
        return s.n() > 1 ? String.format("%.1f ms (%.1f–%.1f)", s.median(), s.min(), s.max()) : String.format("%.1f ms", s.median());
    }

    /** The median alone (inside another figure's brackets). */
    static String median(Stats s, String fmt) {
        return s.median() == null ? "n/a" : String.format(fmt, s.median());
    }

    static String num(Stats s, String fmt) {
        if (s.median() == null) return "n/a";
        return s.n() > 1 ? String.format(fmt + " (" + fmt + "–" + fmt + ")", s.median(), s.min(), s.max()) : String.format(fmt, s.median());
    }

    // ------------------------------------------------------------------------------------------
    // Markdown

    String markdown() throws Exception {
        StringBuilder md = new StringBuilder();
        md.append("# Performance\n\n");
        md.append("Written by `bench/run.sh` (see `bench/README.md`); do not edit by hand: the hand-written part is ")
                .append("`bench/analysis.md`, copied into the Analysis section below.\n\n");
        md.append("- **Date**: ").append(r.date).append("\n");
        md.append("- **Sluice**: ").append(r.commit).append("\n");
        md.append("- **Machine**: ").append(r.machine).append(" (shared with other work: expect noise; ratios are taken within one repetition)\n");
        md.append("- **Servers**: MySQL 5.7.22 (binlog ROW/FULL, GTIDs on, `sync_binlog=0`, `innodb_flush_log_at_trx_commit=2`), ")
                .append("Kafka 3.9.1 single node (KRaft), all on 127.0.0.1, started by `scripts/servers.sh`\n");
        md.append("- **Repetitions**: ").append(reps).append("; every figure is the median with the min–max spread in brackets. ")
                .append("Whole run: ").append(r.elapsedSeconds).append(" s.\n\n");
        md.append("![throughput and latency](performance.png)\n\n");

        md.append("## Targets (issue 15)\n\n| target | measured | |\n|---|---|---|\n");
        for (String[] t : targets()) md.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");

        md.append("\n## Streaming throughput (events/s written to Kafka and acknowledged)\n\n");
        md.append("| workload | Sluice | Debezium embedded | binlog read limit | Kafka produce limit | Sluice / Debezium | Sluice / min(limits) |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (String w : Bench.WORKLOADS) {
            md.append("| ").append(workloadName(w)).append(" | ").append(eps(sluice(w))).append(" | ").append(eps(debezium(w)))
                    .append(" | ").append(eps(binlog(w))).append(" | ").append(eps(kafka(w))).append(" | ")
                    .append(ratio(vsDebezium(w))).append(" | ").append(pct(vsLimit(w))).append(" |\n");
        }
        md.append(String.format("%nCross-check that machine load hardly moves: Debezium spends %s the CPU time per event that Sluice "
                + "spends on the mixed workload, %s over all three (median over the repetitions).%n",
                ratio(cpuRatio(true)), ratio(cpuRatio(false))));
        md.append("\nPer repetition (events/s; batch / single / mixed; machine load average at the end of each tool's run):\n\n"
                + "| rep | Sluice | Debezium | binlog limit | Kafka limit | load (Sluice, Debezium) |\n|---|---|---|---|---|---|\n");
        for (int i = 1; i <= reps; i++) {
            int rep = i;
            md.append("| ").append(i).append(" | ").append(triple(w -> toolEps(Bench.SLUICE, w, rep))).append(" | ")
                    .append(triple(w -> toolEps(Bench.DEBEZIUM, w, rep))).append(" | ")
                    .append(triple(w -> limitEps("binlog", w, rep))).append(" | ")
                    .append(triple(w -> limitEps("kafka", w, rep))).append(" | ")
                    .append(load(Bench.SLUICE, rep)).append(", ").append(load(Bench.DEBEZIUM, rep)).append(" |\n");
        }
        for (ToolRun t : r.runs) {
            if (!t.ok) md.append("\n").append(t.tool).append(" failed in repetition ").append(t.rep).append(": ").append(t.error).append("\n");
        }

        md.append(machineLimitSection());
        md.append("\n## Resources during catch-up (mixed workload)\n\n");
        md.append("| | Sluice | Debezium embedded |\n|---|---:|---:|\n");
        md.append("| CPU seconds per 10k events (mixed) | ").append(num(toolFigure(Bench.SLUICE, x -> x.cpuPer10kMixed), "%.2f"))
                .append(" | ").append(num(toolFigure(Bench.DEBEZIUM, x -> x.cpuPer10kMixed), "%.2f")).append(" |\n");
        md.append("| CPU seconds per 10k events (all three workloads) | ").append(num(toolFigure(Bench.SLUICE, x -> x.cpuPer10kAll), "%.2f"))
                .append(" | ").append(num(toolFigure(Bench.DEBEZIUM, x -> x.cpuPer10kAll), "%.2f")).append(" |\n");
        md.append("| peak heap used, MB (largest before a GC; -Xmx").append(setting("toolHeap")).append(") | ")
                .append(num(toolFigure(Bench.SLUICE, x -> (double) x.heap.peakUsedMb()), "%.0f")).append(" | ")
                .append(num(toolFigure(Bench.DEBEZIUM, x -> (double) x.heap.peakUsedMb()), "%.0f")).append(" |\n");
        md.append("| heap live after GC, MB (largest) | ")
                .append(num(toolFigure(Bench.SLUICE, x -> (double) x.heap.maxAfterGcMb()), "%.0f")).append(" | ")
                .append(num(toolFigure(Bench.DEBEZIUM, x -> (double) x.heap.maxAfterGcMb()), "%.0f")).append(" |\n");
        md.append("| GCs per run | ")
                .append(num(toolFigure(Bench.SLUICE, x -> (double) x.heap.gcs()), "%.0f")).append(" | ")
                .append(num(toolFigure(Bench.DEBEZIUM, x -> (double) x.heap.gcs()), "%.0f")).append(" |\n");
        md.append("| peak RSS, MB | ")
                .append(num(toolFigure(Bench.SLUICE, x -> (double) x.peakRssMb), "%.0f")).append(" | ")
                .append(num(toolFigure(Bench.DEBEZIUM, x -> (double) x.peakRssMb), "%.0f")).append(" |\n");
        md.append("| bytes per record in Kafka (key + value, uncompressed) | ")
                .append(num(toolFigure(Bench.SLUICE, x -> x.bytesPerRecord), "%.0f")).append(" | ")
                .append(num(toolFigure(Bench.DEBEZIUM, x -> x.bytesPerRecord), "%.0f")).append(" |\n");

        md.append("\nBusiest threads during the mixed workload (CPU as a share of one core, median over the repetitions; "
                + "a thread near 100% is the stage that limits the tool, as long as the machine has a core to spare):\n\n");
        for (String tool : List.of(Bench.SLUICE, Bench.DEBEZIUM)) {
            Map<String, Stats> th = threadShares(tool);
            List<String> parts = new ArrayList<>();
            th.entrySet().stream().limit(6).forEach(e -> parts.add(String.format("`%s` %.0f%%", e.getKey(), 100 * e.getValue().median())));
            md.append("- ").append(tool.equals(Bench.SLUICE) ? "Sluice" : "Debezium").append(": ")
                    .append(parts.isEmpty() ? "n/a" : String.join(", ", parts)).append("\n");
        }

        md.append(formatsSection()).append(connectSection());

        md.append("\n## End-to-end latency at ").append(Integer.parseInt(setting("latencyRate"))).append(" events/s (Sluice)\n\n");
        md.append("Source commit → record readable by a `read_committed` consumer. ")
                .append(String.format("p50 %s, p99 %s, max %s (medians over the windows).%n%n",
                        ms(latency(w -> w.p50Ms)), ms(latency(w -> w.p99Ms)), ms(latency(w -> w.maxMs))));
        md.append("| window | events | seconds (achieved events/s) | p50 ms | p99 ms | max ms | commit → broker append p50 / p99 ms | Sluice CPU % | CPU s / 10k events |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        int k = 1;
        for (LatencyWindow w : r.latency) {
            md.append(String.format("| %d | %,d | %.1f (%,.0f) | %.1f | %.1f | %.1f | %.1f / %.1f | %.0f | %.2f |%n", k++, w.events, w.seconds,
                    w.offered / w.seconds, w.p50Ms,
                    w.p99Ms, w.maxMs, w.appendP50Ms, w.appendP99Ms, w.cpuPercent, w.cpuPer10k));
        }

        var b = r.big;
        md.append("\n## One transaction of ").append(String.format("%,d", b.rows)).append(" rows, Sluice heap capped at ")
                .append(b.heap).append("\n\n");
        if (b.heapFigures != null) {
            md.append(String.format("**%s**: %,d of %,d records in Kafka, %s events/s, peak heap used %d MB, live after GC at most %d MB, "
                            + "%d GCs, peak RSS %d MB, exit code %d, %s. The source took %.1f s to commit the transaction.%n",
                    b.ok ? "PASS" : "FAIL", b.records, b.rows, b.eps == null ? "n/a" : String.format("%,.0f", b.eps),
                    b.heapFigures.peakUsedMb(), b.heapFigures.maxAfterGcMb(), b.heapFigures.gcs(), b.peakRssMb, b.exitCode,
                    b.outOfMemory ? "OutOfMemoryError" : "no OutOfMemoryError", b.sourceSeconds));
            if (b.why != null) md.append("\nLast log lines: `").append(b.why.replace("`", "'")).append("`\n");
        } else {
            md.append("not measured\n");
        }

        var hc = r.heapCheck;
        if (hc.beforeMb >= 0 || hc.afterMb >= 0) {
            md.append(String.format("%n## Retained heap over %,d single-row transactions (-Xmx%s)%n%n", hc.transactions, hc.heap));
            md.append(String.format("Sluice streams %,d single-row autocommit INSERTs as they are written (%.0f s); heap left after a "
                            + "full GC (`jcmd GC.run`) before: %d MB, after: %d MB: **%+.1f MB per 100k transactions, %s**%s.%n",
                    hc.transactions, hc.seconds, hc.beforeMb, hc.afterMb, hc.growthMbPer100k,
                    hc.bounded ? "bounded" : "it grows with the number of transactions (a leak: a long-running job runs out of heap)",
                    hc.outOfMemory ? "; OutOfMemoryError" : ""));
        }

        md.append("\n## Initialization vs its pipeline limit and a plain JDBC read (`" + r.initTable + "`, "
                + (initRuns().isEmpty() ? "" : String.format("%,d rows, ", initRuns().get(0).rows)) + "16 columns)\n\n");
        md.append("| | rows/s |\n|---|---:|\n");
        md.append("| full-data initialization (`init_rows_s`) | ").append(eps(initRate())).append(" |\n");
        md.append("| pipeline limit: Sluice's chunk queries over JDBC + producing its INIT records, together (`init_pipeline_limit_rows_s`) | ")
                .append(eps(initPipeline())).append(" |\n");
        md.append("| … its JDBC side / its producer side (while together) | ")
                .append(eps(initPipelineFigure("jdbc_rows_s"))).append(" / ")
                .append(eps(initPipelineFigure("kafka_rows_s"))).append(" |\n");
        md.append("| initialization / pipeline limit, per repetition | ").append(pct(initVsPipeline())).append(" |\n");
        md.append("| second half of each initialization (by append time; the fresh JVM's compiling mostly done) | ")
                .append(eps(initSecondHalfRate())).append(" |\n");
        md.append("| … its share of the same repetition's pipeline limit | ").append(pct(initSecondHalfVsPipeline())).append(" |\n");
        if (r.initPipeline.stream().anyMatch(m -> m.containsKey("cpu_s_per_10k"))) {
            md.append("| the pipeline limit's CPU s per 10k rows: harness process (JDBC reader threads / sending thread / "
                    + "network thread, medians), mysqld, broker; beside the initialization's CPU s per 10k rows | ")
                    .append(num(initPipelineFigure("cpu_s_per_10k"), "%.3f")).append(" (")
                    .append(median(initPipelineFigure("jdbc_threads_cpu_s_per_10k"), "%.3f")).append(" / ")
                    .append(median(initPipelineFigure("send_cpu_s_per_10k"), "%.3f")).append(" / ")
                    .append(median(initPipelineFigure("network_cpu_s_per_10k"), "%.3f")).append("), ")
                    .append(num(initPipelineFigure("mysqld_cpu_s_per_10k"), "%.3f")).append(", ")
                    .append(num(initPipelineFigure("kafka_cpu_s_per_10k"), "%.3f")).append("; Sluice ")
                    .append(num(init(x -> x.cpuPer10k), "%.3f")).append(" |\n");
        }
        Stats budget = initCpuBudget();
        if (budget.median() != null) {
            md.append("| the most Sluice could spend at 80% of the limit, every core busy from spawn to commit: "
                    + initRuns().get(0).cores + " cores × 10k / (0.8 × limit) − mysqld and broker during the initialization ("
                    + num(initServerCpu(), "%.3f") + "), and the same with mysqld and the broker at their cost under the limit ("
                    + num(initPipelineServerCpu(), "%.3f") + "); beside what Sluice spent, whole run (of it JIT) and second half | ")
                    .append(num(budget, "%.3f")).append(", ").append(num(initCpuBudgetAtLimitServers(), "%.3f")).append("; Sluice ").append(num(init(x -> x.cpuPer10k), "%.3f")).append(" (")
                    .append(num(init(x -> jitPart(x.cpuPer10k, x.threads)), "%.3f")).append("), second half ")
                    .append(num(initSecondHalfCpu(), "%.3f")).append(" |\n");
        }
        md.append("| streaming JDBC `SELECT *` (`jdbc_read_rows_s`) | ").append(eps(jdbc())).append(" |\n");
        md.append("| initialization / JDBC, per repetition | ").append(pct(initVsJdbc())).append(" |\n");
        md.append("\nInitialization: ").append(INIT_TIMED).append("; ").append(initSettings()).append(", `-Xmx")
                .append(setting("toolHeap")).append("`.\n\n");
        md.append("| rep | JDBC rows/s | init rows/s | init / JDBC | init s | to first INIT record, s | rows/s first → last record "
                + "| second half: rows/s, CPU s / 10k rows (of it, JIT) "
                + "| last record → committed, s | CPU s / 10k rows (of it, JIT compiler threads) | heap peak / live MB | busiest threads (share of a core) | load |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|\n");
        List<Bench.InitRun> shown = new ArrayList<>(initRuns());
        if (r.initProfileRun != null) shown.add(r.initProfileRun);
        for (Bench.InitRun x : shown) {
            String rep = x.rep == 0 ? "JFR (not counted)" : String.valueOf(x.rep);
            if (!x.ok) {
                md.append("| ").append(rep).append(" | ").append(x.jdbcRowsPerSecond == null ? "–" : String.format("%,.0f", x.jdbcRowsPerSecond))
                        .append(" | FAILED: ").append(String.valueOf(x.error).replace("|", "/")).append(" | | | | | | | | | | |\n");
                continue;
            }
            List<String> th = new ArrayList<>();
            x.threads.entrySet().stream().limit(4).forEach(e -> th.add(String.format("`%s` %.0f%%", e.getKey(), 100 * e.getValue())));
            Double jit = jitPart(x.cpuPer10k, x.threads);
            Double halfJit = jitPart(x.secondHalfCpuPer10k, x.secondHalfThreads);
            String half = Double.isNaN(x.secondHalfRowsPerSecond) ? "–" : String.format("%,.0f, %.3f (%s)", x.secondHalfRowsPerSecond,
                    x.secondHalfCpuPer10k, halfJit == null ? "–" : String.format("%.3f", halfJit));
            md.append(String.format("| %s | %s | %,.0f | %s | %.1f | %.1f | %,.0f | %s | %.2f | %.3f (%s) | %d / %d | %s | %.1f |%n", rep,
                    x.jdbcRowsPerSecond == null ? "–" : String.format("%,.0f", x.jdbcRowsPerSecond), x.rowsPerSecond,
                    x.vsJdbc() == null ? "–" : String.format("%.0f%%", 100 * x.vsJdbc()), x.seconds, x.toFirstRecordSeconds,
                    x.steadyRowsPerSecond, half, x.lastAppendToCommitSeconds, x.cpuPer10k, jit == null ? "–" : String.format("%.3f", jit),
                    x.heap.peakUsedMb(), x.heap.maxAfterGcMb(),
                    String.join(", ", th), x.load));
        }

        md.append("\n").append(Files.readString(Path.of(cfg.str("method"))).strip()).append("\n");

        if (r.profile != null) {
            md.append("\n").append(profileSection("## Profile (JFR) of a mixed-workload catch-up\n\n"
                    + "An extra catch-up of a warm-up and " + setting("profileEvents") + " mixed events after the repetitions, "
                    + "with a JFR recording (JDK `profile` settings, Java method sampling every 1 ms, every JIT compilation recorded), looked at over the mixed "
                    + "events only; not counted in the figures above"
                    + (r.profileRun == null ? "" : String.format(" (it ran at %,.0f events/s)", r.profileRun.eps.get("mixed")))
                    + ".\n\n", r.profile, true, Long.parseLong(setting("profileEvents"))));
        }
        if (r.profileBig != null) {
            md.append("\n").append(profileSection("### Profile (JFR) of the 1M-row transaction run\n\n", r.profileBig, false, 0));
        }
        if (r.profileInit != null) {
            md.append("\n").append(profileSection("### Profile (JFR) of an initialization of the initialization table\n\n"
                    + "The extra initialization after the measured ones (JFR, Java method sampling every 1 ms, every JIT compilation recorded), between its first "
                    + "and last INIT record.\n\n", r.profileInit, false, 0));
        }

        Path analysis = Path.of(cfg.str("analysis"));
        md.append("\n## Analysis\n\n");
        if (Files.exists(analysis)) md.append(Files.readString(analysis).strip()).append("\n");
        else md.append("(none written yet)\n");

        if (!r.notes.isEmpty()) {
            md.append("\n## Problems in this run\n\n");
            for (String n : r.notes) md.append("- ").append(n.replace("\n", " ")).append("\n");
        }
        return md.toString();
    }

    /** Issue 13: the same backlog caught up by one `sluice run` job per target.format. */
    String formatsSection() {
        CatchUpTable f = formats();
        StringBuilder md = new StringBuilder("\n## Record formats (`target.format`, issue 13)\n\n");
        if (!f.measured()) return md.append("Not measured in this run (phase `formats`).\n").toString();
        md.append("Each repetition writes the throughput phase's backlog once more; then one `sluice run` job per format catches "
                + "it up from its own checkpoint into its own topic (the jobs differ only in `target.format`, name, topic, state "
                + "and server id; `debeziumJson` with its default `target.debezium.schemas: true`). Events/s as in the throughput "
                + "phase; CPU of the `bin/sluice` process.\n\n");
        md.append(f.markdown(v -> "`" + v + "`", v -> "`sluice run`"));
        return md.toString();
    }

    /** Issue 16: the same backlog caught up by `sluice run`, Sluice's connector and Debezium's on one Connect worker. */
    String connectSection() {
        CatchUpTable c = connect();
        StringBuilder md = new StringBuilder("\n## Kafka Connect (issue 16)\n\n");
        if (!c.measured()) return md.append("Not measured in this run (phase `connect`).\n").toString();
        Map<String, Object> setup = r.connectSetup;
        md.append("Each repetition writes the throughput phase's backlog once more; then `sluice run`, Sluice's connector and ")
                .append("Debezium's MySQL connector (").append(setup.getOrDefault("debezium", "?")).append(") catch it up in turn, ")
                .append("each from its own checkpoint into its own topic. The connectors run on the benchmark's Connect cluster: ")
                .append(setup.getOrDefault("worker", "?")).append("; one connector at a time (the other is STOPPED), so the ")
                .append("worker's CPU is that connector's. Both connectors write through the worker's exactly-once ")
                .append("(KIP-618) transactional producer: Sluice's with `transaction.boundary=connector` (one Kafka transaction ")
                .append("per source transaction, its checkpoint inside), Debezium's with `transaction.boundary=poll` (one per ")
                .append("poll, its offsets inside). Sluice's connector / Debezium's connector, mixed, per repetition: **")
                .append(ratio(connectSluiceVsDebezium())).append("**.\n\n");
        md.append(c.markdown(v -> v.equals(ConnectPhase.CLI) ? "`sluice run`" : v,
                v -> v.equals(ConnectPhase.CLI) ? "`sluice run`" : "the Connect worker"));
        if (setup.containsKey("worker_peak_rss_mb")) {
            md.append(String.format("%nThe worker over the whole phase: peak heap used %s MB, live after GC at most %s MB, peak RSS %s MB.%n",
                    setup.get("worker_peak_heap_mb"), setup.get("worker_max_live_after_gc_mb"), setup.get("worker_peak_rss_mb")));
        }
        return md.toString();
    }

    /** Per thread name, its CPU share during the mixed workload over the repetitions, busiest first. */
    Map<String, Stats> threadShares(String tool) {
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (ToolRun t : ok(tool)) {
            Map<String, Double> named = new LinkedHashMap<>();
            t.threadsMixed.forEach((k, v) -> named.merge(JfrSummary.threadGroup(k), v, Double::sum));
            named.forEach((k, v) -> all.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
        }
        Map<String, Stats> out = new LinkedHashMap<>();
        all.entrySet().stream().map(e -> Map.entry(e.getKey(), Stats.of(e.getValue())))
                .sorted((a, b) -> Double.compare(b.getValue().median(), a.getValue().median()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    String load(String tool, int rep) {
        return r.runs.stream().filter(x -> x.tool.equals(tool) && x.rep == rep && x.ok).findFirst()
                .map(x -> String.format("%.1f", x.load)).orElse("–");
    }

    String triple(Function<String, Double> f) {
        StringBuilder sb = new StringBuilder();
        for (String w : Bench.WORKLOADS) {
            if (sb.length() > 0) sb.append(" / ");
            Double v = f.apply(w);
            sb.append(v == null ? "–" : String.format("%,.0f", v));
        }
        return sb.toString();
    }

    static String workloadName(String w) {
        return switch (w) {
            case "batch" -> "(a) batched multi-row INSERT";
            case "single" -> "(b) single-row autocommit INSERT";
            case "mixed" -> "(c) mixed INSERT/UPDATE/DELETE";
            default -> w;
        };
    }

    /** @param events the events of the window, for the allocation per event (0: not shown) */
    static String profileSection(String heading, JfrSummary p, boolean detailed, long events) {
        StringBuilder md = new StringBuilder(heading);
        md.append(String.format("`%s`, the %.1f s of the workload: %,d execution samples; %d GCs, %.0f ms of GC pauses.%n%n",
                p.file, p.seconds, p.samples, p.gcCount, p.gcPauseMs));
        md.append("Samples by thread (a thread near the run's total is the one that limits it):\n\n| thread | samples | share |\n|---|---:|---:|\n");
        p.byThread.forEach((k, v) -> md.append(String.format("| %s | %,d | %.0f%% |%n", k, v, 100.0 * v / Math.max(1, p.samples))));
        if (!detailed) {
            md.append("\nHottest methods (self): ");
            List<String> parts = new ArrayList<>();
            p.topSelf.entrySet().stream().limit(8).forEach(e -> parts.add(String.format("`%s` %.1f%%", e.getKey(),
                    100.0 * e.getValue() / Math.max(1, p.samples))));
            md.append(String.join(", ", parts)).append(".\n");
            return md.append(jit(p)).toString();
        }
        md.append("\nSamples by the code they were in (top frame):\n\n| code | share |\n|---|---:|\n");
        p.byPackage.forEach((k, v) -> md.append(String.format("| %s | %.0f%% |%n", k, 100.0 * v / Math.max(1, p.samples))));
        md.append("\nHottest methods (self):\n\n| method | share |\n|---|---:|\n");
        p.topSelf.entrySet().stream().limit(15)
                .forEach(e -> md.append(String.format("| `%s` | %.1f%% |%n", e.getKey(), 100.0 * e.getValue() / Math.max(1, p.samples))));
        md.append("\nSluice methods (inclusive: on the stack):\n\n| method | share |\n|---|---:|\n");
        p.sluiceInclusive.forEach((k, v) -> md.append(String.format("| `%s` | %.1f%% |%n", k, 100.0 * v / Math.max(1, p.samples))));
        md.append("\nPer thread, hottest methods (self):\n\n");
        p.threadTopSelf.forEach((t, m) -> {
            md.append("- **").append(t).append("**: ");
            List<String> parts = new ArrayList<>();
            long total = p.byThread.getOrDefault(t, 1L);
            m.entrySet().stream().limit(5).forEach(e -> parts.add(String.format("`%s` %.0f%%", e.getKey(), 100.0 * e.getValue() / total)));
            md.append(String.join(", ", parts)).append("\n");
        });
        if (events > 0 && p.allocatedBytes > 0) {
            md.append(String.format("%nAllocated (the samples' weight, JFR's estimate of every byte allocated): %,d MB, "
                    + "**%,d bytes per event**", p.allocatedBytes >> 20, p.allocatedBytes / events));
            List<String> parts = new ArrayList<>();
            p.allocatedBytesByThread.forEach((t, b) -> parts.add(String.format("%s %,d", t, b / events)));
            md.append(" (by thread: ").append(String.join(", ", parts)).append(").\n");
        }
        md.append("\nAllocation (sampled weight, MB):\n\n| class | MB |\n|---|---:|\n");
        p.allocationMb.forEach((k, v) -> md.append(String.format("| `%s` | %,d |%n", k, v)));
        md.append(jit(p));
        return md.toString();
    }

    /** The JIT compilations and deoptimizations of the window (empty when the recording has none). */
    private static String jit(JfrSummary p) {
        if (p.compilations == 0) return "";
        StringBuilder jit = new StringBuilder();
        jit.append(String.format("%nJIT in the window: %,d compilations ending in it, %.0f ms of compiling (wall time: on a busy machine more than"
                + " the compiler threads' CPU); of them C2 %,d, %.0f ms (%.0f%% of the window).", p.compilations, p.compileMs, p.c2Compilations, p.c2CompileMs,
                100 * p.c2CompileMs / Math.max(1, p.seconds * 1000)));
        jit.append(" C2's time by method (ms): ").append(inline(p.c2CompileMsByMethod)).append(".");
        if (!p.c2CompilesByMethod.isEmpty()) {
            jit.append(" Compiled by C2 more than once in the window: ").append(inline(p.c2CompilesByMethod)).append(".");
        }
        jit.append(String.format(" Deoptimizations: %,d", p.deoptimizations));
        if (!p.deoptimizationsBy.isEmpty()) jit.append(" (reason/action method: ").append(inline(p.deoptimizationsBy)).append(")");
        jit.append(".\n");
        return jit.toString();
    }

    private static String inline(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(String.format("`%s` %,d", k, v)));
        return String.join(", ", parts);
    }

    /** {@code values} with each value {@link #round}ed, in their order. */
    static Map<String, Object> rounded(Map<String, Double> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, round(v)));
        return out;
    }
    /** {@code values} with each value {@link #round3}ed, in their order. */
    static Map<String, Object> rounded3(Map<String, Double> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, round3(v)));
        return out;
    }
}
