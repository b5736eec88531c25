package org.multiproc4j.manager;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@link Function} that can be sent to a manager's server and run there: a lambda written where this type
 * is expected is serializable, as are the values it captures, which must themselves be
 * {@link Serializable}. See {@link ManagedMap#computeIfAbsent(Object, SerializableFunction)}.
 *
 * <pre>{@code
 * SerializableFunction<String, Integer> length = String::length;
 * System.out.println(length.apply("ford"));    // 4
 * }</pre>
 *
 * @param <T> the argument's type.
 * @param <R> the result's type.
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable {
}
