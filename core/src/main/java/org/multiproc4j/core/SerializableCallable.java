package org.multiproc4j.core;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@link Callable} that can be sent to another JVM, whose result comes back to the parent:
 * see {@link JvmProcess#call(SerializableCallable)}.
 *
 * <pre>{@code
 * int x = 4;
 * TaskFuture<Integer> cube = JvmProcess.call(() -> x * x * x);
 * System.out.println(cube.get()); // 64, computed in a child JVM
 * }</pre>
 *
 * <p><b>Failure.</b> The task, and everything it captures, must be serializable; so must its result,
 * or the parent sees a {@link RemoteException} saying which type could not be sent back.
 *
 * @param <V> the type of the result
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
}
