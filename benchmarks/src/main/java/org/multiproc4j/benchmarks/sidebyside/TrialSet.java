package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of one trial set of one side: for each metric, its unit, its direction and the values of the
 * timed trials. Warm-up trials run the same code with recording off.
 *
 * <p>Not thread-safe: one trial set is filled by one thread.
 */
public final class TrialSet {
    /**
     * One trial: does the work once and {@link TrialSet#add adds} what it measured.
     */
    @FunctionalInterface
    public interface Trial {
        /**
         * Runs the trial.
         *
         * @throws Exception if the trial fails; the trial set (and its workload) fails with it.
         */
        void run() throws Exception;
    }

    /**
     * The values of one metric.
     *
     * @param unit   the unit, such as {@code ms}.
     * @param better which direction is better.
     * @param values the values in trial order.
     */
    public record Values(String unit, Better better, List<Double> values) {
    }

    private final Map<String, Values> metrics = new LinkedHashMap<>();
    private boolean recording = true;

    /**
     * Adds a value to a metric, unless a warm-up trial is running.
     *
     * @param metric the metric's name, such as {@code first_line_ms}.
     * @param value  the value.
     * @param unit   its unit.
     * @param better which direction is better.
     * @throws IllegalArgumentException if the metric was added before with another unit or direction.
     */
    public void add(String metric, double value, String unit, Better better) {
        Values v = metrics.computeIfAbsent(metric, k -> new Values(unit, better, new ArrayList<>()));
        if (!v.unit().equals(unit) || v.better() != better) {
            throw new IllegalArgumentException(metric + ": unit/direction changed from " + v.unit() + "/" + v.better()
                    + " to " + unit + "/" + better);
        }
        if (recording) {
            v.values().add(value);
        }
    }

    /**
     * Adds a time in milliseconds, lower being better.
     *
     * @param metric   the metric's name.
     * @param fromNano a {@link System#nanoTime()} stamp.
     * @param toNano   a later stamp.
     */
    public void addMillis(String metric, long fromNano, long toNano) {
        add(metric, (toNano - fromNano) / 1e6, "ms", Better.LOWER);
    }

    /**
     * Runs {@code warmup} untimed trials, then {@code trials} timed ones.
     *
     * @param warmup the number of warm-up trials.
     * @param trials the number of timed trials.
     * @param trial  the trial.
     * @throws Exception what the trial throws.
     */
    public void repeat(int warmup, int trials, Trial trial) throws Exception {
        try {
            for (int i = 0; i < warmup + trials; i++) {
                recording = i >= warmup;
                trial.run();
            }
        } finally {
            recording = true;
        }
    }

    /**
     * Returns the metrics, in the order they were first added.
     *
     * @return metric name → values.
     */
    public Map<String, Values> metrics() {
        return metrics;
    }
}
