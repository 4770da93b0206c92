package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool under test run as its own process (Sluice through bin/sluice, Debezium's runner), with
 * its CPU time sampled from /proc every 100 ms and its GC log parsed for heap figures.
 */
final class Proc implements AutoCloseable {

    /** One CPU sample: wall clock (epoch ms) and the process's user+system CPU time (ms). */
    record Sample(long wallMs, long cpuMs) {}

    static final long TICK_MS = clockTickMs();

    private final Process process;
    private final Path log;
    private final List<Sample> samples = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean sampling = true;
    private long peakRssKb;

    private Proc(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.sampler = new Thread(this::sample, "proc-sampler-" + process.pid());
        sampler.setDaemon(true);
        sampler.start();
    }

    static Proc start(List<String> command, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "\n=== " + String.join(" ", command) + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        return new Proc(pb.start(), log);
    }

    long pid() { return process.pid(); }

    boolean alive() { return process.isAlive(); }

    Path log() { return log; }

    /** Per thread (by tid): its name and CPU samples. */
    private final Map<String, ThreadSeries> threads = new java.util.HashMap<>();

    private static final class ThreadSeries {
        final String name;
        final List<Sample> samples = new ArrayList<>();
        ThreadSeries(String name) { this.name = name; }
    }

    private void sample() {
        while (sampling && process.isAlive()) {
            long now = System.currentTimeMillis();
            long cpu = cpuMs();
            if (cpu >= 0) {
                synchronized (samples) { samples.add(new Sample(now, cpu)); }
            }
            sampleThreads(now);
            long rss = statusKb("VmHWM:");
            if (rss > peakRssKb) peakRssKb = rss;
            try { Thread.sleep(100); } catch (InterruptedException e) { return; }
        }
    }

    private void sampleThreads(long now) {
        java.io.File[] tasks = new java.io.File("/proc/" + process.pid() + "/task").listFiles();
        if (tasks == null) return;
        for (java.io.File t : tasks) {
            try {
                String stat = Files.readString(t.toPath().resolve("stat"));
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                long cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS;
                synchronized (threads) {
                    threads.computeIfAbsent(t.getName(), k -> new ThreadSeries(name)).samples.add(new Sample(now, cpu));
                }
            } catch (IOException | RuntimeException e) {
                // thread ended
            }
        }
    }

    /**
     * CPU used by each thread between two wall times, as a share of one core (1.0 = a core
     * busy the whole time), summed over threads of the same name (digits folded), largest first.
     */
    Map<String, Double> threadShares(long fromMs, long toMs) {
        Map<String, Double> out = new java.util.HashMap<>();
        if (toMs <= fromMs) return out;
        synchronized (threads) {
            for (ThreadSeries t : threads.values()) {
                double used = at(t.samples, toMs) - at(t.samples, fromMs);
                if (Double.isNaN(used) || used <= 0) continue;
                out.merge(JfrSummary.threadGroup(t.name), used / (toMs - fromMs), Double::sum);
            }
        }
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        out.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** A series' CPU ms at wall time {@code t}: interpolated; 0 before its first sample. */
    private static double at(List<Sample> series, long t) {
        if (series.isEmpty()) return Double.NaN;
        Sample prev = null;
        for (Sample s : series) {
            if (s.wallMs >= t) {
                if (prev == null) return t < s.wallMs - 150 ? 0 : s.cpuMs; // thread started after t
                if (s.wallMs == prev.wallMs) return s.cpuMs;
                return prev.cpuMs + (double) (s.cpuMs - prev.cpuMs) * (t - prev.wallMs) / (s.wallMs - prev.wallMs);
            }
            prev = s;
        }
        return prev.cpuMs;
    }

    /** User + system CPU time of the process so far, in ms (-1 once it is gone). */
    long cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private long statusKb(String key) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith(key)) return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    long peakRssMb() { return peakRssKb / 1024; }

    /** CPU ms at wall time {@code t}, interpolated between samples. */
    double cpuAt(long t) {
        synchronized (samples) {
            return interpolate(samples, t);
        }
    }

    /** A CPU series' value at wall time {@code t}, interpolated between samples (NaN: no sample). */
    static double interpolate(List<Sample> samples, long t) {
        {
            if (samples.isEmpty()) return Double.NaN;
            Sample prev = samples.get(0);
            if (t <= prev.wallMs) return prev.cpuMs;
            for (Sample s : samples) {
                if (s.wallMs >= t) {
                    if (s.wallMs == prev.wallMs) return s.cpuMs;
                    return prev.cpuMs + (double) (s.cpuMs - prev.cpuMs) * (t - prev.wallMs) / (s.wallMs - prev.wallMs);
                }
                prev = s;
            }
            return prev.cpuMs;
        }
    }

    /** SIGTERM, then waits (SIGKILL after the timeout); returns the exit code. */
    int stop(long timeoutSeconds) throws InterruptedException {
        sampling = false;
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
            return -9;
        }
        return process.exitValue();
    }

    String logText() {
        try { return Files.readString(log); } catch (IOException e) { return ""; }
    }

    @Override
    public void close() {
        sampling = false;
        if (process.isAlive()) process.destroyForcibly();
    }

    /** Heap figures from a {@code -Xlog:gc,gc+heap+exit} log. */
    record Heap(long peakUsedMb, long maxAfterGcMb, int gcs, boolean outOfMemory) implements java.io.Serializable {
        static Heap parse(Path gcLog) {
            long peak = 0, after = 0;
            int gcs = 0;
            boolean oom = false;
            Pattern pause = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");
            Pattern used = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");
            try {
                for (String line : Files.readAllLines(gcLog)) {
                    Matcher m = pause.matcher(line);
                    if (m.find() && line.contains("GC(")) {
                        gcs++;
                        peak = Math.max(peak, Long.parseLong(m.group(1)));
                        after = Math.max(after, Long.parseLong(m.group(2)));
                    }
                    Matcher u = used.matcher(line);
                    if (u.find()) peak = Math.max(peak, Long.parseLong(u.group(2)) / 1024);
                    if (line.contains("OutOfMemory")) oom = true;
                }
            } catch (IOException e) {
                return new Heap(-1, -1, 0, false);
            }
            return new Heap(peak, after, gcs, oom);
        }
    }

    private static long clockTickMs() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String s = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return 1000 / Long.parseLong(s);
        } catch (Exception e) {
            return 10;
        }
    }
}
