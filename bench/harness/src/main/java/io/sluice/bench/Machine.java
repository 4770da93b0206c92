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
