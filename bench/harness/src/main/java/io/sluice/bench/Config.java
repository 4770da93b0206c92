package io.sluice.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** Settings: system properties {@code bench.NAME} (bench/run.sh sets them), with these defaults. */
final class Config {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static {
        DEFAULTS.put("phases", "throughput,formats,connect,partitions,profile,latency,heap,big,jdbc,init");
        DEFAULTS.put("reps", "2");                 // repetitions of the sustained throughput phase
        DEFAULTS.put("debeziumReps", "2");         // of which Debezium embedded catches up the first ones (it runs ~10x longer)
        DEFAULTS.put("warmupEvents", "100000");    // mixed transactions on t_warm first, not measured (JIT warm-up)
        DEFAULTS.put("batchRows", "1000000");      // (a) multi-row INSERTs
        DEFAULTS.put("batchPerStatement", "1000");
        DEFAULTS.put("singleRows", "1000000");     // (b) single-row autocommit INSERTs
        DEFAULTS.put("mixedEvents", "1000000");    // (c) 10-statement transactions: 5 INSERT, 3 UPDATE, 2 DELETE
        DEFAULTS.put("brokerWarmupRecords", "3000000"); // sent to a scratch topic before the first catch-up: the fresh broker's JIT warm-up
        DEFAULTS.put("commitIntervalMs", "50");    // the pipeline limit's producer commits as often as Sluice's default
        DEFAULTS.put("compareSizes", "60000,100000,20000,50000"); // formats, connect: warm-up,batch,single,mixed
        DEFAULTS.put("compareReps", "2");          // repetitions of the formats and connect phases
        DEFAULTS.put("partitionEvents", "500000"); // mixed events of the partitions phase (1 vs partitionCount partitions)
        DEFAULTS.put("partitionCount", "6");
        DEFAULTS.put("serversDir", "");            // the benchmark servers' directory (finds mysqld and the broker for their CPU)
        DEFAULTS.put("profileEvents", "150000");   // mixed events of the JFR-profiled extra catch-up
        DEFAULTS.put("mixedInitial", "20000");     // rows in t_mixed before the first repetition
        DEFAULTS.put("latencyRate", "5000");       // offered events/s (the target's)
        DEFAULTS.put("latencyRates", "20000");     // further offered loads, measured the same way after it
        DEFAULTS.put("latencyWarmupSeconds", "10");
        DEFAULTS.put("latencySeconds", "15");
        DEFAULTS.put("latencyWindows", "2");
        DEFAULTS.put("bigRows", "1000000");
        DEFAULTS.put("bigHeap", "256m");
        DEFAULTS.put("heapTransactions", "150000"); // single-row transactions of the heap-growth check
        DEFAULTS.put("heapGrowthLimitMb", "5");     // retained-heap growth per 100k transactions above this = grows
        DEFAULTS.put("toolHeap", "512m");           // bin/sluice's default -Xmx; Debezium gets the same
        DEFAULTS.put("toolTimeoutSeconds", "600");   // Debezium embedded needs ~3 min for a sustained backlog
        DEFAULTS.put("jdbcRuns", "2");            // repetitions of the JDBC read of the init table, each next to an initialization of it
        DEFAULTS.put("initRows", "5000000");      // rows of the initialization table (its own schema, kept between runs)
        DEFAULTS.put("initPipelineRecords", "1000000"); // INIT records held to re-send (cycled) in the init pipeline limit
        DEFAULTS.put("initChunkSize", "");        // initialization.chunkSize of the init job ("": Sluice's default)
        DEFAULTS.put("initParallelism", "");      // initialization.parallelism ("": Sluice's default)
        DEFAULTS.put("initJvm", "");              // more JVM options for the init jobs (an A/B of GC settings, e.g. -XX:NewRatio=1)
        DEFAULTS.put("initProfile", "false");     // true: one more initialization under JFR (not counted; ~1 min more at 5M rows)
        DEFAULTS.put("debeziumExtra", "");         // ';'-separated extra Debezium properties (sensitivity checks)
        DEFAULTS.put("sluiceTargetExtra", "");     // ';'-separated extra `target:` lines of Sluice's job, e.g. commitIntervalMs: 20
        DEFAULTS.put("jfrReps", "false");          // true: JFR on every catch-up run too (investigation)
        DEFAULTS.put("formats", "dtsAvro,canalJson,debeziumJson"); // target.format values of the formats phase
        DEFAULTS.put("connectPort", "28083");      // the benchmark's Connect worker's REST port
        DEFAULTS.put("connectDir", "");           // its directory (bench/run.sh: <bench servers dir>/connect)
        DEFAULTS.put("connectCp", "");            // its class path (bench/connect/worker/target/lib/*)
        DEFAULTS.put("connectPlugins", "");       // its plugin.path (Sluice's plugin folder + Debezium's)
        DEFAULTS.put("connectDebeziumVersion", ""); // the Debezium release in plugin.path (for the report)
        DEFAULTS.put("connectWorkerExtra", "");   // ';'-separated extra worker.properties lines
        DEFAULTS.put("commit", "unknown");
        DEFAULTS.put("reportOnly", "false");      // true: rewrite the report from the last run's results for the same report directory (work/results-<hash>.bin)
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
