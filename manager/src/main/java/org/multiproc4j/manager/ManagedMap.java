package org.multiproc4j.manager;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link ConcurrentMap} owned by a manager's server: Python's {@code DictProxy} ({@code manager.dict()}).
 * Every method is one round trip to the server, and runs there atomically: {@code putIfAbsent},
 * {@code replace}, {@code merge} and the {@code compute} family apply their function in the server, so a
 * read-modify-write from many processes loses no update.
 *
 * <pre>{@code
 * try (Manager manager = Manager.start()) {
 *     ManagedMap<String, Integer> counts = manager.map();
 *     List<JvmProcess> children = new ArrayList<>();
 *     for (int c = 0; c < 2; c++) {
 *         children.add(new JvmProcess(() -> {
 *             for (int i = 0; i < 100; i++) {
 *                 counts.merge("hits", 1, Integer::sum);    // runs in the server: nothing is lost
 *             }
 *         }).start());
 *     }
 *     for (JvmProcess child : children) {
 *         child.join();
 *     }
 *     System.out.println(counts);                            // {hits=200}
 * }
 * }</pre>
 *
 * <p><b>Functions.</b> The functions given to {@code merge}, {@code compute}, {@code computeIfAbsent},
 * {@code computeIfPresent} and {@code replaceAll} travel to the server, so they must be serializable. A
 * lambda or method reference written in the call is: the overloads taking {@link ManagedBiFunction} and
 * {@link ManagedFunction} are chosen for it. A function held in a plain {@code BiFunction} variable
 * that is not serializable is refused with an {@link IllegalArgumentException} before anything is sent.
 * Like {@link java.util.concurrent.ConcurrentHashMap}, the map holds no {@code null} keys or values.
 *
 * <p><b>Snapshots.</b> {@link #keySet()}, {@link #values()}, {@link #entrySet()}, {@link #snapshot()} and
 * iteration ({@code forEach}, a for-each loop over {@code entrySet()}) return copies taken in one round trip:
 * changing them does not change the map. {@code toString}, {@code equals} and {@code hashCode} follow
 * {@link Map}'s contracts on the server's current contents. Bulk operations ({@code putAll},
 * {@link #getAll(Collection)}) are one round trip each.
 *
 * <p><b>Thread and process safety.</b> Safe for use by any number of threads and processes at once.
 * Passing the map to a child process (capturing it in a task) gives the child its own connection to the
 * same map.
 *
 * <p><b>Failure.</b> An exception thrown in the server (a function that throws, a {@code null} key) is
 * rethrown to the caller with the server's stack trace as its cause; the map and the server are unharmed. If
 * the server is gone, every method throws {@link ManagerException}.
 *
 * @param <K> the keys' type.
 * @param <V> the values' type.
 */
public interface ManagedMap<K, V> extends ConcurrentMap<K, V> {

    /**
     * Merges a value into the map with a function run in the server: one atomic round trip.
     *
     * @param key      the key.
     * @param value    the value to merge in, or to set if the key is absent.
     * @param function combines the old value and {@code value}; {@code null} removes the key.
     * @return the new value, or {@code null} if the key was removed.
     * @throws NullPointerException if the key, the value or the function is {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default V merge(K key, V value, ManagedBiFunction<? super V, ? super V, ? extends V> function) {
        return merge(key, value, (BiFunction<? super V, ? super V, ? extends V>) function);
    }

    /**
     * Computes a key's new value with a function run in the server: one atomic round trip.
     *
     * @param key      the key.
     * @param function maps the key and its current value ({@code null} if absent) to the new value;
     *                 {@code null} removes the key.
     * @return the new value, or {@code null}.
     * @throws NullPointerException if the key or the function is {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default V compute(K key, ManagedBiFunction<? super K, ? super V, ? extends V> function) {
        return compute(key, (BiFunction<? super K, ? super V, ? extends V>) function);
    }

    /**
     * Sets a key's value, if absent, to what a function run in the server computes: one atomic round trip.
     *
     * @param key      the key.
     * @param function computes the value from the key; {@code null} leaves the key absent.
     * @return the current (existing or computed) value, or {@code null}.
     * @throws NullPointerException if the key or the function is {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default V computeIfAbsent(K key, ManagedFunction<? super K, ? extends V> function) {
        return computeIfAbsent(key, (Function<? super K, ? extends V>) function);
    }

    /**
     * Changes a present key's value with a function run in the server: one atomic round trip.
     *
     * @param key      the key.
     * @param function maps the key and its value to the new value; {@code null} removes the key.
     * @return the new value, or {@code null}.
     * @throws NullPointerException if the key or the function is {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default V computeIfPresent(K key, ManagedBiFunction<? super K, ? super V, ? extends V> function) {
        return computeIfPresent(key, (BiFunction<? super K, ? super V, ? extends V>) function);
    }

    /**
     * Replaces every value with what a function run in the server computes: one round trip.
     *
     * @param function maps each key and value to the new value.
     * @throws NullPointerException if the function is {@code null}, or returns {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default void replaceAll(ManagedBiFunction<? super K, ? super V, ? extends V> function) {
        replaceAll((BiFunction<? super K, ? super V, ? extends V>) function);
    }

    /**
     * Returns the values of several keys in one round trip.
     *
     * @param keys the keys.
     * @return a new map from each key that is present to its value, in the order of {@code keys}.
     * @throws NullPointerException if {@code keys} is or holds {@code null}.
     * @throws ManagerException     if the server is gone.
     */
    default Map<K, V> getAll(Collection<? extends K> keys) {
        Map<K, V> out = new LinkedHashMap<>();
        for (K k : keys) {
            V v = get(k);
            if (v != null) {
                out.put(k, v);
            }
        }
        return out;
    }

    /**
     * Returns a copy of the whole map, taken in one round trip.
     *
     * @return a new, unshared map.
     * @throws ManagerException if the server is gone.
     */
    default Map<K, V> snapshot() {
        return new LinkedHashMap<>(this);
    }
}
