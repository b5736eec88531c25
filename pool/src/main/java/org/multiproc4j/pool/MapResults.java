package org.multiproc4j.pool;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

import org.multiproc4j.pool.internal.PayloadCodec;

/**
 * The list a large {@code map} returns: its results in input order, held in segments of {@link #SEGMENT} elements
 * instead of one array. A map of a million results in one array makes that array "humongous" for G1 (at least
 * half a heap region): it is allocated straight in the old generation and, on Java 17, stays there after the list
 * is dropped until a concurrent cycle, and every young collection until then copies every result it still refers
 * to (the live and the dead maps'). Measured in a parent that ran one million-cube map after another: a young
 * collection every second or third map copied about three maps' results and took 100–500 ms, five to twenty
 * times the map. Segments are small young arrays that die with the results they hold.
 *
 * <p>Results that came as packed chunks of {@code Integer}s (or of {@code Long}s) are kept unboxed, in {@code int[]}
 * (or {@code long[]}) segments, and boxed by {@link #get}, as Guava's {@code Ints.asList} does: a million results
 * cost the parent 4 MB of arrays instead of 16 MB of boxes and 4 MB of references, decoding them is a copy, and a
 * young collection that meets them copies plain arrays instead of tracing a million objects. So two
 * {@code get}s of one element may return two equal boxes that are not the same object. Any other result (a chunk of
 * another kind, a {@code null}, a {@link #set} of another type) turns the list into segments of references, once.
 *
 * <p>A fixed-size list like {@link Arrays#asList}: {@code set} works, {@code add} and {@code remove} throw
 * {@link UnsupportedOperationException}. It serializes as an {@link Arrays#asList} list of the same elements.
 *
 * <p>Thread safety: the pool's reader threads fill it through {@link #put} and {@link #putPacked}, which lock it
 * (they may change how it holds its elements); the map's completion publishes it. After that, as
 * {@link Arrays#asList}: not synchronized.
 *
 * @param <E> the result type.
 */
