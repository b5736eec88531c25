package org.multiproc4j.mpi.openmpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.internal.Mem;

/**
 * The pool of direct buffers every message and collective is staged through: the bindings are never handed a Java
 * array (their array path corrupts data and crashes above 64 KiB). Buffers come in power-of-two sizes from 64 B to
 * {@link #MAX}; of each size, as many are kept as fit {@link #KEEP_BYTES} (at least two), so repeated calls of
 * one size, and the several frames of one long message, allocate nothing and memory stays flat. Thread-safe.
 */
final class Staging {
    /** The largest staging buffer: 1 GiB (MPI's counts are {@code int}s; larger data is chunked). */
    static final int MAX = 1 << 30;
    private static final int MIN_CLASS = 6;
    /** Up to this many bytes are copied word by word. */
    private static final int SHORT_COPY = 256;
    /** How many bytes of one size are kept for reuse (at least two buffers are). */
    static final int KEEP_BYTES = 4 << 20;

    private final List<ArrayDeque<ByteBuffer>> free = new ArrayList<>(31);

    Staging() {
        for (int i = 0; i < 31; i++) {
            free.add(new ArrayDeque<>());
        }
    }

    /**
     * Takes a buffer of at least {@code bytes} bytes, position 0, native order.
     *
     * @param bytes the size, at most {@link #MAX}.
     * @return the buffer.
     */
    synchronized ByteBuffer take(long bytes) {
        if (bytes > MAX) {
            throw new IllegalArgumentException("staging buffer of " + bytes + " bytes is over " + MAX);
        }
        int c = classOf((int) bytes);
        ByteBuffer b = free.get(c).poll();
        if (b == null) {
            b = ByteBuffer.allocateDirect(1 << c).order(ByteOrder.nativeOrder());
        }
        b.clear();
        return b;
    }

    /**
     * Returns a buffer for reuse.
     *
     * @param b a buffer from {@link #take(long)}, or {@code null}.
     */
    synchronized void give(ByteBuffer b) {
        if (b == null) {
            return;
        }
        int c = Integer.numberOfTrailingZeros(b.capacity());
        if (free.get(c).size() < Math.max(2, KEEP_BYTES >> c)) {
            free.get(c).push(b);
        }
    }

    private static int classOf(int bytes) {
        int c = bytes <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(bytes - 1);
        return Math.max(MIN_CLASS, c);
    }

    static long address(ByteBuffer b) {
        return BufferUtil.address(b);
    }

    /** Copies {@code bytes} bytes of a {@link Buf}, from byte {@code from} of its elements, into {@code dst} at {@code at}. */
    static void copyIn(Buf src, long from, ByteBuffer dst, int at, long bytes) {
        copy(Mem.base(src), Mem.address(src) + from, null, address(dst) + at, bytes);
    }

    /** Copies {@code bytes} bytes of {@code src} from {@code at} into a {@link Buf}, at byte {@code from} of its elements. */
    static void copyOut(ByteBuffer src, int at, Buf dst, long from, long bytes) {
        copy(null, address(src) + at, Mem.base(dst), Mem.address(dst) + from, bytes);
    }

    /**
     * Copies bytes: a short run word by word (the JIT compiles these accesses inline, where {@code copyMemory} is a
     * call into the VM of fixed cost), a longer one with {@link Mem#copy}.
     */
    static void copy(Object srcBase, long srcAddr, Object dstBase, long dstAddr, long bytes) {
        if (bytes > SHORT_COPY) {
            Mem.copy(srcBase, srcAddr, dstBase, dstAddr, bytes);
            return;
        }
        long i = 0;
        for (; i + 8 <= bytes; i += 8) {
            UnsafeApi.putLong(dstBase, dstAddr + i, UnsafeApi.getLong(srcBase, srcAddr + i));
        }
        for (; i < bytes; i++) {
            UnsafeApi.putByte(dstBase, dstAddr + i, UnsafeApi.getByte(srcBase, srcAddr + i));
        }
    }
}
