package org.multiproc4j.ipc.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

/**
 * The short way through a ring: what {@link SmallRecords#take} tells a receiver about the head (nothing there,
 * a record of another kind, or the message), in the form Agrona's ring buffer writes and reads.
 */
class SmallRecordsTest {
    private static final int CAPACITY = 1024;

    private final UnsafeBuffer buffer = new UnsafeBuffer(
            ByteBuffer.allocateDirect(CAPACITY + RingBufferDescriptor.TRAILER_LENGTH));
    private final OneToOneRingBuffer ring = new OneToOneRingBuffer(buffer);

    @Test
    void shouldReportNothingAtTheHeadOfAnEmptyRingAndWhileItsRecordIsClaimedButNotCommitted() {
        assertSame(SmallRecords.NOTHING, SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES));

        int index = ring.tryClaim(Frames.WHOLE_BYTES, 3);
        assertTrue(index > 0);
        buffer.putBytes(index, new byte[] {1, 2, 3});
        assertSame(SmallRecords.NOTHING, SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES),
                "a claimed record is not there yet for a reader");

        ring.commit(index);
        assertArrayEquals(new byte[] {1, 2, 3}, SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES));
        assertSame(SmallRecords.NOTHING, SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES), "taken");
        assertEquals(0, ring.read((type, b, i, len) -> { }), "Agrona's reader finds nothing after take");
    }

    @Test
    void shouldLeaveACommittedRecordOfAnotherTypeToTheRingsReaderAndTakeAnEmptyMessageAsANewArray() {
        assertTrue(ring.write(Frames.WHOLE_OBJECT, new UnsafeBuffer(new byte[] {9}), 0, 1));
        assertNull(SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES), "another type: not taken");
        assertEquals(1, ring.read((type, b, i, len) -> assertEquals(Frames.WHOLE_OBJECT, type)));

        assertTrue(SmallRecords.write(buffer, CAPACITY, Frames.WHOLE_BYTES, new byte[0], 0, 0));
        byte[] empty = SmallRecords.take(buffer, CAPACITY, Frames.WHOLE_BYTES);
        assertEquals(0, empty.length);
        assertNotSame(SmallRecords.NOTHING, empty, "an empty message is not 'nothing there'");
    }
}
