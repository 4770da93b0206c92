package io.sluice.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time of the servers the tools share the machine with (mysqld, the Kafka broker), sampled
 * from /proc/<pid>/stat every 100 ms for the whole run, so that every measured window can say how
 * the cores were split between the tool, MySQL and the broker.
 */
final class ServerCpu implements AutoCloseable {

    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final Map<String, List<Proc.Sample>> series = new LinkedHashMap<>();
    private final Thread sampler;
    private volatile boolean running = true;

    /** Finds the processes whose command line names {@code serversDir} (mysqld, kafka.Kafka). */
    ServerCpu(String serversDir) {
        if (!serversDir.isBlank()) {
            java.io.File[] procs = new java.io.File("/proc").listFiles();
            for (java.io.File f : procs == null ? new java.io.File[0] : procs) {
                if (!f.getName().chars().allMatch(Character::isDigit)) continue;
                try {
                    String cmd = Files.readString(f.toPath().resolve("cmdline")).replace('\0', ' ');
                    if (!cmd.contains(serversDir)) continue;
                    if (cmd.contains("mysqld") && !cmd.contains("mysqld_safe")) pids.putIfAbsent("mysqld", Long.parseLong(f.getName()));
                    else if (cmd.contains("kafka.Kafka")) pids.putIfAbsent("kafka", Long.parseLong(f.getName()));
                } catch (Exception e) {
                    // gone or not readable
                }
            }
        }
        pids.keySet().forEach(k -> series.put(k, new ArrayList<>()));
        sampler = new Thread(this::sample, "server-cpu-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** The servers found: name -> pid. */
    Map<String, Long> pids() { return pids; }

    private void sample() {
        while (running) {
            long now = System.currentTimeMillis();
            for (var e : pids.entrySet()) {
                long cpu = cpuMs(e.getValue());
                if (cpu >= 0) synchronized (series) { series.get(e.getKey()).add(new Proc.Sample(now, cpu)); }
            }
            try { Thread.sleep(100); } catch (InterruptedException x) { return; }
        }
    }

    static long cpuMs(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * Proc.TICK_MS;
        } catch (Exception e) {
            return -1;
        }
    }

    /** CPU ms each server used between two wall times (interpolated between samples). */
    Map<String, Double> used(long fromMs, long toMs) {
        Map<String, Double> out = new LinkedHashMap<>();
        synchronized (series) {
            series.forEach((k, s) -> out.put(k, Proc.interpolate(s, toMs) - Proc.interpolate(s, fromMs)));
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
    }
}
