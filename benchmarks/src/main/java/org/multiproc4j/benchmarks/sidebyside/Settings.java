package org.multiproc4j.benchmarks.sidebyside;

import java.nio.file.Path;

/**
 * How much to measure.
 *
 * @param quick  whether this is the smoke-test mode (figures not meaningful).
 * @param rounds how many times each side runs a trial set, alternating (A B A B ...).
 * @param trials timed trials per metric in one trial set.
 * @param warmup untimed trials per metric before them, in every trial set.
 * @param out    the directory the report goes to.
 */
public record Settings(boolean quick, int rounds, int trials, int warmup, Path out) {
    /** Rounds of a full run. */
    public static final int FULL_ROUNDS = 10;
    /** Timed trials per trial set of a full run. */
    public static final int FULL_TRIALS = 6;
    /** Rounds in quick mode. */
    public static final int QUICK_ROUNDS = 2;
    /** Timed trials per trial set in quick mode. */
    public static final int QUICK_TRIALS = 2;

    /**
     * Checks the numbers.
     *
     * @throws IllegalArgumentException if a count is out of range.
     */
    public Settings {
        if (rounds < 1 || trials < 1 || warmup < 0) {
            throw new IllegalArgumentException("rounds and trials must be at least 1 and warmup at least 0, got rounds="
                    + rounds + " trials=" + trials + " warmup=" + warmup);
        }
    }
}
