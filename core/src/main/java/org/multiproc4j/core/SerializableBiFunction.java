package org.multiproc4j.core;

import java.io.Serializable;

/**
 * A function of two arguments that can be sent to another JVM and applied there: what a process pool's
 * {@code starmap} runs (Python's {@code starmap} over pairs). A lambda or method reference assigned to this type is serializable,
 * and so are the values it captures, provided each is itself {@link Serializable}.
 * <pre>{@code
 * SerializableBiFunction<Double, Double, Double> power = Math::pow;
 * }</pre>
 *
 * <p><b>Failure.</b> As for {@link SerializableFunction}.
 *
 * @param <A> the first argument's type
 * @param <B> the second argument's type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<A, B, R> extends Serializable {

    /**
     * Computes the result, in a worker JVM.
     *
     * @param a the first argument.
     * @param b the second argument.
     * @return the result; it must be serializable by the codec of whatever sends it back.
     * @throws Exception whatever the function throws; checked exceptions are allowed.
     */
    R apply(A a, B b) throws Exception;
}
