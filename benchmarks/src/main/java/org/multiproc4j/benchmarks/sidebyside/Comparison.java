package org.multiproc4j.benchmarks.sidebyside;

/**
 * One row of the report: a multiproc4j metric against the Python metric that measures the same thing.
 *
 * @param measure     what is measured, as the table says it.
 * @param chartLabel  a short label for the chart.
 * @param javaMetric  the metric's name on multiproc4j's side.
 * @param pythonMetric the metric's name on Python's side.
 */
public record Comparison(String measure, String chartLabel, String javaMetric, String pythonMetric) {
}
