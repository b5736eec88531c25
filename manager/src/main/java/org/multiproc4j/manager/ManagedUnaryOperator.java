package org.multiproc4j.manager;

import java.io.Serializable;
import java.util.function.UnaryOperator;

/**
 * A {@link UnaryOperator} that can be sent to a manager's server and run there, as
 * {@link ManagedValue#updateAndGet(ManagedUnaryOperator)} does: a lambda written where this type is
 * expected is serializable, as are the values it captures, which must themselves be {@link Serializable}.
 *
 * <p>It is a plain {@link UnaryOperator}, without checked exceptions (unlike {@code org.multiproc4j.core}'s
 * serializable task types), so that a lambda given to {@link ManagedMap}'s versions of {@code ConcurrentMap}'s
 * methods picks the overload that runs in the server.
 *
 * <pre>{@code
 * ManagedUnaryOperator<Integer> twice = x -> 2 * x;
 * System.out.println(twice.apply(21));    // 42
 * }</pre>
 *
 * @param <T> the operand's and result's type.
 */
@FunctionalInterface
public interface ManagedUnaryOperator<T> extends UnaryOperator<T>, Serializable {
}
