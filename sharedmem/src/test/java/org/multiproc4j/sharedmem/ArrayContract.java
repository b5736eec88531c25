package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/**
 * The contract of every shared array type, through an adapter per type that speaks {@code long} (element
 * values used here are small integers, exact in every element type).
 */
@ExtendWith(LeakCheck.class)
abstract class ArrayContract {

    /** One shared array, seen through longs. */
    abstract static class Arr implements AutoCloseable {
        abstract SharedObject object();

        abstract long length();

        abstract long get(long i);

        abstract void set(long i, long v);

        abstract long getPlain(long i);

        abstract void setPlain(long i, long v);

        abstract long getAndSet(long i, long v);

        abstract boolean compareAndSet(long i, long expected, long v);

        /** Adds atomically and returns the previous value; types without atomic adds add with a CAS loop here. */
        abstract long getAndAdd(long i, long d);

        abstract long[] copyOut(long from, int count);

        abstract void copyIn(long[] values, long to);

        abstract void copyOutOfBounds(long from, int arrayLength, int dstOffset, int count);

        abstract long[] toArray();

        abstract void fill(long v);

        abstract long streamSum();

        abstract long forEachSum();

        String name() {
            return object().name();
        }

        @Override
        public void close() {
            object().close();
        }
    }

    abstract Arr create(long length);

    abstract Arr createWithLock(long length);

    abstract Arr attach(String name);

    abstract Arr wrap(Object attached);

    abstract int elementSize();

    abstract String typeName();

    /** Writes one element's value into a buffer, in the buffer's order, as the array stores it. */
    abstract void put(ByteBuffer b, long v);

    abstract long take(ByteBuffer b);

    abstract void copyOut(Arr a, long from, ByteBuffer dst);

    abstract void copyIn(Arr a, ByteBuffer src, long to);

    abstract String expectedToString();

    @Test
    void shouldStartZeroFilledWithItsLength() {
        try (Arr a = create(1000)) {
            assertEquals(1000, a.length());
            for (long i = 0; i < 1000; i++) {
                assertEquals(0, a.get(i));
            }
        }
    }

    @Test
    void shouldGetAndSetElements() {
        try (Arr a = create(10)) {
            a.set(0, 1);
            a.setPlain(9, 2);
            assertEquals(1, a.getPlain(0));
            assertEquals(2, a.get(9));
            assertEquals(1, a.getAndSet(0, 3));
            assertTrue(a.compareAndSet(0, 3, 4));
            assertFalse(a.compareAndSet(0, 3, 5));
            assertEquals(4, a.get(0));
            assertEquals(4, a.getAndAdd(0, 2));
            assertEquals(6, a.get(0));
            assertEquals(0, a.get(1), "neighbours untouched");
        }
    }

    @Test
    void shouldNameIndexAndLengthWhenOutOfBounds() {
        try (Arr a = create(3)) {
            assertEquals("Index 3 out of bounds for length 3",
                    assertThrows(IndexOutOfBoundsException.class, () -> a.get(3)).getMessage());
            assertEquals("Index -1 out of bounds for length 3",
                    assertThrows(IndexOutOfBoundsException.class, () -> a.set(-1, 0)).getMessage());
            assertEquals("copyTo: range [2, 2 + 2) out of bounds for shared array length 3",
                    assertThrows(IndexOutOfBoundsException.class, () -> a.copyOut(2, 2)).getMessage());
            assertEquals("copyTo: range [1, 1 + 2) out of bounds for array length 2",
                    assertThrows(IndexOutOfBoundsException.class, () -> a.copyOutOfBounds(0, 2, 1, 2)).getMessage());
        }
    }

    @Test
    void shouldRefuseANegativeLength() {
        assertEquals("shared array length must not be negative: length=-5",
                assertThrows(IllegalArgumentException.class, () -> create(-5)).getMessage());
    }

    @Test
    void shouldCopyToAndFromJavaArrays() {
        try (Arr a = create(100)) {
            long[] values = new long[50];
            for (int i = 0; i < values.length; i++) {
                values[i] = i + 1;
            }
            a.copyIn(values, 25);
            assertEquals(0, a.get(24));
            assertEquals(1, a.get(25));
            assertEquals(50, a.get(74));
            assertEquals(0, a.get(75));
            assertArrayEquals(values, a.copyOut(25, 50));
            long[] all = a.toArray();
            assertEquals(100, all.length);
            assertEquals(50, all[74]);
        }
    }

