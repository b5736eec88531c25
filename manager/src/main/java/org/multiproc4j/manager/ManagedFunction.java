package org.multiproc4j.manager;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a manager's server and run there: a lambda written where this type
 * is expected is serializable, as are the values it captures, which must themselves be
 * {@link Serializable}. See {@link ManagedMap#computeIfAbsent(Object, ManagedFunction)}.
 *
 * <p>It is a plain {@link Function}, without checked exceptions (unlike {@code org.multiproc4j.core}'s
 * serializable task types), so that a lambda given to {@link ManagedMap}'s versions of {@code ConcurrentMap}'s
 * methods picks the overload that runs in the server.
 *
 * <pre>{@code
 * ManagedFunction<String, Integer> length = String::length;
 * System.out.println(length.apply("ford"));    // 4
 * }</pre>
 *
 * @param <T> the argument's type.
 * @param <R> the result's type.
 */
@FunctionalInterface
public interface ManagedFunction<T, R> extends Function<T, R>, Serializable {
}