final class MapResults<E> extends AbstractList<E> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    /** log2 of {@link #SEGMENT}. */
    static final int SHIFT = 14;
    /**
     * Elements per segment: 64 KiB of references (128 KiB without compressed references) or of {@code int}s,
     * 128 KiB of {@code long}s, far below the half region (512 KiB at the smallest, 1 MiB region) from which G1
     * allocates an array in the old generation.
     */
    static final int SEGMENT = 1 << SHIFT;
    private static final int MASK = SEGMENT - 1;

    private final int size;
    /** The elements as {@code int}s, or {@code null}; at most one of the three forms is not {@code null}. */
    private transient int[][] ints;
    /** The elements as {@code long}s, or {@code null}. */
    private transient long[][] longs;
    /** The elements as references, or {@code null} (then, with no other form either, every element is null). */
    private transient Object[][] objects;

    /**
     * @param size how many elements, all {@code null} at first.
     */
    MapResults(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
    }

    /**
     * Tells whether a map of {@code size} results needs segments (more than one): a smaller one returns an
     * {@link Arrays#asList} list as before.
     */
    static boolean needed(int size) {
        return size > SEGMENT;
    }

    /** The segments of the form the elements are held in now ({@code int[]}s, {@code long[]}s or {@code Object[]}s). */
    synchronized Object[] segments() {
        return ints != null ? ints : longs != null ? longs : objects != null ? objects : new Object[0][];
    }

    private int segmentLength(int s) {
        return Math.min(SEGMENT, size - (s << SHIFT));
    }

    private int segmentCount() {
        return (size + MASK) >>> SHIFT;
    }

    /** Copies {@code part} into the list from {@code at}. */
    synchronized void put(Object[] part, int at) {
        Objects.checkFromIndexSize(at, part.length, size);
        Object[][] segs = referenced();
        int done = 0;
        while (done < part.length) {
            int i = at + done;
            Object[] seg = segs[i >>> SHIFT];
            int off = i & MASK;
            int n = Math.min(part.length - done, seg.length - off);
            System.arraycopy(part, done, seg, off, n);
            done += n;
        }
    }

    /**
     * Decodes a result that is a packed chunk of {@code count} numbers into the list from {@code at}: unboxed if the
     * list holds that kind of number or nothing yet, boxed otherwise.
     *
     * @return {@code false}, with the list untouched, if the message is not such a chunk (decode it the general way
     *         and {@link #put} it).
     */
    synchronized boolean putPacked(PayloadCodec codec, byte[] m, int offset, int length, int at, int count) {
        int kind = codec.packedNumbers(m, offset, length, count);
        if (kind == PayloadCodec.NOT_NUMBERS || at < 0 || count > size - at) {
            return false;
        }
        if (objects == null && ints == null && longs == null) {
            if (kind == PayloadCodec.INTS) {
                ints = new int[segmentCount()][];
                for (int s = 0; s < ints.length; s++) {
                    ints[s] = new int[segmentLength(s)];
                }
            } else {
                longs = new long[segmentCount()][];
                for (int s = 0; s < longs.length; s++) {
                    longs[s] = new long[segmentLength(s)];
                }
            }
        }
        boolean asInts = kind == PayloadCodec.INTS && ints != null;
        boolean asLongs = kind == PayloadCodec.LONGS && longs != null;
        Object[][] boxed = asInts || asLongs ? null : referenced();
        int done = 0;
        while (done < count) {
            int i = at + done;
            int s = i >>> SHIFT;
            int off = i & MASK;
            int n = Math.min(count - done, segmentLength(s) - off);
            if (asInts) {
                PayloadCodec.readInts(m, offset, done, ints[s], off, n);
            } else if (asLongs) {
                PayloadCodec.readLongs(m, offset, done, longs[s], off, n);
            } else {
                PayloadCodec.readBoxed(m, offset, done, boxed[s], off, n);
            }
            done += n;
        }
        return true;
    }

    /** The elements as references: boxes the numbers held unboxed, once. */
    private Object[][] referenced() {
        Object[][] segs = objects;
        if (segs != null) {
            return segs;
        }
        segs = new Object[segmentCount()][];
        for (int s = 0; s < segs.length; s++) {
            Object[] seg = new Object[segmentLength(s)];
            if (ints != null) {
                int[] from = ints[s];
                for (int k = 0; k < seg.length; k++) {
                    seg[k] = from[k];
                }
            } else if (longs != null) {
                long[] from = longs[s];
                for (int k = 0; k < seg.length; k++) {
                    seg[k] = from[k];
                }
            }
            segs[s] = seg;
        }
        objects = segs;
        ints = null;
        longs = null;
        return segs;
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        int[][] is = ints;
        if (is != null) {
            return (E) Integer.valueOf(is[index >>> SHIFT][index & MASK]);
        }
        long[][] ls = longs;
        if (ls != null) {
            return (E) Long.valueOf(ls[index >>> SHIFT][index & MASK]);
        }
        Object[][] os = objects;
        return os == null ? null : (E) os[index >>> SHIFT][index & MASK];
    }

    @Override
    public E set(int index, E element) {
        E old = get(index);
        int s = index >>> SHIFT;
        int off = index & MASK;
        if (ints != null && element instanceof Integer) {
            ints[s][off] = (Integer) element;
        } else if (longs != null && element instanceof Long) {
            longs[s][off] = (Long) element;
        } else {
            synchronized (this) {
                referenced()[s][off] = element;
            }
        }
        return old;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return toArray(new Object[size]);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        T[] out = a.length >= size ? a : (T[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(),
                size);
        if (objects != null) {
            for (int s = 0; s < objects.length; s++) {
                System.arraycopy(objects[s], 0, out, s << SHIFT, objects[s].length);
            }
        } else if (ints != null || longs != null) {
            for (int i = 0; i < size; i++) {
                out[i] = (T) get(i);
            }
        } else {
            Arrays.fill(out, 0, size, null);
        }
        if (out.length > size) {
            out[size] = null;
        }
        return out;
    }

    /** Serialized as an {@link Arrays#asList} list of the same elements (the segments are an implementation detail). */
    private Object writeReplace() {
        return Arrays.asList(toArray());
    }

    private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
        throw new java.io.InvalidObjectException("MapResults travels as an Arrays.asList list");
    }
}