    @Test
    void shouldCopyToAndFromBuffersInTheirByteOrder() {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean direct : new boolean[] {false, true}) {
                try (Arr a = create(8)) {
                    ByteBuffer src = (direct ? ByteBuffer.allocateDirect(4 * elementSize()) : ByteBuffer.allocate(4 * elementSize()))
                            .order(order);
                    for (int i = 0; i < 4; i++) {
                        put(src, 10 + i);
                    }
                    src.flip();
                    copyIn(a, src, 2);
                    assertFalse(src.hasRemaining());
                    assertEquals(10, a.get(2), order + (direct ? " direct" : " heap"));
                    assertEquals(13, a.get(5));
                    ByteBuffer dst = ByteBuffer.allocate(2 * elementSize()).order(order);
                    copyOut(a, 3, dst);
                    dst.flip();
                    assertEquals(11, take(dst));
                    assertEquals(12, take(dst));
                }
            }
        }
    }

    @Test
    void shouldRefuseAPartialElementInABuffer() {
        if (elementSize() == 1) {
            return;
        }
        try (Arr a = create(8)) {
            ByteBuffer odd = ByteBuffer.allocate(elementSize() + 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> copyOut(a, 0, odd));
            assertEquals("copyTo: buffer.remaining()=" + (elementSize() + 1) + " is not a multiple of the "
                    + elementSize() + "-byte element size", e.getMessage());
        }
    }

    @Test
    void shouldFillStreamAndVisit() {
        try (Arr a = create(10_000)) {
            a.fill(3);
            assertEquals(3, a.get(0));
            assertEquals(3, a.get(9_999));
            assertEquals(30_000, a.streamSum());
            assertEquals(30_000, a.forEachSum());
        }
    }

    @Test
    void shouldPrintLikeAJavaArray() {
        try (Arr a = create(3)) {
            a.set(0, 1);
            a.set(1, 1);
            a.set(2, 1);
            assertEquals(expectedToString(), a.object().toString());
        }
    }

    @Test
    void shouldCutALongToString() {
        try (Arr a = create(1500)) {
            assertTrue(a.object().toString().endsWith(", ... (500 more)]"), a.object().toString());
        }
    }

    @Test
    void shouldSeeTheSameMemoryWhenAttachedAndThroughItsHandle() throws Exception {
        try (Arr a = create(4); Arr b = attach(a.name()); Arr c = wrap(a.object().handle().attach())) {
            b.set(1, 7);
            assertEquals(7, a.get(1));
            c.set(2, 8);
            assertEquals(8, b.get(2));
            assertEquals(4, c.length());
        }
    }

    @Test
    void shouldCarryALockWhenCreatedWithOne() {
        try (Arr a = createWithLock(2); Arr b = attach(a.name())) {
            assertTrue(b.object().hasLock());
            b.object().lock().lock();
            try {
                assertTrue(b.object().lock().isHeldByCurrentThread());
                assertTrue(a.object().lock().isHeldByCurrentThread(), "one lock, whichever object reaches it");
            } finally {
                b.object().lock().unlock();
            }
        }
    }

    @Test
    void shouldRefuseAnotherElementType() {
        try (SharedObject other = typeName().equals("SharedLongArray") ? SharedIntArray.create(1) : SharedLongArray.create(1)) {
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> attach(other.name()));
            assertEquals("cannot attach " + other.name() + " as a " + typeName() + ": it holds a shared "
                    + (typeName().equals("SharedLongArray") ? "int" : "long") + " array", e.getMessage());
        }
    }

    @Test
    void shouldThrowIllegalStateAfterClose() {
        Arr a = create(4);
        a.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.get(0));
        assertTrue(e.getMessage().endsWith(" is closed"), e.getMessage());
        a.close();
    }

    @Test
    void shouldAllowAnEmptyArray() {
        try (Arr a = create(0)) {
            assertEquals(0, a.length());
            assertEquals(0, a.toArray().length);
            assertEquals("[]", a.object().toString());
        }
    }
}
