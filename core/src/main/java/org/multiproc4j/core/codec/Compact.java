package org.multiproc4j.core.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.internal.Wire;

/**
 * The fast codec's compact form: small trees of the JDK's everyday collections holding plain values, written
 * and read without Kryo (a few tens of nanoseconds instead of hundreds for a small map of lists). It covers
 * exactly these classes (not their subclasses): {@code ArrayList}, {@code HashMap}, {@code LinkedHashMap},
 * {@code HashSet}, {@code LinkedHashSet}, and the lists, sets and maps of {@code List.of}, {@code Set.of} and
 * {@code Map.of}; their elements, keys and values are those collections again (at most {@value #MAX_DEPTH}
 * levels) or plain values ({@link Wire}: {@code null}, boxed primitives, strings, primitive arrays, tuples).
 * Anything else, anywhere in the tree, and the value goes to Kryo whole. Every class here is one the fast codec
 * always carries, so registrations and allow-lists are not involved, and decoding builds the same classes
 * (an immutable collection through its factory, so one holding {@code null} is left to Kryo).
 *
 * <pre>
 *  'K' fingerprint 0 node     node: kind byte, then
 *    NULL | TRUE | FALSE       nothing
 *    INT int32 | LONG int64 | DOUBLE float64           (little-endian)
 *    LATIN1 n bytes | UTF16 n chars                    (n: unsigned LEB128 varint)
 *    PLAIN n, then a plain message of n bytes          (the other plain values, see Wire)
 *    ARRAY_LIST .. IMMUTABLE_SET n, then n nodes;  HASH_MAP .. IMMUTABLE_MAP n, then n key and value nodes
 * </pre>
 *
 * <p>Reading checks every count against the bytes left before it allocates, and the nesting depth: corrupt or
 * truncated input fails with a {@link SerializationException}. Stateless and thread-safe.
 */
final class Compact {
    /**
     * The first byte after the fast codec's header (tag {@code 'K'} and fingerprint) that says the compact form
     * follows: 0, Kryo's mark of a {@code null} object, which the codec never writes at the top of a message
     * ({@code null} is a plain value), so the form stays inside the fast codec's own messages.
     */
    static final byte MARKER = 0;
    /** Collections nested deeper than this go to Kryo. */
    static final int MAX_DEPTH = 8;

    private static final byte NULL = 1;
    private static final byte TRUE = 2;
    private static final byte FALSE = 3;
    private static final byte INT = 4;
    private static final byte LONG = 5;
    private static final byte DOUBLE = 6;
    private static final byte LATIN1 = 7;
    private static final byte UTF16 = 8;
    private static final byte PLAIN = 9;
    private static final byte ARRAY_LIST = 16;
    private static final byte IMMUTABLE_LIST = 17;
    private static final byte HASH_SET = 18;
    private static final byte LINKED_HASH_SET = 19;
    private static final byte IMMUTABLE_SET = 20;
    private static final byte HASH_MAP = 21;
    private static final byte LINKED_HASH_MAP = 22;
    private static final byte IMMUTABLE_MAP = 23;

    private static final Class<?> LIST12 = List.of(1).getClass();
    private static final Class<?> LISTN = List.of().getClass();
    private static final Class<?> SET12 = Set.of(1).getClass();
    private static final Class<?> SETN = Set.of().getClass();
    private static final Class<?> MAP1 = Map.of(1, 1).getClass();
    private static final Class<?> MAPN = Map.of().getClass();

    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Compact() {
    }

    /** The kind of a collection, or 0 if this is not one of the compact form's classes. */
    private static byte kindOf(Class<?> c) {
        if (c == ArrayList.class) {
            return ARRAY_LIST;
        } else if (c == LinkedHashMap.class) {
            return LINKED_HASH_MAP;
        } else if (c == HashMap.class) {
            return HASH_MAP;
        } else if (c == LIST12 || c == LISTN) {
            return IMMUTABLE_LIST;
        } else if (c == MAP1 || c == MAPN) {
            return IMMUTABLE_MAP;
        } else if (c == HashSet.class) {
            return HASH_SET;
        } else if (c == LinkedHashSet.class) {
            return LINKED_HASH_SET;
        } else if (c == SET12 || c == SETN) {
            return IMMUTABLE_SET;
        }
        return 0;
    }

