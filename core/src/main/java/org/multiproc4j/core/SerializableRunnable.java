package org.multiproc4j.core;

import java.io.Serializable;

/**
 * A {@link Runnable} that can be sent to another JVM: the task type of {@link JvmProcess}.
 *
 * <p>A lambda or method reference assigned to this type is serializable, and so are the arguments it
 * captures, provided each captured value is itself {@link Serializable} (or a {@link Shareable}, which
 * travels as a small {@link Handle}).
 * <pre>{@code
 * int x = 3;
 * SerializableRunnable task = () -> System.out.println("cube of " + x + " is " + x * x * x);
 * }</pre>
 *
 * <p><b>Failure.</b> A captured value that cannot be serialized makes {@link JvmProcess#start()} throw a
 * {@link SerializationException} naming its type; nothing is started.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable {
}
