package org.multiproc4j.manager;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@link BiFunction} that can be sent to a manager's server and run there: a lambda written where this
 * type is expected is serializable, as are the values it captures, which must themselves be
 * {@link Serializable}. See {@link ManagedMap#merge(Object, Object, ManagedBiFunction)}.
 *
 * <p>It is a plain {@link BiFunction}, without checked exceptions (unlike {@code org.multiproc4j.core}'s
 * serializable task types), so that a lambda given to {@link ManagedMap}'s versions of {@code ConcurrentMap}'s
 * methods picks the overload that runs in the server.
 *
 * <pre>{@code
 * ManagedBiFunction<Integer, Integer, Integer> sum = Integer::sum;
 * System.out.println(sum.apply(2, 3));    // 5
 * }</pre>
 *
 * @param <T> the first argument's type.
 * @param <U> the second argument's type.
 * @param <R> the result's type.
 */
@FunctionalInterface
public interface ManagedBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable {
}
