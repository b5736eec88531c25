package org.multiproc4j.pool;

import java.io.Serializable;

/**
 * A function of one argument that can be sent to a worker JVM: what {@link ProcessPool#map},
 * {@link ProcessPool#apply} and their relatives run. A lambda or method reference assigned to this type is
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
     * @return the result; it must be serializable by the pool's codec.
     * @throws Exception whatever the function throws; checked exceptions are allowed.
     */
    R apply(T t) throws Exception;
}