    private static boolean immutable(byte kind) {
        return kind == IMMUTABLE_LIST || kind == IMMUTABLE_SET || kind == IMMUTABLE_MAP;
    }

    // ---------------------------------------------------------------------------------------- writing

    /**
     * Tells whether a value's class is one the compact form starts with (a cheap first test).
     *
     * @param value a value that is not plain.
     * @return {@code true} if it may have a compact form.
     */
    static boolean candidate(Object value) {
        return kindOf(value.getClass()) != 0;
    }

    /**
     * Appends a collection's compact message (from the {@link #MARKER} on: the caller wrote the header), in one pass; gives up (returning {@code false}, with garbage past
     * {@code out}'s length on entry, which the caller resets) where something in it has no compact form.
     *
     * @param value a {@linkplain #candidate candidate}.
     * @param out   the buffer.
     * @return {@code true} if the message was written.
     * @throws ConcurrentModificationException if a collection changed while it was written.
     */
    static boolean write(Object value, CodecBuffer out) {
        int start = out.length();
        byte[] a = out.reserve(64);
        a[start] = MARKER;
        out.length(start + 1);
        return node(value, out, 0);
    }

    private static int varintLength(int v) {
        return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
    }

    private static int varint(byte[] a, int at, int v) {
        while (v >= 0x80) {
            a[at++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        a[at++] = (byte) v;
        return at;
    }

    private static boolean node(Object v, CodecBuffer out, int depth) {
        int at = out.length();
        if (v == null) {
            out.reserve(1)[at] = NULL;
            out.length(at + 1);
            return true;
        }
        Class<?> c = v.getClass();
        if (c == Integer.class) {
            byte[] a = out.reserve(5);
            a[at] = INT;
            INTS.set(a, at + 1, (int) (Integer) v);
            out.length(at + 5);
            return true;
        } else if (c == String.class) {
            writeString((String) v, out, at);
            return true;
        } else if (c == Double.class) {
            byte[] a = out.reserve(9);
            a[at] = DOUBLE;
            LONGS.set(a, at + 1, Double.doubleToRawLongBits((Double) v));
            out.length(at + 9);
            return true;
        } else if (c == Long.class) {
            byte[] a = out.reserve(9);
            a[at] = LONG;
            LONGS.set(a, at + 1, (long) (Long) v);
            out.length(at + 9);
            return true;
        } else if (c == Boolean.class) {
            out.reserve(1)[at] = (Boolean) v ? TRUE : FALSE;
            out.length(at + 1);
            return true;
        }
        byte kind = kindOf(c);
        if (kind == 0) {
            int w = Wire.encodedLength(v);
            if (w < 0) {
                return false;
            }
            byte[] a = out.reserve(6L + w);
            a[at] = PLAIN;
            int p = varint(a, at + 1, w);
            Wire.write(v, a, p);
            out.length(p + w);
            return true;
        }
        if (depth >= MAX_DEPTH) {
            return false;
        }
        boolean noNulls = immutable(kind);
        if (kind >= HASH_MAP) {
            Map<?, ?> m = (Map<?, ?>) v;
            int size = m.size();
            byte[] a = out.reserve(6);
            a[at] = kind;
            out.length(varint(a, at + 1, size));
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            for (int i = 0; i < size; i++) {
                Map.Entry<?, ?> e = it.next();
                Object key = e.getKey();
                Object value = e.getValue();
                if (noNulls && (key == null || value == null)
                        || !node(key, out, depth + 1) || !node(value, out, depth + 1)) {
                    return false;
                }
            }
            if (it.hasNext()) {
                throw new ConcurrentModificationException("the map changed while it was encoded");
            }
        } else if (kind <= IMMUTABLE_LIST) {
            // lists by index: no iterator to allocate (this recursive method is not inlined into its callers, so
            // escape analysis cannot remove one)
            List<?> list = (List<?>) v;
            int size = list.size();
            byte[] a = out.reserve(6);
            a[at] = kind;
            out.length(varint(a, at + 1, size));
            for (int i = 0; i < size; i++) {
                Object o = list.get(i);
                if (noNulls && o == null || !node(o, out, depth + 1)) {
                    return false;
                }
            }
            if (list.size() != size) {
                throw new ConcurrentModificationException("the list changed while it was encoded");
            }
        } else {
            Collection<?> col = (Collection<?>) v;
            int size = col.size();
            byte[] a = out.reserve(6);
            a[at] = kind;
            out.length(varint(a, at + 1, size));
            Iterator<?> it = col.iterator();
            for (int i = 0; i < size; i++) {
                Object o = it.next();
                if (noNulls && o == null || !node(o, out, depth + 1)) {
                    return false;
                }
            }
            if (it.hasNext()) {
                throw new ConcurrentModificationException("the collection changed while it was encoded");
            }
        }
        return true;
    }

    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int)
    private static void writeString(String s, CodecBuffer out, int at) {
        int len = s.length();
        boolean latin1 = true;
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) > 0xff) {
                latin1 = false;
                break;
            }
        }
        if (latin1) {
            byte[] a = out.reserve(6L + len);
            a[at] = LATIN1;
            at = varint(a, at + 1, len);
            s.getBytes(0, len, a, at); // exactly Latin-1's encoder, and a plain copy for a compact string
            out.length(at + len);
            return;
        }
        byte[] a = out.reserve(6L + 2L * len);
        a[at] = UTF16;
        at = varint(a, at + 1, len);
        for (int i = 0; i < len; i++) {
            char ch = s.charAt(i);
            a[at + 2 * i] = (byte) ch;
            a[at + 2 * i + 1] = (byte) (ch >>> 8);
        }
        out.length(at + 2 * len);
    }

    // ---------------------------------------------------------------------------------------- reading

    /**
     * Reads a compact message of exactly {@code length} bytes, from its {@link #MARKER} on.
     *
     * @param bytes  the array.
     * @param offset the marker's index.
     * @param length the message's length.
     * @return the collection.
     * @throws SerializationException if the bytes are not one compact message.
     */
    static Object read(byte[] bytes, int offset, int length) {
        Reader r = new Reader(bytes, offset + 1, offset + length);
        if (r.at >= r.end) {
            throw Wire.corrupt("a compact message of " + length + " bytes holds no value (truncated input)");
        }
        Object value;
        try {
            value = r.node(0);
        } catch (NullPointerException | IllegalArgumentException e) {
            // an immutable collection's factory refused a null or a duplicate
            throw Wire.corrupt("a compact message holds an impossible collection (" + e.getMessage() + ")");
        }
        if (r.at != r.end) {
            throw Wire.corrupt((r.end - r.at) + " bytes follow the value in a " + length
                    + "-byte compact message (corrupt input, or a message boundary is wrong)");
        }
        return value;
    }

    private static final class Reader {
        private final byte[] a;
        private final int end;
        int at;

        Reader(byte[] a, int at, int end) {
            this.a = a;
            this.at = at;
            this.end = end;
        }

        /**
         * Checks that {@code n} bytes are left. {@code what} is a constant and {@code count} its size (or -1):
         * the message is built only on failure, so the common path allocates nothing (a message built before the
         * call was a string concatenation per string and collection read, about half of a small map's decode).
         */
        private void need(long n, String what, long count) {
            if (n > end - at) {
                throw truncated(n, what, count);
            }
        }

        private void need(long n, String what) {
            if (n > end - at) {
                throw truncated(n, what, -1);
            }
        }

        private SerializationException truncated(long n, String what, long count) {
            String subject = count < 0 ? what : what + " of " + count + (what.endsWith("value") ? " bytes"
                    : what.endsWith("collection") ? " elements" : " chars");
            return Wire.corrupt(subject + " needs " + n + " bytes but " + (end - at)
                    + " are left in the compact message (truncated or corrupt input)");
        }

        private int varint(String what) {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                need(1, what);
                int b = a[at++];
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    if (v < 0) {
                        break;
                    }
                    return v;
                }
            }
            throw Wire.corrupt("a count in a compact message is out of range (corrupt input)");
        }

        Object node(int depth) {
            need(1, "a value");
            byte kind = a[at++];
            switch (kind) {
                case NULL:
                    return null;
                case TRUE:
                    return Boolean.TRUE;
                case FALSE:
                    return Boolean.FALSE;
                case INT: {
                    need(4, "an Integer");
                    int v = (int) INTS.get(a, at);
                    at += 4;
                    return v;
                }
                case LONG: {
                    need(8, "a Long");
                    long v = (long) LONGS.get(a, at);
                    at += 8;
                    return v;
                }
                case DOUBLE: {
                    need(8, "a Double");
                    double v = Double.longBitsToDouble((long) LONGS.get(a, at));
                    at += 8;
                    return v;
                }
                case LATIN1: {
                    int n = varint("a string");
                    need(n, "a string", n);
                    // Latin-1's decoder, the shortest path to a compact string (one copy of the bytes); the
                    // Charset constructor goes through the charset machinery, not inlined: ~20 ns per short string
                    @SuppressWarnings("deprecation")
                    String s = new String(a, 0, at, n);
                    at += n;
                    return s;
                }
                case UTF16: {
                    int n = varint("a string");
                    need(2L * n, "a string", n);
                    char[] cs = new char[n];
                    for (int i = 0; i < n; i++) {
                        cs[i] = (char) ((a[at + 2 * i] & 0xff) | (a[at + 2 * i + 1] & 0xff) << 8);
                    }
                    at += 2 * n;
                    return new String(cs);
                }
                case PLAIN: {
                    int n = varint("a plain value");
                    need(n, "a plain value", n);
                    Object v = Wire.read(a, at, n);
                    at += n;
                    return v;
                }
                default:
                    return collection(kind, depth + 1);
            }
        }

        private Object collection(byte kind, int depth) {
            if (kind < ARRAY_LIST || kind > IMMUTABLE_MAP) {
                throw Wire.corrupt("byte " + (kind & 0xff) + " is not a compact message's kind of value (corrupt"
                        + " input)");
            }
            if (depth > MAX_DEPTH) {
                throw Wire.corrupt("collections nested deeper than " + MAX_DEPTH + " in a compact message (corrupt"
                        + " input)");
            }
            int n = varint("a collection");
            boolean map = kind >= HASH_MAP;
            need(map ? 2L * n : n, "a collection", n); // every element is at least one byte
            switch (kind) {
                case ARRAY_LIST: {
                    ArrayList<Object> l = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        l.add(node(depth));
                    }
                    return l;
                }
                case IMMUTABLE_LIST:
                    if (n <= 2) {
                        // the factories of one and two elements make the same class as List.of(array), no copy
                        if (n == 0) {
                            return List.of();
                        }
                        Object first = node(depth);
                        return n == 1 ? List.of(first) : List.of(first, node(depth));
                    }
                    if (n == 3) {
                        // the fixed-arity factories keep their own array; List.of(array) copies it
                        return List.of(node(depth), node(depth), node(depth));
                    } else if (n == 4) {
                        return List.of(node(depth), node(depth), node(depth), node(depth));
                    }
                    return List.of(elements(n, depth));
                case HASH_SET:
                    return fill(new HashSet<>(capacity(n)), n, depth);
                case LINKED_HASH_SET:
                    return fill(new LinkedHashSet<>(capacity(n)), n, depth);
                case IMMUTABLE_SET:
                    return Set.of(elements(n, depth));
                case HASH_MAP:
                    return fill(new HashMap<>(capacity(n)), n, depth);
                case LINKED_HASH_MAP:
                    return fill(new LinkedHashMap<>(capacity(n)), n, depth);
                default: {
                    Object[] kv = elements(2 * n, depth);
                    @SuppressWarnings({"unchecked", "rawtypes"})
                    Map.Entry<Object, Object>[] entries = new Map.Entry[n];
                    for (int i = 0; i < n; i++) {
                        entries[i] = Map.entry(kv[2 * i], kv[2 * i + 1]);
                    }
                    return Map.ofEntries(entries);
                }
            }
        }

        private Object[] elements(int n, int depth) {
            Object[] e = new Object[n];
            for (int i = 0; i < n; i++) {
                e[i] = node(depth);
            }
            return e;
        }

        private Set<Object> fill(Set<Object> s, int n, int depth) {
            for (int i = 0; i < n; i++) {
                s.add(node(depth));
            }
            return s;
        }

        private Map<Object, Object> fill(Map<Object, Object> m, int n, int depth) {
            for (int i = 0; i < n; i++) {
                Object k = node(depth);
                m.put(k, node(depth));
            }
            return m;
        }

        private static int capacity(int n) {
            return n < 3 ? n + 1 : (int) Math.min(Integer.MAX_VALUE - 8, n / 0.75 + 1);
        }
    }
}
