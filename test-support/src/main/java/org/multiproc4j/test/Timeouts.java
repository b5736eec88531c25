package org.multiproc4j.test;

import java.time.Duration;

/**
 * Named test delays, scaled for slow machines (after {@code JSR166TestCase}'s {@code delayFactor}): set
 * the system property {@value #FACTOR_PROP} or the environment variable {@value #FACTOR_ENV} to a number
 * to multiply them all.
 */
public final class Timeouts {
    /** System property that scales every delay. */
    public static final String FACTOR_PROP = "multiproc4j.test.timeoutFactor";
    /** Environment variable that scales every delay when the property is not set. */
    public static final String FACTOR_ENV = "MULTIPROC4J_TEST_TIMEOUT_FACTOR";

    /** A wait for something that should happen at once (a second, scaled). */
    public static final Duration SHORT = scaled(Duration.ofSeconds(1));
    /** A wait for a child JVM to start and do a little (10 seconds, scaled). */
    public static final Duration MEDIUM = scaled(Duration.ofSeconds(10));
    /** A wait for a test that starts several JVMs (30 seconds, scaled). */
    public static final Duration LONG = scaled(Duration.ofSeconds(30));

    private Timeouts() {
    }

    /**
     * Returns the factor every delay is multiplied by.
     *
     * @return the factor, at least 1.
     */
    public static double factor() {
        String v = System.getProperty(FACTOR_PROP);
        if (v == null || v.isBlank()) {
            v = System.getenv(FACTOR_ENV);
        }
        try {
            return v == null || v.isBlank() ? 1.0 : Math.max(1.0, Double.parseDouble(v.trim()));
        } catch (NumberFormatException e) {
            return 1.0;
        }
    }

    /**
     * Scales a delay by {@link #factor()}.
     *
     * @param base the delay on a fast machine.
     * @return the delay to use here.
     */
    public static Duration scaled(Duration base) {
        return Duration.ofNanos((long) (base.toNanos() * factor()));
    }
}
