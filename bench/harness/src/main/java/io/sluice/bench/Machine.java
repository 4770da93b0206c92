package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** One line describing the machine: CPU model, cores, memory, kernel, JVM. */
final class Machine {

    /** The 1-minute load average (NaN where /proc/loadavg is missing). */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Waits until the machine's cores have been busy less than {@code busyShare} over one second (all
     * processes: /proc/stat), at most {@code maxSeconds}; returns the seconds waited. A start-up timed
     * right after a phase that wrote gigabytes otherwise measures the broker's and mysqld's leftover
     * work (log flushes, purges) as much as the tool's own start.
     */
    static double waitQuiet(double busyShare, int maxSeconds) throws InterruptedException {
        long t0 = System.nanoTime();
        long[] prev = cpuTicks();
        if (prev == null) return 0;
        while ((System.nanoTime() - t0) / 1e9 < maxSeconds) {
            Thread.sleep(1000);
            long[] now = cpuTicks();
            long total = now[0] - prev[0], idle = now[1] - prev[1];
            prev = now;
            if (total > 0 && (double) (total - idle) / total < busyShare) break;
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** {all ticks, idle + iowait ticks} of the machine's first /proc/stat line, or null. */
    private static long[] cpuTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) total += Long.parseLong(f[i]);
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (Exception e) {
            return null;
        }
    }

    static String describe() {
        String cpu = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) { cpu = line.substring(line.indexOf(':') + 1).trim(); break; }
            }
        } catch (Exception e) { /* not Linux */ }
        long memGb = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memGb = Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                    break;
                }
            }
        } catch (Exception e) { /* not Linux */ }
        return String.format("%s, %d cores, %d GB RAM, %s %s, Java %s", cpu, Runtime.getRuntime().availableProcessors(),
                memGb, System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"));
    }
}
