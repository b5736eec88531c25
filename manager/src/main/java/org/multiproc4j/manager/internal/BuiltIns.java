package org.multiproc4j.manager.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.multiproc4j.manager.ManagedMap;
import org.multiproc4j.manager.ManagedValue;
import org.multiproc4j.manager.Namespace;
import org.multiproc4j.manager.ManagedUnaryOperator;

/** The types every manager can create, and the server-side objects behind them. */
final class BuiltIns {
    private static final Set<String> NAMES = new LinkedHashSet<>();

    private BuiltIns() {
    }

    static boolean isBuiltIn(String typeid) {
        return NAMES.contains(typeid);
    }

    private static void define(Server s, String typeid, Class<?> type, Server.Factory f) {
        synchronized (NAMES) {
            NAMES.add(typeid);
        }
        s.define(typeid, type, f);
    }

    static void registerAll(Server s) {
        define(s, "list", List.class, a -> Collections.synchronizedList(a.length > 0 && a[0] != null
                ? new ArrayList<>((Collection<?>) a[0]) : new ArrayList<>()));
        define(s, "array", List.class, a -> Collections.synchronizedList(Arrays.asList(
                ((Collection<?>) a[0]).toArray())));
        define(s, "set", Set.class, a -> Collections.synchronizedSet(a.length > 0 && a[0] != null
                ? new LinkedHashSet<>((Collection<?>) a[0]) : new LinkedHashSet<>()));
        define(s, "dict", ManagedMap.class, a -> {
            DictImpl<Object, Object> d = new DictImpl<>();
            if (a.length > 0 && a[0] != null) {
                d.putAll((Map<?, ?>) a[0]);
            }
            return d;
        });
        define(s, "namespace", Namespace.class, a -> new NamespaceImpl());
        define(s, "value", ManagedValue.class, a -> new ValueImpl<>(a.length > 0 ? a[0] : null));
        Sync.registerAll(s);
    }

    static void defineSync(Server s, String typeid, Class<?> type, Server.Factory f) {
        define(s, typeid, type, f);
    }

    /** A dict: a concurrent hash map whose serializable overloads (default methods) run here. */
    static final class DictImpl<K, V> extends ConcurrentHashMap<K, V> implements ManagedMap<K, V> {
        private static final long serialVersionUID = 1L;
    }

    /** A namespace. */
    static final class NamespaceImpl implements Namespace {
        private final Map<String, Object> values = new LinkedHashMap<>();

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <T> T get(String name) {
            if (!values.containsKey(name)) {
                throw new NoSuchElementException("the namespace has no '" + name + "'; it has " + values.keySet());
            }
            return (T) values.get(name);
        }

        @Override
        @SuppressWarnings("unchecked")
        public synchronized <T> Optional<T> find(String name) {
            return Optional.ofNullable((T) values.get(name));
        }

        @Override
        public synchronized void set(String name, Object value) {
            values.put(Objects.requireNonNull(name, "name"), value);
        }

        @Override
        public synchronized boolean contains(String name) {
            return values.containsKey(name);
        }

        @Override
        public synchronized boolean remove(String name) {
            boolean had = values.containsKey(name);
            values.remove(name);
            return had;
        }

        @Override
        public synchronized Set<String> names() {
            return new LinkedHashSet<>(values.keySet());
        }

        @Override
        public synchronized Map<String, Object> snapshot() {
            return new LinkedHashMap<>(values);
        }

        @Override
        public synchronized String toString() {
            StringBuilder b = new StringBuilder("Namespace(");
            String sep = "";
            for (Map.Entry<String, Object> e : values.entrySet()) {
                b.append(sep).append(e.getKey()).append('=').append(e.getValue());
                sep = ", ";
            }
            return b.append(')').toString();
        }
    }

    /** A value. */
    static final class ValueImpl<T> implements ManagedValue<T> {
        private T value;

        ValueImpl(T value) {
            this.value = value;
        }

        @Override
        public synchronized T get() {
            return value;
        }

        @Override
        public synchronized void set(T v) {
            value = v;
        }

        @Override
        public synchronized T getAndSet(T v) {
            T old = value;
            value = v;
            return old;
        }

        @Override
        public synchronized boolean compareAndSet(T expected, T update) {
            if (Objects.equals(value, expected)) {
                value = update;
                return true;
            }
            return false;
        }

        @Override
        public synchronized T updateAndGet(ManagedUnaryOperator<T> f) {
            value = f.apply(value);
            return value;
        }

        @Override
        public synchronized T getAndUpdate(ManagedUnaryOperator<T> f) {
            T old = value;
            value = f.apply(value);
            return old;
        }

        @Override
        public synchronized String toString() {
            return "Value(" + value + ")";
        }
    }
}
