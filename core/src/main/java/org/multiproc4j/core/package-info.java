/**
 * Child JVM processes: Java's counterpart of Python's {@code multiprocessing.Process}.
 *
 * <p>{@link org.multiproc4j.core.JvmProcess} runs a serializable task in a new JVM started with this
 * JVM's java executable and classpath; {@link org.multiproc4j.core.JvmProcess#call JvmProcess.call}
 * brings a value back. Shared objects captured by a task travel as {@link org.multiproc4j.core.Handle}s
 * and re-attach in the child ({@link org.multiproc4j.core.Shareable}).
 *
 * <pre>{@code
 * JvmProcess child = new JvmProcess(() -> System.out.println("hello from " + JvmProcess.current().name()));
 * child.start();
 * child.join();
 * System.out.println("exit code: " + child.exitCode());
 *
 * TaskFuture<Integer> cube = JvmProcess.call(() -> 4 * 4 * 4);
 * System.out.println(cube.get());   // 64
 * }</pre>
 */
package org.multiproc4j.core;
