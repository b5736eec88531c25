package org.multiproc4j.manager;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * A {@link UnaryOperator} that can be sent to a manager's server and run there, as
 * {@link ManagedValue#updateAndGet(SerializableUnaryOperator)} does: a lambda written where this type is
 * expected is serializable, as are the values it captures, which must themselves be {@link Serializable}.
 *
 * <pre>{@code
 * SerializableUnaryOperator<Integer> twice = x -> 2 * x;
 * System.out.println(twice.apply(21));    // 42
 * }</pre>
 *
 * @param <T> the operand's and result's type.
 */
@FunctionalInterface
public interface SerializableUnaryOperator<T> extends UnaryOperator<T>, Serializable {
}
