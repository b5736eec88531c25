package org.multiproc4j.core;

/**
 * How {@link JvmProcess#start()} gets a child JVM, after Python's start methods. A JVM takes tens of milliseconds
 * to boot, far more than the rest of a start, so the default keeps one booted JVM ready.
 *
 * <pre>{@code
 * JvmProcess fresh = new JvmProcess(() -> System.out.println("in a JVM booted for me"),
 *         new JvmProcess.Options().startMethod(StartMethod.SPAWN));
 * fresh.start();
 * fresh.join(Duration.ofSeconds(30));
 * System.out.println(JvmProcess.defaultStartMethod());   // WARM_SPARE, unless changed
 * }</pre>
 *
 * <p>Choose per process with {@link JvmProcess.Options#startMethod(StartMethod)}, or for all processes whose
 * options do not choose with {@link JvmProcess#setDefaultStartMethod(StartMethod)} or the system property
 * {@value JvmProcess#START_METHOD_PROP} ({@code spawn} or {@code warm-spare}). Either way the child is a child
 * of this JVM with its own pid, options and name; only the moment its JVM booted differs.
 *
 * <p><b>Thread safety.</b> Immutable.
 */
public enum StartMethod {
    /**
     * Launch a fresh JVM at every {@link JvmProcess#start()} (Python's {@code spawn}): nothing runs ahead of
     * need, and each start pays a JVM boot.
     */
    SPAWN,
    /**
     * Serve {@link JvmProcess#start()} from a warm spare, a JVM of the same configuration started ahead of need,
     * booted and waiting for its task, and start the next spare in the background (the role Python's
     * {@code forkserver} plays). The task then runs a few milliseconds after {@code start()}. The first start of
     * a configuration launches a fresh JVM, as {@link #SPAWN} does, and the configuration's first spare is
     * launched as soon as that JVM has booted (a configuration that cannot boot gets none). The cost is one idle
     * JVM per recently used configuration (at most two configurations keep one): spares are not listed by
     * {@link JvmProcess#activeChildren()}, and they end when this JVM exits, when it dies, or on
     * {@link JvmProcess#discardSpares()}. A spare that has waited a quarter of a second prepares, on a thread of
     * its own and only while a core is free, what most tasks' first steps need (JDK serialization, the classes
     * that attach pipes, queues and shared memory; see {@link org.multiproc4j.core.spi.ChildWarmUp#prepare()}):
     * a task that captures a pipe end then starts tens of milliseconds sooner. The system property
     * {@code multiproc4j.spare.prepare} ({@code idle}, the default; {@code always}; {@code never}) changes when.
     * A child whose output goes to a file
     * ({@link ProcessBuilder.Redirect#to}) is always launched fresh, so that nothing is created before
     * {@code start()}.
     */
    WARM_SPARE
}
