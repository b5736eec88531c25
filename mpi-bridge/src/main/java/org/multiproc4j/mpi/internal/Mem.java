package org.multiproc4j.mpi.internal;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;

/** Raw copies between buffers, arrays and mapped memory, by (base object, address) pairs. */
public final class Mem {
    private static final long[] BASES = new long[ElementType.values().length];

    static {
        for (ElementType t : ElementType.values()) {
            BASES[t.ordinal()] = UnsafeApi.arrayBaseOffset(t.arrayClass());
        }
    }

    private Mem() {
    }

    /**
     * Returns the base object of a buffer's storage: its array, or {@code null} for a direct buffer.
     *
     * @param b the buffer.
     * @return the base.
     */
    public static Object base(Buf b) {
        return b.array();
    }

    /**
     * Returns the address of an array's first element, relative to the array.
     *
     * @param type the array's element type.
     * @return the array base offset.
     */
    public static long arrayBase(ElementType type) {
        return BASES[type.ordinal()];
    }

    /**
     * Returns the address of a buffer's first element, relative to {@link #base(Buf)}.
     *
     * @param b the buffer.
     * @return the address.
     */
    public static long address(Buf b) {
        long start = b.array() != null ? BASES[b.type().ordinal()] : BufferUtil.address(b.directBuffer());
        return start + (long) b.offset() * b.type().size();
    }

    /**
     * Copies bytes.
     *
     * @param srcBase source base object or {@code null}.
     * @param srcAddr source address.
     * @param dstBase destination base or {@code null}.
     * @param dstAddr destination address.
     * @param bytes   how many.
     */
    public static void copy(Object srcBase, long srcAddr, Object dstBase, long dstAddr, long bytes) {
        UnsafeApi.copyMemory(srcBase, srcAddr, dstBase, dstAddr, bytes);
    }

    /**
     * Copies a buffer's elements into another of the same type and count.
     *
     * @param src the source.
     * @param dst the destination.
     */
    public static void copy(Buf src, Buf dst) {
        copy(base(src), address(src), base(dst), address(dst), src.byteCount());
    }
}
