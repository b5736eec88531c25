package org.multiproc4j.mpi.nativempi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.multiproc4j.mpi.Buf;
import org.multiproc4j.mpi.ElementType;

/**
 * The small point-to-point path copies Java arrays to and from native memory without a segment made for the array:
 * every element type, with offsets, moves exactly the elements named and no other.
 */
class ArrayCopyTest {

    /** An array of {@code n} elements whose bytes are 1, 2, 3, ... (so that every byte of every element differs). */
    private static Object numbered(ElementType t, int n) {
        Object a = t.newArray(n);
        MemorySegment s = NativeComm.segment(Buf.ofArray(a));
        for (long i = 0; i < s.byteSize(); i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (i + 1));
        }
        return a;
    }

    private static byte[] bytes(Object array) {
        return NativeComm.segment(Buf.ofArray(array)).toArray(ValueLayout.JAVA_BYTE);
    }

    @Test
    void shouldCopyTheNamedElementsOfEveryTypeToNativeMemoryAndBack() {
        for (ElementType t : ElementType.values()) {
            int size = t.size();
            Object src = numbered(t, 10);
            Buf from = bufOf(src, 3, 4);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment n = arena.allocate(64, 8);
                n.fill((byte) 0x55);
                NativeComm.copyFrom(from, n);
                byte[] want = bytes(src);
                for (int i = 0; i < 4 * size; i++) {
                    assertEquals(want[3 * size + i], n.get(ValueLayout.JAVA_BYTE, i), t + " byte " + i);
                }
                assertEquals((byte) 0x55, n.get(ValueLayout.JAVA_BYTE, 4L * size), t + ": a byte past the elements");

                Object dst = t.newArray(9);
                // three of the four elements, into elements 2..4 of the receive buffer
                NativeComm.copyInto(n, bufOf(dst, 2, 5), 3L * size);
                byte[] got = bytes(dst);
                for (int i = 0; i < got.length; i++) {
                    int element = i / size;
                    byte expected = element >= 2 && element < 5 ? want[(3 + element - 2) * size + i % size] : 0;
                    assertEquals(expected, got[i], t + " received byte " + i);
                }
            }
        }
    }

    @Test
    void shouldCopyIntoADirectBuffer() {
        ByteBuffer d = ByteBuffer.allocateDirect(32).order(ByteOrder.nativeOrder());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment n = arena.allocate(16, 8);
            n.set(ValueLayout.JAVA_LONG, 0, 7L);
            n.set(ValueLayout.JAVA_LONG, 8, -9L);
            NativeComm.copyInto(n, Buf.of(d, ElementType.LONG, 1, 3), 16);
        }
        assertEquals(0L, d.getLong(0));
        assertEquals(7L, d.getLong(8));
        assertEquals(-9L, d.getLong(16));
        assertEquals(0L, d.getLong(24));
    }

    private static Buf bufOf(Object a, int offset, int count) {
        return switch (a) {
            case byte[] x -> Buf.of(x, offset, count);
            case short[] x -> Buf.of(x, offset, count);
            case char[] x -> Buf.of(x, offset, count);
            case int[] x -> Buf.of(x, offset, count);
            case long[] x -> Buf.of(x, offset, count);
            case float[] x -> Buf.of(x, offset, count);
            case double[] x -> Buf.of(x, offset, count);
            default -> throw new IllegalArgumentException(a.getClass().getName());
        };
    }
}
