package io.sluice.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Settings: system properties {@code bench.NAME} (bench/run.sh sets them), with these defaults. */
final class Config {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static {
        DEFAULTS.put("phases", "throughput,formats,connect,profile,latency,heap,big,jdbc,init");
        DEFAULTS.put("reps", "3");
        DEFAULTS.put("warmupEvents", "60000");     // mixed transactions on t_warm first, not measured (JIT warm-up)
        DEFAULTS.put("batchRows", "100000");       // (a) multi-row INSERTs
        DEFAULTS.put("batchPerStatement", "1000");
        DEFAULTS.put("singleRows", "20000");       // (b) single-row autocommit INSERTs
        DEFAULTS.put("mixedEvents", "50000");      // (c) 10-statement transactions: 5 INSERT, 3 UPDATE, 2 DELETE
        DEFAULTS.put("profileEvents", "150000");   // mixed events of the JFR-profiled extra catch-up
        DEFAULTS.put("mixedInitial", "20000");     // rows in t_mixed before the first repetition
        DEFAULTS.put("latencyRate", "5000");       // offered events/s
        DEFAULTS.put("latencyWarmupSeconds", "10");
        DEFAULTS.put("latencySeconds", "15");
        DEFAULTS.put("latencyWindows", "3");
        DEFAULTS.put("bigRows", "1000000");
        DEFAULTS.put("bigHeap", "256m");
        DEFAULTS.put("heapTransactions", "150000"); // single-row transactions of the heap-growth check
        DEFAULTS.put("heapGrowthLimitMb", "5");     // retained-heap growth per 100k transactions above this = grows
        DEFAULTS.put("toolHeap", "512m");           // bin/sluice's default -Xmx; Debezium gets the same
        DEFAULTS.put("toolTimeoutSeconds", "300");
        DEFAULTS.put("jdbcRuns", "3");            // repetitions of the JDBC read of t_big, each next to an initialization of it
        DEFAULTS.put("initChunkSize", "");        // initialization.chunkSize of the init job ("": Sluice's default)
        DEFAULTS.put("initParallelism", "");      // initialization.parallelism ("": Sluice's default)
        DEFAULTS.put("initProfile", "true");      // one more initialization under JFR (not counted)
        DEFAULTS.put("debeziumExtra", "");         // ';'-separated extra Debezium properties (sensitivity checks)
        DEFAULTS.put("sluiceTargetExtra", "");     // ';'-separated extra `target:` lines of Sluice's job, e.g. commitIntervalMs: 20
        DEFAULTS.put("jfrReps", "false");          // true: JFR on every catch-up run too (investigation)
        DEFAULTS.put("formats", "dtsAvro,canalJson,debeziumJson"); // target.format values of the formats phase
        DEFAULTS.put("connectPort", "48083");      // the benchmark's Connect worker's REST port
        DEFAULTS.put("connectDir", "");           // its directory (bench/run.sh: <bench servers dir>/connect)
        DEFAULTS.put("connectCp", "");            // its class path (bench/connect/worker/target/lib/*)
        DEFAULTS.put("connectPlugins", "");       // its plugin.path (Sluice's plugin folder + Debezium's)
        DEFAULTS.put("connectDebeziumVersion", ""); // the Debezium release in plugin.path (for the report)
        DEFAULTS.put("connectWorkerExtra", "");   // ';'-separated extra worker.properties lines
        DEFAULTS.put("commit", "unknown");
        DEFAULTS.put("reportOnly", "false");      // true: rewrite the report from the last run's results (work/results.bin)
    }

    /** Every setting with a default (the run's parameters), with its value now. */
    Map<String, String> all() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String k : DEFAULTS.keySet()) m.put(k, str(k));
        return m;
    }

    String str(String name) {
        String v = System.getProperty("bench." + name, DEFAULTS.get(name));
        if (v == null) throw new IllegalArgumentException("missing -Dbench." + name);
        return v;
    }

    int integer(String name) {
        return Integer.parseInt(str(name));
    }
}
