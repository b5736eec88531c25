package org.multiproc4j.pool;

import java.io.Serializable;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The list a large {@code map} returns: its results in input order, held in segments of {@link #SEGMENT} elements
 * instead of one array. A map of a million results in one array makes that array "humongous" for G1 (at least
 * half a heap region): it is allocated straight in the old generation and, on Java 17, stays there after the list
 * is dropped until a concurrent cycle, and every young collection until then copies every result it still refers
 * to (the live and the dead maps'). Measured in a parent that ran one million-cube map after another: a young
 * collection every second or third map copied about three maps' results and took 100–500 ms, five to twenty
 * times the map. Segments are small young arrays that die with the results they hold.
 *
 * <p>A fixed-size list like {@link Arrays#asList}: {@code set} works, {@code add} and {@code remove} throw
 * {@link UnsupportedOperationException}. Its elements are the decoded results themselves (no boxing on
 * {@code get}). It serializes as an {@link Arrays#asList} list of the same elements.
 *
 * <p>Thread safety: as {@link Arrays#asList}: not synchronized. The pool fills it before the map completes; the
 * completion publishes it.
 *
 * @param <E> the result type.
 */
final class MapResults<E> extends AbstractList<E> implements RandomAccess, Serializable {
    private static final long serialVersionUID = 1L;
    /** log2 of {@link #SEGMENT}. */
    static final int SHIFT = 14;
    /**
     * Elements per segment: 64 KiB of references (128 KiB without compressed references), far below the half
     * region (512 KiB at the smallest, 1 MiB region) from which G1 allocates an array in the old generation.
     */
    static final int SEGMENT = 1 << SHIFT;
    private static final int MASK = SEGMENT - 1;

    /** The segments: each full but the last. */
    private final transient Object[][] segments;
    private final int size;

    /**
     * @param size how many elements, all {@code null} at first.
     */
    MapResults(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("size " + size);
        }
        this.size = size;
        int n = (size + MASK) >>> SHIFT;
        segments = new Object[n][];
        for (int s = 0; s < n; s++) {
            segments[s] = new Object[Math.min(SEGMENT, size - (s << SHIFT))];
        }
    }

    /**
     * Tells whether a map of {@code size} results needs segments (more than one): a smaller one returns an
     * {@link Arrays#asList} list as before.
     */
    static boolean needed(int size) {
        return size > SEGMENT;
    }

    /** The segments, for the pool to fill: element {@code i} is at {@code [i >>> SHIFT][i & (SEGMENT - 1)]}. */
    Object[][] segments() {
        return segments;
    }

    /** Copies {@code part} into the list from {@code at}. */
    void put(Object[] part, int at) {
        Objects.checkFromIndexSize(at, part.length, size);
        int done = 0;
        while (done < part.length) {
            int i = at + done;
            Object[] seg = segments[i >>> SHIFT];
            int off = i & MASK;
            int n = Math.min(part.length - done, seg.length - off);
            System.arraycopy(part, done, seg, off, n);
            done += n;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public E get(int index) {
        Objects.checkIndex(index, size);
        return (E) segments[index >>> SHIFT][index & MASK];
    }

    @Override
    @SuppressWarnings("unchecked")
    public E set(int index, E element) {
        Objects.checkIndex(index, size);
        Object[] seg = segments[index >>> SHIFT];
        E old = (E) seg[index & MASK];
        seg[index & MASK] = element;
        return old;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        Object[] out = new Object[size];
        for (int s = 0; s < segments.length; s++) {
            System.arraycopy(segments[s], 0, out, s << SHIFT, segments[s].length);
        }
        return out;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T[] toArray(T[] a) {
        T[] out = a.length >= size ? a : (T[]) java.lang.reflect.Array.newInstance(a.getClass().getComponentType(),
                size);
        for (int s = 0; s < segments.length; s++) {
            System.arraycopy(segments[s], 0, out, s << SHIFT, segments[s].length);
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
