package org.multiproc4j.pool;

import java.util.LinkedHashMap;
import java.util.Map;

import org.multiproc4j.core.internal.TaskCodec;

/**
 * The functions a pool has serialized, by identity, so that a function used for many tasks is serialized once
 * and sent to each worker once. Bounded: the least recently used are forgotten.
 */
final class FunctionTable {
    static final int CAPACITY = 256;

    /** A serialized function and its id. */
    static final class Ref {
        final int id;
        final byte[] bytes;
        final String description;
        /** Sent with its one task and forgotten by the worker after it. */
        final boolean once;

        Ref(int id, byte[] bytes, String description, boolean once) {
            this.id = id;
            this.bytes = bytes;
            this.description = description;
            this.once = once;
        }
    }

    private static final class Key {
        final Object fn;

        Key(Object fn) {
            this.fn = fn;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).fn == fn;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(fn);
        }
    }

    private int nextId = 1;
    private final Map<Key, Ref> refs = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Ref> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Returns the serialized form of {@code fn}, serializing it (in the caller's thread) if needed.
     *
     * @throws org.multiproc4j.core.SerializationException naming the type if it cannot be serialized.
     */
    Ref refOf(Object fn) {
        Key k = new Key(fn);
        synchronized (this) {
            Ref r = refs.get(k);
            if (r != null) {
                return r;
            }
        }
        byte[] bytes = TaskCodec.encode(fn, "function");
        String name = fn.getClass().getName();
        int lambda = name.indexOf("$$Lambda");
        String description = lambda > 0 ? "a lambda of " + name.substring(0, lambda) : name;
        synchronized (this) {
            Ref r = refs.get(k);
            if (r == null) {
                r = new Ref(nextId++, bytes, description, false);
                refs.put(k, r);
            }
            return r;
        }
    }

    /** A function used once (an executor's callable): serialized, never kept. */
    synchronized Ref oneOff(Object fn) {
        byte[] bytes = TaskCodec.encode(fn, "task");
        return new Ref(nextId++, bytes, fn.getClass().getName(), true);
    }
}
