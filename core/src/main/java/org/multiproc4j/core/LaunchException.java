package org.multiproc4j.core;

import java.util.Objects;

/**
 * A child JVM could not boot: it ended before it ran multiproc4j's child entry point, so its task never
 * started. Typical causes are a JVM option the java executable does not know ({@code -XX:+NoSuchFlag}), too
 * small a heap ({@code maxHeap("1m")}), a classpath on which multiproc4j's core is missing, or a java
 * executable that is not a JVM at all.
 *
 * <pre>{@code
 * JvmProcess p = new JvmProcess(() -> System.out.println("never runs"),
 *         new JvmProcess.Options().jvmOptions("-XX:+NoSuchFlag")).start();
 * try {
 *     p.join();
 * } catch (LaunchException e) {
 *     System.out.println(e.jvmOutput());   // Unrecognized VM option 'NoSuchFlag' ...
 *     System.out.println(e.exitCode());    // 1
 * }
 * }</pre>
 *
 * <p>It is thrown by {@link JvmProcess#join()} and {@link JvmProcess#join(java.time.Duration)}, is the cause
 * of the {@link java.util.concurrent.ExecutionException} of {@link TaskFuture#get()}, and is reported by
 * {@link JvmProcess#launchFailure()}. {@link #jvmOutput()} holds what the JVM itself printed about the
 * problem: multiproc4j learns it by launching the same command once more with its output captured, so the
 * text is there even when the failed child's standard error went to the console (where the user saw it
 * once).
 *
 * <p><b>Thread safety.</b> Instances are immutable.
 */
public class LaunchException extends ProcessException {
    private static final long serialVersionUID = 1L;

    /** What the JVM printed about the failure. */
    private final String jvmOutput;
    /** The JVM's exit status. */
    private final int exitCode;

    /**
     * Creates an exception for a child JVM that could not boot.
     *
     * @param message   the detail message; it names the process and includes {@code jvmOutput}.
     * @param jvmOutput what the JVM printed about the failure, possibly empty.
     * @param exitCode  the JVM's exit status.
     * @throws NullPointerException if {@code jvmOutput} is {@code null}.
     */
    public LaunchException(String message, String jvmOutput, int exitCode) {
        super(message);
        this.jvmOutput = Objects.requireNonNull(jvmOutput, "jvmOutput");
        this.exitCode = exitCode;
    }

    /**
     * Returns what the JVM printed about its failure to boot, for instance
     * {@code "Unrecognized VM option 'NoSuchFlag'"} followed by the launcher's own lines, or
     * {@code "Error occurred during initialization of VM\nToo small maximum heap"}.
     *
     * @return the JVM's error text, without trailing blank lines; empty if a second launch of the same
     *         command booted (the failure did not repeat) or the JVM was killed by a signal.
     */
    public String jvmOutput() {
        return jvmOutput;
    }

    /**
     * Returns the exit status of the JVM that could not boot, as {@link JvmProcess#exitCode()} does.
     *
     * @return the exit status, usually 1.
     */
    public int exitCode() {
        return exitCode;
    }
}
