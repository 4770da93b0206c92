package io.sluice.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a JFR recording of Sluice says: where the CPU samples are (by thread, frame, package), GC and allocation. */
final class JfrSummary implements java.io.Serializable {
    private static final long serialVersionUID = 8493593104992402677L; // fixed: see Bench.Results

    String file;
    double seconds;
    long samples;
    Map<String, Long> byThread = new LinkedHashMap<>();
    /** Top frame (self time) of the samples. */
    Map<String, Long> topSelf = new LinkedHashMap<>();
    /** Sluice methods on the stack (inclusive). */
    Map<String, Long> sluiceInclusive = new LinkedHashMap<>();
    /** Samples by the package of their top frame. */
    Map<String, Long> byPackage = new LinkedHashMap<>();
    /** Per thread, the top self frames. */
    Map<String, Map<String, Long>> threadTopSelf = new LinkedHashMap<>();
    long gcCount;
    double gcPauseMs;
    Map<String, Long> allocationMb = new LinkedHashMap<>();
    /** All the allocation samples' weight in the window: JFR's estimate of the bytes allocated, by thread and in all. */
    long allocatedBytes;
    Map<String, Long> allocatedBytesByThread = new LinkedHashMap<>();
    /** JIT compilations that ended in the window: how many and their time, C2 (level 4) apart. */
    long compilations, c2Compilations;
    double compileMs, c2CompileMs;
    /** C2's compile time (ms) by method, and how often each was compiled by C2 in the window (a method compiled again was deoptimized). */
    Map<String, Long> c2CompileMsByMethod = new LinkedHashMap<>();
    Map<String, Long> c2CompilesByMethod = new LinkedHashMap<>();
    /** Deoptimizations in the window, by {@code reason/action method}. */
    long deoptimizations;
    Map<String, Long> deoptimizationsBy = new LinkedHashMap<>();

