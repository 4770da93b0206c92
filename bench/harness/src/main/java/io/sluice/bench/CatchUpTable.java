package io.sluice.bench;

import io.sluice.bench.Bench.ToolRun;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The figures of a phase where several variants catch up the same backlog in each repetition
 * (formats: one per target.format; connect: `sluice run` and the two connectors): per variant the
 * events/s per workload, CPU per event and bytes per record (medians over the repetitions), and
 * the ratio to a reference variant taken within each repetition.
 */
final class CatchUpTable {

    final List<ToolRun> runs;
    final List<String> variants;
    final String reference;
    final int reps;

    CatchUpTable(List<ToolRun> runs, List<String> variants, String reference, int reps) {
        this.runs = runs;
        this.variants = variants;
        this.reference = reference;
        this.reps = reps;
    }

    boolean measured() { return runs.stream().anyMatch(x -> x.ok); }

    ToolRun run(String variant, int rep) {
        return runs.stream().filter(x -> x.tool.equals(variant) && x.rep == rep && x.ok).findFirst().orElse(null);
    }

    Stats eps(String variant, String workload) {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            ToolRun t = run(variant, i);
            v.add(t == null ? null : t.eps.get(workload));
        }
        return Stats.of(v);
    }

    /** variant / reference events/s, per repetition. */
    Stats vsReference(String variant, String workload) {
        List<Double> v = new ArrayList<>();
        for (int i = 1; i <= reps; i++) {
            ToolRun t = run(variant, i), ref = run(reference, i);
            Double a = t == null ? null : t.eps.get(workload), c = ref == null ? null : ref.eps.get(workload);
            v.add(a == null || c == null ? null : a / c);
        }
        return Stats.of(v);
    }

    Stats figure(String variant, Function<ToolRun, Double> f) {
        return Stats.of(runs.stream().filter(x -> x.tool.equals(variant) && x.ok).map(f).toList());
    }

    Stats cpu(String variant) { return figure(variant, x -> x.cpuPer10kMixed); }
    Stats cpuAll(String variant) { return figure(variant, x -> x.cpuPer10kAll); }
    Stats bytes(String variant) { return figure(variant, x -> x.bytesPerRecord); }

    /** JSON: per variant its figures. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String v : variants) {
            Map<String, Object> x = new LinkedHashMap<>();
            Map<String, Object> eps = new LinkedHashMap<>();
            for (String w : List.of("batch", "single", "mixed", "all")) eps.put(w, Report.st(eps(v, w)));
            x.put("eps", eps);
            if (!v.equals(reference)) x.put("mixed_vs_" + key(reference), Report.st(vsReference(v, "mixed")));
            x.put("cpu_s_per_10k_mixed", Report.st(cpu(v)));
            x.put("cpu_s_per_10k_all", Report.st(cpuAll(v)));
            x.put("bytes_per_record", Report.st(bytes(v)));
            m.put(v, x);
        }
        return m;
    }

    /** Markdown: one row per variant. {@code cpuOf}: whose process the CPU column is, per variant. */
    String markdown(Function<String, String> label, Function<String, String> cpuOf) {
        StringBuilder md = new StringBuilder();
        md.append("| | (a) batch | (b) single | (c) mixed | mixed / ").append(label.apply(reference))
                .append(" | CPU s / 10k events (mixed) | CPU s / 10k events (all) | bytes per record (key + value) | CPU of |\n")
                .append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (String v : variants) {
            md.append("| ").append(label.apply(v)).append(" | ").append(Report.eps(eps(v, "batch"))).append(" | ")
                    .append(Report.eps(eps(v, "single"))).append(" | ").append(Report.eps(eps(v, "mixed"))).append(" | ")
                    .append(v.equals(reference) ? "–" : Report.ratio(vsReference(v, "mixed"))).append(" | ")
                    .append(Report.num(cpu(v), "%.2f")).append(" | ").append(Report.num(cpuAll(v), "%.2f")).append(" | ")
                    .append(Report.num(bytes(v), "%.0f")).append(" | ").append(cpuOf.apply(v)).append(" |\n");
        }
        md.append("\nPer repetition (events/s, batch / single / mixed; the order rotates; load average at the end of each run):\n\n| rep |");
        for (String v : variants) md.append(" ").append(label.apply(v)).append(" |");
        md.append("\n|---|");
        md.append("---|".repeat(variants.size())).append("\n");
        for (int i = 1; i <= reps; i++) {
            md.append("| ").append(i).append(" |");
            for (String v : variants) {
                ToolRun t = run(v, i);
                md.append(" ").append(t == null ? "–" : String.format("%s (load %.1f)", triple(t), t.load)).append(" |");
            }
            md.append("\n");
        }
        for (ToolRun t : runs) {
            if (!t.ok) md.append("\n").append(label.apply(t.tool)).append(" failed in repetition ").append(t.rep).append(": ")
                    .append(String.valueOf(t.error).replace("|", "/")).append("\n");
            else if (t.extra > 0) md.append("\n").append(label.apply(t.tool)).append(" wrote ").append(t.extra)
                    .append(" extra (duplicate) records in repetition ").append(t.rep).append("\n");
        }
        return md.toString();
    }

    static String triple(ToolRun t) {
        List<String> parts = new ArrayList<>();
        for (String w : Bench.WORKLOADS) {
            Double v = t.eps.get(w);
            parts.add(v == null ? "–" : String.format("%,.0f", v));
        }
        return String.join(" / ", parts);
    }

    /** A JSON key from a variant's name: "sluice run" -> sluice_run, "dtsAvro" -> dts_avro. */
    static String key(String variant) {
        return variant.replaceAll("([a-z])([A-Z])", "$1_$2").replace(' ', '_').toLowerCase();
    }
}
