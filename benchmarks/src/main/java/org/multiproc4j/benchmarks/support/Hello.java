package org.multiproc4j.benchmarks.support;

/**
 * The JVM floor: a bare {@code java -cp benchmarks.jar Hello}. Its first and only line prints
 * {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux, one clock for the whole machine), so the launcher can
 * tell start → first line as well as the whole run.
 */
public final class Hello {
    private Hello() {
    }

    /**
     * Prints the stamp.
     *
     * @param args ignored.
     */
    public static void main(String[] args) {
        long t = System.nanoTime();
        System.out.println(t);
    }
}