    /** Events between two wall times (epoch ms): the part of the run being looked at. */
    static JfrSummary summarize(Path jfr, long fromMs, long toMs) {
        JfrSummary s = new JfrSummary();
        s.file = jfr.getFileName().toString();
        s.seconds = (toMs - fromMs) / 1000.0;
        Map<String, Long> thread = new HashMap<>(), self = new HashMap<>(), incl = new HashMap<>(), pkg = new HashMap<>(),
                alloc = new HashMap<>(), allocByThread = new HashMap<>(), c2Ms = new HashMap<>(), c2Count = new HashMap<>(),
                deopt = new HashMap<>();
        Map<String, Map<String, Long>> threadSelf = new HashMap<>();
        try (RecordingFile f = new RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                RecordedEvent e = f.readEvent();
                long at = e.getStartTime().toEpochMilli();
                if (at < fromMs || at > toMs) continue;
                String type = e.getEventType().getName();
                switch (type) {
                    case "jdk.ExecutionSample" -> {
                        RecordedStackTrace st = e.getStackTrace();
                        if (st == null || st.getFrames().isEmpty()) continue;
                        s.samples++;
                        RecordedThread t = e.getThread("sampledThread");
                        String tn = threadGroup(t == null ? "?" : t.getJavaName());
                        thread.merge(tn, 1L, Long::sum);
                        List<RecordedFrame> frames = st.getFrames();
                        String top = name(frames.get(0));
                        self.merge(top, 1L, Long::sum);
                        threadSelf.computeIfAbsent(tn, k -> new HashMap<>()).merge(top, 1L, Long::sum);
                        pkg.merge(packageGroup(top), 1L, Long::sum);
                        Set<String> seen = new HashSet<>();
                        for (RecordedFrame fr : frames) {
                            String n = name(fr);
                            if (n.startsWith("io.sluice.") && seen.add(n)) incl.merge(n, 1L, Long::sum);
                        }
                    }
                    case "jdk.GarbageCollection" -> {
                        s.gcCount++;
                        s.gcPauseMs += e.getDuration("sumOfPauses").toNanos() / 1e6;
                    }
                    case "jdk.ObjectAllocationSample" -> {
                        var cls = e.getClass("objectClass");
                        long weight = e.getLong("weight");
                        alloc.merge(cls == null ? "?" : cls.getName(), weight, Long::sum);
                        RecordedThread t = e.getThread("eventThread");
                        allocByThread.merge(threadGroup(t == null ? "?" : t.getJavaName()), weight, Long::sum);
                        s.allocatedBytes += weight;
                    }
                    case "jdk.Compilation" -> {
                        double ms = e.getDuration().toNanos() / 1e6;
                        s.compilations++;
                        s.compileMs += ms;
                        if (e.getInt("compileLevel") == 4) {
                            String m = e.getValue("method") instanceof jdk.jfr.consumer.RecordedMethod rm ? name(rm) : "?";
                            s.c2Compilations++;
                            s.c2CompileMs += ms;
                            c2Ms.merge(m, Math.round(ms), Long::sum);
                            c2Count.merge(m, 1L, Long::sum);
                        }
                    }
                    case "jdk.Deoptimization" -> {
                        s.deoptimizations++;
                        String m = e.getValue("method") instanceof jdk.jfr.consumer.RecordedMethod rm ? name(rm) : "?";
                        deopt.merge(e.getString("reason") + "/" + e.getString("action") + " " + m, 1L, Long::sum);
                    }
                    default -> { }
                }
            }
        } catch (Exception ex) {
            s.file += " (unreadable: " + ex + ")";
        }
        s.byThread = top(thread, 10);
        s.topSelf = top(self, 25);
        s.sluiceInclusive = top(incl, 20);
        s.byPackage = top(pkg, 10);
        for (Map.Entry<String, Long> t : s.byThread.entrySet()) {
            if (threadSelf.containsKey(t.getKey())) s.threadTopSelf.put(t.getKey(), top(threadSelf.get(t.getKey()), 8));
        }
        Map<String, Long> mb = new HashMap<>();
        alloc.forEach((k, v) -> mb.put(k, v >> 20));
        s.allocationMb = top(mb, 12);
        s.allocatedBytesByThread = top(allocByThread, 5);
        s.c2CompileMsByMethod = top(c2Ms, 12);
        c2Count.values().removeIf(n -> n < 2);
        s.c2CompilesByMethod = top(c2Count, 12);
        s.deoptimizationsBy = top(deopt, 12);
        return s;
    }

    private static String name(RecordedFrame f) {
        return name(f.getMethod());
    }

    private static String name(jdk.jfr.consumer.RecordedMethod m) {
        return m.getType().getName() + "." + m.getName();
    }

    /** Readable thread names; pool threads share a name up to their number. */
    static String threadGroup(String name) {
        if (name == null) return "?";
        if (name.startsWith("JIT ") || name.startsWith("binlog client") || name.endsWith("-thread") && name.startsWith("kafka-")) {
            return name; // already readable
        }
        if (name.startsWith("blc-")) return "binlog client (blc-…)";
        // /proc shows at most 15 characters of a thread's name
        if (name.startsWith("kafka-producer-")) return "kafka-producer-network-thread";
        if (name.startsWith("kafka-admin-cli")) return "kafka-admin-client-thread";
        if (name.startsWith("C2 Compiler")) return "JIT C2 compiler";
        if (name.startsWith("C1 Compiler")) return "JIT C1 compiler";
        if (name.startsWith("GC Thread") || name.startsWith("G1 ")) return "GC";
        return name.replaceAll("\\d+", "N");
    }

    private static String packageGroup(String method) {
        String[][] groups = {
                {"io.sluice.", "Sluice"},
                {"com.github.shyiko.mysql.binlog.", "binlog client (mysql-binlog-connector-java)"},
                {"org.apache.kafka.", "Kafka client"},
                {"org.apache.avro.", "Avro"},
                {"com.mysql.", "Connector/J"},
                {"java.", "JDK java.*"},
                {"jdk.", "JDK jdk.*"},
                {"sun.", "JDK sun.*"},
        };
        for (String[] g : groups) if (method.startsWith(g[0])) return g[1];
        return "other";
    }

    private static Map<String, Long> top(Map<String, Long> m, int n) {
        Map<String, Long> out = new LinkedHashMap<>();
        m.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(n)
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
