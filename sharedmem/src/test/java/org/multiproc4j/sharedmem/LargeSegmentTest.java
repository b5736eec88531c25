package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.test.LeakCheck;

/**
 * Segments larger than 2 GiB: sparse files, so only the pages touched cost memory.
 */
@ExtendWith(LeakCheck.class)
class LargeSegmentTest {
    private static final long GIB = 1L << 30;
    /** The data offset of the first chunk boundary (file offset 1 GiB). */
    private static final long BOUNDARY = GIB - SegmentDescriptor.HEADER_LENGTH;

    @Test
    void shouldAddressEveryByteOfAFourGibByteArray() {
        long length = 4 * GIB + 5;
        try (SharedByteArray a = SharedByteArray.create(length); SharedByteArray b = SharedByteArray.attach(a.name())) {
            assertEquals(length, b.length());
            long[] probes = {0, BOUNDARY - 1, BOUNDARY, Integer.MAX_VALUE, 1L << 31, 2 * GIB + 17, 1L << 32, length - 1};
            for (int i = 0; i < probes.length; i++) {
                a.set(probes[i], (byte) (i + 1));
            }
            for (int i = 0; i < probes.length; i++) {
                assertEquals((byte) (i + 1), b.get(probes[i]), "index " + probes[i]);
            }
            assertEquals("Index " + length + " out of bounds for length " + length,
                    assertThrows(IndexOutOfBoundsException.class, () -> a.get(length)).getMessage());
        }
    }

    @Test
    void shouldCopyAcrossChunkBoundaries() {
        try (SharedByteArray a = SharedByteArray.create(2 * GIB + 4096)) {
            byte[] src = new byte[3 * 1024 * 1024];
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) (i * 31);
            }
            long from = BOUNDARY - 1_000_000;
            a.copyFrom(src, 0, from, src.length);
            byte[] back = new byte[src.length];
            a.copyTo(from, back, 0, back.length);
            assertArrayEquals(src, back);
            ByteBuffer direct = ByteBuffer.allocateDirect(2_000_000);
            a.copyTo(BOUNDARY - 1_000_000, direct);
            assertEquals(src[1_999_999], direct.get(1_999_999));
            assertEquals(src[1_000_000], a.get(BOUNDARY), "first byte of the second chunk");
        }
    }

    @Test
    void shouldIndexMoreThanTwoToTheThirtyOneElements() {
        long length = (1L << 31) + 10;                              // 16 GiB of longs, nearly all never touched
        try (SharedLongArray a = SharedLongArray.create(length)) {
            a.set(length - 1, 42);
            a.set((1L << 31) + 1, -1);
            assertEquals(42, a.incrementAndGet(length - 1) - 1);
            assertEquals(-1, a.get((1L << 31) + 1));
            assertEquals(0, a.get(1L << 31));
            assertEquals(length, a.length());
            IllegalStateException e = assertThrows(IllegalStateException.class, a::toArray);
            assertEquals("SharedLongArray " + a.name() + " has " + length + " elements, more than a Java array holds: "
                    + "copy parts of it with copyTo", e.getMessage());
        }
    }

    @Test
    void shouldViewWindowsOfALargeBlockAnywhere() {
        try (SharedMemory m = SharedMemory.create(3 * GIB)) {
            IllegalStateException whole = assertThrows(IllegalStateException.class, m::buffer);
            assertEquals("block " + m.name() + " of " + 3 * GIB + " bytes is larger than one AtomicBuffer can view ("
                    + SharedMemory.MAX_BUFFER_SIZE + " bytes): use buffer(offset, length) for windows of up to "
                    + Segment.MAX_WINDOW + " bytes", whole.getMessage());
            AtomicBuffer across = m.buffer(BOUNDARY - 8, 16);                 // spans the first chunk boundary
            across.putLong(0, 0x0102030405060708L);
            across.putLong(8, 0x1112131415161718L);
            AtomicBuffer after = m.buffer(BOUNDARY, 8);                       // the same bytes through another mapping
            assertEquals(0x1112131415161718L, after.getLong(0));
            AtomicBuffer big = m.buffer(2 * GIB + 123, Segment.MAX_WINDOW);   // a window of almost 1 GiB
            big.putInt(Segment.MAX_WINDOW - 4, 99);
            assertEquals(99, m.buffer(2 * GIB + 123 + Segment.MAX_WINDOW - 4, 4).getInt(0));
            IndexOutOfBoundsException tooLong = assertThrows(IndexOutOfBoundsException.class, () -> m.buffer(0, Segment.MAX_WINDOW + 1));
            assertTrue(tooLong.getMessage().startsWith("window too long for a segment of"), tooLong.getMessage());
            byte[] bytes = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            m.write(3 * GIB - 10, bytes, 0, 10);
            byte[] back = new byte[10];
            m.read(3 * GIB - 10, back, 0, 10);
            assertArrayEquals(bytes, back);
        }
    }
}
