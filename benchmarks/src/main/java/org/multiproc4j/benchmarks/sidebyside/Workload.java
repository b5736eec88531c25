package org.multiproc4j.benchmarks.sidebyside;

import java.util.List;
import java.util.Map;

/**
 * A named workload measured on both sides: multiproc4j's trial set runs in the runner's JVM, Python's in
 * {@code mp_side.py} under the same name. A new workload implements this interface, adds its Python half to
 * {@code mp_side.py}'s {@code WORKLOADS}, and is listed in {@link Workloads#all()}.
 *
 * <p>Instances are used by one thread. {@link #close()} releases what {@link #prepare} set up.
 */
public interface Workload extends AutoCloseable {
    /**
     * The workload's name, the same on both sides.
     *
     * @return e.g. {@code process_start}.
     */
    String name();

    /**
     * One line saying what is measured.
     *
     * @return the title.
     */
    String title();

    /**
     * How the processes wait for each other, which every figure must state.
     *
     * @return e.g. "busy spin" or "none: blocking reads".
     */
    String idleStrategy();

    /**
     * The sizes and settings of the workload, for the report.
     *
     * @param settings the run's settings.
     * @return name → value (strings, numbers, booleans, lists).
     */
    Map<String, Object> parameters(Settings settings);

    /**
     * Parameters passed to the Python side as {@code --param key=value}.
     *
     * @param settings the run's settings.
     * @return key → value; empty by default.
     */
    default Map<String, String> pythonParameters(Settings settings) {
        return Map.of();
    }

    /**
     * The rows of the report table.
     *
     * @return the comparisons.
     */
    List<Comparison> comparisons();

    /**
     * Goals for ratios measured in the same run.
     *
     * @return the targets; none by default.
     */
    default List<Target> targets() {
        return List.of();
    }

    /**
     * Runs once before the first round, untimed: warm-up, peers, files. What it finds goes to the report.
     *
     * @param settings the run's settings.
     * @return facts for the report (e.g. whether a class-data archive is in use); empty by default.
     * @throws Exception if the workload cannot run.
     */
    default Map<String, Object> prepare(Settings settings) throws Exception {
        return Map.of();
    }

    /**
     * Runs one multiproc4j trial set: {@link Settings#warmup()} untimed and {@link Settings#trials()} timed
     * trials of every metric.
     *
     * @param set      where the figures go.
     * @param settings the run's settings.
     * @throws Exception if a trial fails.
     */
    void runJava(TrialSet set, Settings settings) throws Exception;

    /**
     * A guess at how long one trial set of one side takes, for the time-left estimate before any trial set has
     * run.
     *
     * @param settings the run's settings.
     * @return seconds.
     */
    double estimatedSecondsPerSet(Settings settings);

    /**
     * Tells whether a quick run ({@code --quick}) without {@code --workloads} includes this workload. A workload
     * whose every trial boots several processes (the MPI jobs), or that repeats another's trial after a pause (the
     * quiet start rows), is left to full runs, or to a quick run that names it, so that the smoke test stays quick.
     *
     * @return {@code true} by default.
     */
    default boolean inQuickRun() {
        return true;
    }

    /** Releases what {@link #prepare} set up; harmless when nothing was. */
    @Override
    default void close() {
    }
}
