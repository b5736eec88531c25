package org.multiproc4j.pool.internal;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.codec.Codec;
import org.multiproc4j.core.codec.Codecs;

/**
 * How a pool encodes arguments and results: the user's codec, or by default the fast codec (primitives,
 * strings, primitive arrays, tuples and the JDK's collections without any library; registered types through
 * Kryo) falling back to the JDK codec for whatever the fast one refuses (user classes, lambdas); chunks of
 * boxed {@code Integer}s or {@code Long}s, and of {@code HashMap<String, Long>}s, travel packed (see
 * {@link Packed}). Decoding needs no marker: the first byte of a message says which codec wrote it.
 */
public final class PayloadCodec implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final byte KRYO_TAG = 'K';
    /** What {@link #packedNumbers} says of a message that is not a packed chunk of numbers of the count asked. */
    public static final int NOT_NUMBERS = 0;
    /** What {@link #packedNumbers} says of a packed chunk of {@code Integer}s. */
    public static final int INTS = 1;
    /** What {@link #packedNumbers} says of a packed chunk of {@code Long}s. */
    public static final int LONGS = 2;
    /** How deep {@code Object[]} tuples nest on the fast path (the codecs' own limit). */
    private static final int MAX_TUPLE_DEPTH = 4;

    /** The user's codec (a serializable {@link Codec}), or {@code null} for the default. */
    private final Serializable codec;
    /** Classes the fast codec refused once: they go straight to the JDK codec. */
    private transient volatile Map<Class<?>, Boolean> refused;

    /**
     * @param codec the user's codec, serializable, or {@code null} for the default.
     * @throws IllegalArgumentException if the codec is not serializable.
     */
    public PayloadCodec(Codec codec) {
        if (codec != null && !(codec instanceof Serializable)) {
            throw new IllegalArgumentException("codec must be Serializable (it travels to the workers), got a "
                    + codec.getClass().getName());
        }
        this.codec = (Serializable) codec;
    }

    public boolean isDefault() {
        return codec == null;
    }

    public byte[] encode(Object value) {
        if (codec != null) {
            return ((Codec) codec).encode(value);
        }
        if (value instanceof Object[]) {
            byte[] packed = Packed.encode((Object[]) value);
            if (packed != null) {
                return packed;
            }
        }
        if (isPlain(value, 0)) {
            return Codecs.jdk().encode(value); // the codec-independent fast path: no codec library is loaded
        }
        Map<Class<?>, Boolean> r = refusedMap();
        if (value != null && r.containsKey(value.getClass())) {
            return Codecs.jdk().encode(value);
        }
        try {
            return Codecs.fast().encode(value);
        } catch (SerializationException fastRefused) {
            byte[] b = Codecs.jdk().encode(value);
            if (value != null && !(value instanceof Object[])) {
                r.put(value.getClass(), Boolean.TRUE);
            }
            return b;
        }
    }

    public Object decode(byte[] bytes, int offset, int length) {
        if (codec != null) {
            return ((Codec) codec).decode(bytes, offset, length);
        }
        if (length > 0 && Packed.isPacked(bytes[offset])) {
            return Packed.decode(bytes, offset, length);
        }
        if (length > 0 && bytes[offset] != KRYO_TAG) {
            return Codecs.jdk().decode(bytes, offset, length); // JDK serialization, or the fast path
        }
        return Codecs.fast().decode(bytes, offset, length);
    }

    /**
     * Encodes the chunk {@code items[from..to)} as {@link #encode} would encode it as an {@code Object[]}, if it is
     * a chunk of numbers the default codec packs ({@code Integer}s, or {@code Long}s), read straight from the list.
     *
     * @param items the inputs, a list with fast random access.
     * @param from  the first of the chunk.
     * @param to    one past its last.
     * @return the encoded chunk, or {@code null} if it is not such a chunk (encode it as an {@code Object[]}).
     */
    public byte[] encodePacked(java.util.List<?> items, int from, int to) {
        return encodePacked(items, from, to, null);
    }

    /**
     * As {@link #encodePacked(java.util.List, int, int)}, into an array that {@code spare} gives for the encoded
     * length, when it gives one of that length (a spare array of a chunk answered before); otherwise a new one.
     *
     * @param items the inputs, a list with fast random access.
     * @param from  the first of the chunk.
     * @param to    one past its last.
     * @param spare gives an array of the length asked for, or {@code null}; may be {@code null}.
     * @return the encoded chunk, or {@code null} if it is not such a chunk.
     */
    public byte[] encodePacked(java.util.List<?> items, int from, int to,
                               java.util.function.IntFunction<byte[]> spare) {
        return codec == null ? Packed.encodeNumbers(items, from, to, spare) : null;
    }

    /**
     * Decodes a result that is a chunk of {@code count} numbers (as the default codec packs a chunk of
     * {@code Integer}s or {@code Long}s) straight into {@code dst} from {@code at}.
     *
     * @param bytes  the message.
     * @param offset where the encoded chunk starts.
     * @param length its length.
     * @param dst    where the boxed numbers go.
     * @param at     the index of the first.
     * @param count  how many numbers the chunk must hold.
     * @return {@code true} if it was such a chunk and is decoded; {@code false}, with {@code dst} untouched,
     *         otherwise (decode it with {@link #decode}).
     */
    public boolean decodeNumbersInto(byte[] bytes, int offset, int length, Object[] dst, int at, int count) {
        return codec == null && Packed.decodeNumbersInto(bytes, offset, length, dst, at, count);
    }

    /**
     * Tells whether a result is a packed chunk of {@code count} numbers (as the default codec packs a chunk of
     * {@code Integer}s or {@code Long}s), and of which: its elements are then read with {@link #readInts},
     * {@link #readLongs} or {@link #readBoxed}.
     *
     * @param bytes  the message.
     * @param offset where the encoded chunk starts.
     * @param length its length.
     * @param count  how many numbers the chunk must hold.
     * @return {@link #INTS}, {@link #LONGS}, or {@link #NOT_NUMBERS} if it is not such a chunk (another kind of
     *         chunk, another count, a truncated one, or a user's codec).
     */
    public int packedNumbers(byte[] bytes, int offset, int length, int count) {
        return codec == null ? Packed.numbers(bytes, offset, length, count) : NOT_NUMBERS;
    }

    /**
     * Copies {@code n} numbers of a packed chunk of {@code Integer}s, from its element {@code from}, into
     * {@code dst} from {@code at}. The chunk's length was checked by {@link #packedNumbers}.
     *
     * @param bytes  the message.
     * @param offset where the encoded chunk starts.
     * @param from   the chunk's first element to copy.
     * @param dst    where they go.
     * @param at     the index in {@code dst} of the first.
     * @param n      how many.
     */
    public static void readInts(byte[] bytes, int offset, int from, int[] dst, int at, int n) {
        Packed.readInts(bytes, offset, from, dst, at, n);
    }

    /**
     * As {@link #readInts}, from a packed chunk of {@code Long}s.
     *
     * @param bytes  the message.
     * @param offset where the encoded chunk starts.
     * @param from   the chunk's first element to copy.
     * @param dst    where they go.
     * @param at     the index in {@code dst} of the first.
     * @param n      how many.
     */
    public static void readLongs(byte[] bytes, int offset, int from, long[] dst, int at, int n) {
        Packed.readLongs(bytes, offset, from, dst, at, n);
    }

    /**
     * As {@link #readInts} and {@link #readLongs}, boxed, from a packed chunk of either kind.
     *
     * @param bytes  the message.
     * @param offset where the encoded chunk starts.
     * @param from   the chunk's first element to copy.
     * @param dst    where they go.
     * @param at     the index in {@code dst} of the first.
     * @param n      how many.
     */
    public static void readBoxed(byte[] bytes, int offset, int from, Object[] dst, int at, int n) {
        Packed.readBoxed(bytes, offset, from, dst, at, n);
    }

    /**
     * Tells whether each of {@code items} is a plain value (see {@link #isPlain(Object, int)}), so that a chunk of
     * them encodes without fail on the default codec.
     *
     * @param items the inputs of a map.
     * @return {@code true} if every item is plain.
     */
    public static boolean allPlain(java.util.List<?> items) {
        for (Object o : items) {
            if (!isPlain(o, 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Tells whether every codec writes {@code value} on the codec-independent fast path (see
     * {@link Codec}): {@code null}, the common scalars, primitive arrays and {@code Object[]} tuples of them. Those
     * go through the JDK codec, so that a worker whose tasks carry only such values never loads Kryo.
     */
    private static boolean isPlain(Object value, int depth) {
        if (value == null) {
            return true;
        }
        Class<?> c = value.getClass();
        if (c == Integer.class || c == Long.class || c == Double.class || c == Boolean.class || c == String.class) {
            return true;
        }
        if (c.isArray()) {
            if (c.getComponentType().isPrimitive()) {
                return true;
            }
            if (c == Object[].class && depth < MAX_TUPLE_DEPTH) {
                for (Object o : (Object[]) value) {
                    if (!isPlain(o, depth + 1)) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    private Map<Class<?>, Boolean> refusedMap() {
        Map<Class<?>, Boolean> r = refused;
        if (r == null) {
            synchronized (this) {
                r = refused;
                if (r == null) {
                    r = new ConcurrentHashMap<>();
                    refused = r;
                }
            }
        }
        return r;
    }

    @Override
    public String toString() {
        return codec == null ? "default (fast, falling back to JDK serialization)" : codec.toString();
    }
}
