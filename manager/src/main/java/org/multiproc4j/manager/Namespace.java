package org.multiproc4j.manager;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A set of named values owned by a manager's server: Python's {@code manager.Namespace()}, whose attributes
 * ({@code ns.x = 1}) become names here ({@code ns.set("x", 1)}).
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     Namespace settings = manager.namespace();
 *     new JvmProcess(() -> settings.set("mode", "fast")).start().join();
 *     System.out.println(settings.<String>get("mode"));   // fast
 *     System.out.println(settings);                      // Namespace(mode=fast)
 * }
 * }</pre>
 *
 * <p><b>Thread and process safety.</b> Each method is one round trip and atomic in the server; safe for use by
 * any number of threads and processes. Values are copies: changing a value object after {@code set} (or
 * after {@code get}) does not change the namespace.
 *
 * <p><b>Failure.</b> If the server is gone, every method throws {@link ManagerException}.
 */
public interface Namespace {

    /**
     * Returns a name's value.
     *
     * @param <T>  the value's type (not checked: a wrong one fails with {@link ClassCastException} where used).
     * @param name the name.
     * @return the value.
     * @throws java.util.NoSuchElementException if the name is not set.
     * @throws ManagerException                 if the server is gone.
     */
    <T> T get(String name);

    /**
     * Returns a name's value, or empty if the name is not set (or set to {@code null}).
     *
     * @param <T>  the value's type.
     * @param name the name.
     * @return the value, if any.
     * @throws ManagerException if the server is gone.
     */
    <T> Optional<T> find(String name);

    /**
     * Sets a name's value.
     *
     * @param name  the name.
     * @param value the value, {@code null} allowed; it must be serializable.
     * @throws NullPointerException if {@code name} is {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    void set(String name, Object value);

    /**
     * Tells whether a name is set.
     *
     * @param name the name.
     * @return {@code true} if it is.
     * @throws ManagerException if the server is gone.
     */
    boolean contains(String name);

    /**
     * Removes a name.
     *
     * @param name the name.
     * @return whether it was set.
     * @throws ManagerException if the server is gone.
     */
    boolean remove(String name);

    /**
     * Returns the names that are set, in the order they were first set.
     *
     * @return a copy.
     * @throws ManagerException if the server is gone.
     */
    Set<String> names();

    /**
     * Returns a copy of every name and value.
     *
     * @return a new map, in the order the names were first set.
     * @throws ManagerException if the server is gone.
     */
    Map<String, Object> snapshot();
}
