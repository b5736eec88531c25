package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.List;

/**
 * Every value of one metric of one side over a whole run, and the median of each round.
 *
 * <p>Not thread-safe.
 */
final class Series {
    final String unit;
    final Better better;
    final List<Double> values = new ArrayList<>();
    final List<Double> roundMedians = new ArrayList<>();

    Series(String unit, Better better) {
        this.unit = unit;
        this.better = better;
    }

    void addRound(List<Double> round) {
        if (!round.isEmpty()) {
            values.addAll(round);
            roundMedians.add(Stats.median(round));
        }
    }

    Stats stats() {
        return Stats.of(values);
    }

    /** Latency-like metrics (times) get percentiles in the report. */
    boolean isTime() {
        return unit.equals("ns") || unit.equals("us") || unit.equals("ms") || unit.equals("s");
    }
}
