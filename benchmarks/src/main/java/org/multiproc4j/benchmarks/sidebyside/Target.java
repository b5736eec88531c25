package org.multiproc4j.benchmarks.sidebyside;

/**
 * A goal set for a ratio of two medians measured in the same run, such as "start → first line at most 1.3×
 * a bare {@code java Hello}".
 *
 * @param label       what the goal says.
 * @param numerator   the metric whose median is divided.
 * @param denominator the metric whose median divides.
 * @param limit       the largest ratio that meets the goal.
 * @param source      where the goal comes from (an issue, say).
 */
public record Target(String label, Ref numerator, Ref denominator, double limit, String source) {
    /** Which side a metric belongs to. */
    public enum Side {
        /** multiproc4j's side. */
        JAVA,
        /** Python's side. */
        PYTHON
    }

    /**
     * A metric of one side.
     *
     * @param side   the side.
     * @param metric the metric's name.
     */
    public record Ref(Side side, String metric) {
        /**
         * A metric of multiproc4j's side.
         *
         * @param metric the name.
         * @return the reference.
         */
        public static Ref java(String metric) {
            return new Ref(Side.JAVA, metric);
        }

        /**
         * A metric of Python's side.
         *
         * @param metric the name.
         * @return the reference.
         */
        public static Ref python(String metric) {
            return new Ref(Side.PYTHON, metric);
        }
    }
}
