package io.sluice.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** Median with its spread (min–max) over the repetitions; nulls (failed runs) are left out. */
record Stats(Double median, Double min, Double max, int n) {

    static Stats of(List<Double> values) {
        List<Double> v = new ArrayList<>(values.stream().filter(Objects::nonNull).filter(d -> !d.isNaN()).toList());
        if (v.isEmpty()) return new Stats(null, null, null, 0);
        Collections.sort(v);
        int k = v.size();
        double median = k % 2 == 1 ? v.get(k / 2) : (v.get(k / 2 - 1) + v.get(k / 2)) / 2;
        return new Stats(median, v.get(0), v.get(k - 1), k);
    }

    /** Percentile (nearest rank) of sorted values. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Spread as a fraction of the median: (max - min) / median. */
    Double spread() {
        return median == null || median == 0 ? null : (max - min) / median;
    }
}
