package org.multiproc4j.core;

import java.io.Serializable;

/**
 * A function of one argument that can be sent to another JVM and applied there: what a process pool's
 * {@code map}, {@code apply} and their relatives run ({@code org.multiproc4j.pool.ProcessPool}). Like
 * {@link SerializableCallable#call()} it may throw checked exceptions. A lambda or method reference assigned to this type is
 * serializable, and so are the values it captures, provided each is itself {@link Serializable}.
 * <pre>{@code
 * int power = 3;
 * SerializableFunction<Integer, Integer> cube = x -> (int) Math.pow(x, power);
 * }</pre>
 *
 * <p><b>Failure.</b> A captured value that cannot be serialized makes the call that submits the function
 * throw a {@link org.multiproc4j.core.SerializationException} naming its type; nothing is submitted. An
 * exception thrown by {@link #apply} in the worker reaches the caller as a
 * {@link org.multiproc4j.core.RemoteException} inside an {@link java.util.concurrent.ExecutionException}.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {

    /**
     * Computes the result, in a worker JVM.
     *
     * @param t the argument.
     * @return the result; it must be serializable by the codec of whatever sends it back.
     * @throws Exception whatever the function throws; checked exceptions are allowed.
     */
    R apply(T t) throws Exception;
}
