package org.multiproc4j.benchmarks.sidebyside;

/** Which direction of a figure is better: less time, or more operations per second. */
public enum Better {
    /** Smaller is better (a time). */
    LOWER,
    /** Larger is better (a rate). */
    HIGHER;

    /**
     * Parses the form the Python side writes.
     *
     * @param s {@code "lower"} or {@code "higher"}.
     * @return the direction.
     * @throws IllegalArgumentException for anything else.
     */
    public static Better parse(String s) {
        switch (s) {
            case "lower":
                return LOWER;
            case "higher":
                return HIGHER;
            default:
                throw new IllegalArgumentException("better: expected 'lower' or 'higher', got '" + s + "'");
        }
    }

    /**
     * The form written to the JSON report.
     *
     * @return {@code "lower"} or {@code "higher"}.
     */
    public String json() {
        return this == LOWER ? "lower" : "higher";
    }
}
