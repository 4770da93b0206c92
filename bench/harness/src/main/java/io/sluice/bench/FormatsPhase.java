package io.sluice.bench;

import io.sluice.bench.Bench.Backlog;
import io.sluice.bench.Bench.Runner;
import io.sluice.bench.Bench.ToolRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The formats phase (issue 13): the same backlog as the throughput phase, caught up per repetition
 * by one `sluice run` job per {@code target.format} (order rotates between repetitions), each from
 * its own checkpoint into its own LogAppendTime topic: events/s, CPU per event, bytes per record.
 * {@code dtsAvro} is the main job (the one every other phase runs), so that it stays caught up;
 * the others are jobs that differ from it only in name, topic, state, server id and
 * {@code target.format}.
 */
final class FormatsPhase {

    static final String DTS_AVRO = "dtsAvro";

    private final Bench b;

    FormatsPhase(Bench b) { this.b = b; }

    void run() throws Exception {
        if (b.sluiceBroken) return;
        List<String> formats = List.of(b.cfg.str("formats").split(","));
        Map<String, String> topicOf = new LinkedHashMap<>();
        Map<String, Path> jobOf = new LinkedHashMap<>();
        int serverId = 6420;
        for (String f : formats) {
            if (f.equals(DTS_AVRO)) {
                topicOf.put(f, b.sluiceTopic);
                jobOf.put(f, b.sluiceJob);
                continue;
            }
            String topic = b.sluiceTopic.replaceFirst("-sluice$", "-format-" + f.replace('~', '-'));
            b.topics.create(topic);
            Path state = b.work.resolve("format-" + f + "-state");
            Bench.deleteTree(state);
            Path job = b.work.resolve("format-" + f + ".yaml");
            Files.writeString(job, b.streamingYaml("bench-" + f.replace('~', '-'), topic, state, ++serverId, "  format: " + formatOf(f) + "\n"));
            topicOf.put(f, topic);
            jobOf.put(f, job);
        }
        // Every job (the main one too, so it sees the same probe rows) starts once at the binlog end
        // (the main one from its checkpoint, which is there) and stops: then all are at one position.
        Map<String, Runner> prime = new LinkedHashMap<>();
        for (String f : formats) prime.put(f, runner(f, topicOf.get(f), jobOf.get(f), "formats-prime-" + f));
        Set<String> broken = new LinkedHashSet<>(b.primeTogether("formats", prime));
        if (broken.contains(DTS_AVRO)) b.sluiceBroken = true;

        for (int rep = 1; rep <= b.cfg.integer("compareReps"); rep++) {
            Backlog backlog = b.writeCompareWorkloads("formats rep " + rep);
            for (int k = 0; k < formats.size(); k++) {
                String f = formats.get((k + rep - 1) % formats.size()); // rotates the order
                if (broken.contains(f)) continue;
                ToolRun r = b.catchUp(new ToolRun(f, rep), runner(f, topicOf.get(f), jobOf.get(f), "formats-" + f + "-rep" + rep),
                        backlog.segs(), backlog.expected(), false);
                b.results.formatRuns.add(r);
                if (!r.ok) {
                    broken.add(f);
                    if (f.equals(DTS_AVRO)) b.sluiceBroken = true;
                }
            }
        }
    }

    private Runner runner(String format, String topic, Path job, String phase) {
        return new Runner() {
            public String topic() { return topic; }
            public Proc start() throws Exception {
                return b.start(Bench.SLUICE, phase, b.cfg.str("toolHeap"), false, job, jvmOf(format), binOf(format));
            }
            public Path gcLog() { return b.gcLog(Bench.SLUICE, phase); }
        };
    }

    /**
     * A variant {@code format~name} runs the format with the JVM options of {@code -Dbench.jvm.name} (A/B of JVM
     * settings) and, if {@code -Dbench.bin.name} is set, with that {@code bin/sluice} (A/B of two builds on one backlog).
     */
    private static String formatOf(String f) { return f.contains("~") ? f.substring(0, f.indexOf('~')) : f; }

    private String jvmOf(String f) {
        return variantSetting(f, "jvm");
    }

    /** The variant's {@code bin/sluice}, or null: the benchmark's build. */
    private String binOf(String f) {
        String bin = variantSetting(f, "bin");
        return bin.isBlank() ? null : bin;
    }

    /** {@code -Dbench.<kind>.<name>} of a variant {@code format~name}; "" for a plain format or none set. */
    private static String variantSetting(String f, String kind) {
        return f.contains("~") ? System.getProperty("bench." + kind + "." + f.substring(f.indexOf('~') + 1), "") : "";
    }

    /** The formats of the run, dtsAvro first (the report's order). */
    static List<String> order(List<ToolRun> runs) {
        List<String> out = new ArrayList<>();
        for (ToolRun r : runs) if (!out.contains(r.tool)) out.add(r.tool);
        out.sort((x, y) -> x.equals(DTS_AVRO) ? -1 : y.equals(DTS_AVRO) ? 1 : 0);
        return out;
    }
}
