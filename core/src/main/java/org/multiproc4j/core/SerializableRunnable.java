package org.multiproc4j.core;

import java.io.Serializable;

/**
 * A task without a result that can be sent to another JVM: the task type of {@link JvmProcess}, Python's
 * {@code Process(target=...)}. Its body may throw any exception, checked ones included, so that a child's
 * body needs no {@code try}/{@code catch} around the I/O it does (a pipe's {@code recv}, a queue's
 * {@code put}).
 *
 * <p>A lambda or method reference assigned to this type is serializable, and so are the arguments it
 * captures, provided each captured value is itself {@link Serializable} (or a {@link Shareable}, which
 * travels as a small {@link Handle}).
 * <pre>{@code
 * int x = 3;
 * SerializableRunnable task = () -> System.out.println("cube of " + x + " is " + x * x * x);
 * SerializableRunnable writer = () -> Files.writeString(Path.of("cube.txt"), "27"); // may throw IOException
 * }</pre>
 *
 * <p><b>Failure.</b> A captured value that cannot be serialized makes {@link JvmProcess#start()} throw a
 * {@link SerializationException} naming its type; nothing is started.
 */
@FunctionalInterface
public interface SerializableRunnable extends Serializable {

    /**
     * Runs the task.
     *
     * <p>In a child JVM started by {@link JvmProcess}, an exception thrown here ends the child with exit
     * status {@link JvmProcess#EXIT_TASK_FAILED}; its stack trace is printed on the child's standard error
     * (as Python's {@code Process} does) and the parent reads it as {@link JvmProcess#failure()}.
     *
     * @throws Exception whatever the task throws.
     */
    void run() throws Exception;
}
