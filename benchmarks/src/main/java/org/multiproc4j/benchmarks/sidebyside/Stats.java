package org.multiproc4j.benchmarks.sidebyside;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.HdrHistogram.DoubleHistogram;

/**
 * The summary of a metric's values: exact median, min, max and mean, and latency percentiles from an
 * HdrHistogram ({@link DoubleHistogram}, 3 significant digits).
 *
 * @param n      the number of values.
 * @param median the exact median.
 * @param min    the smallest value.
 * @param max    the largest value.
 * @param mean   the arithmetic mean.
 * @param p50    the 50th percentile from the histogram.
 * @param p90    the 90th percentile.
 * @param p99    the 99th percentile.
 * @param p999   the 99.9th percentile.
 */
public record Stats(int n, double median, double min, double max, double mean, double p50, double p90, double p99,
                    double p999) {

    /**
     * Summarises values.
     *
     * @param values the values; not empty.
     * @return the summary.
     * @throws IllegalArgumentException if there are no values.
     */
    public static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double sum = 0;
        DoubleHistogram h = new DoubleHistogram(3);
        boolean positive = sorted.get(0) > 0;
        for (double v : sorted) {
            sum += v;
            if (positive) {
                h.recordValue(v);
            }
        }
        double min = sorted.get(0);
        double max = sorted.get(n - 1);
        // the histogram answers with the highest value of a bucket (3 significant digits): keep it within the
        // exact extremes
        double p50 = positive ? clamp(h.getValueAtPercentile(50), min, max) : Double.NaN;
        double p90 = positive ? clamp(h.getValueAtPercentile(90), min, max) : Double.NaN;
        double p99 = positive ? clamp(h.getValueAtPercentile(99), min, max) : Double.NaN;
        double p999 = positive ? clamp(h.getValueAtPercentile(99.9), min, max) : Double.NaN;
        return new Stats(n, median, min, max, sum / n, p50, p90, p99, p999);
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    /**
     * The exact median of values.
     *
     * @param values the values; not empty.
     * @return the median.
     */
    public static double median(List<Double> values) {
        return of(values).median();
    }

    /**
     * The summary as a JSON-ready map.
     *
     * @param percentiles whether to include the histogram's percentiles (for latencies).
     * @return name → number.
     */
    public Map<String, Object> toMap(boolean percentiles) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("median", round(median));
        m.put("min", round(min));
        m.put("max", round(max));
        m.put("mean", round(mean));
        if (percentiles && !Double.isNaN(p50)) {
            m.put("p50", round(p50));
            m.put("p90", round(p90));
            m.put("p99", round(p99));
            m.put("p99_9", round(p999));
        }
        return m;
    }

    /**
     * Rounds to 6 significant digits, which is more than any figure here deserves.
     *
     * @param v a value.
     * @return the value, rounded.
     */
    static double round(double v) {
        if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(6)).doubleValue();
    }
}
