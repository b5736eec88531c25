package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;

import java.lang.invoke.VarHandle;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The short way of one small whole message through a pipe's ring, for the calls of a client that has just
 * started (where each method call and each bounds check of Agrona's buffer is interpreted): a record is written,
 * or taken, with a handful of plain and ordered memory accesses, in exactly the form Agrona's
 * {@link org.agrona.concurrent.ringbuffer.OneToOneRingBuffer} writes and reads it, so either side may use either
 * way for any record.
 *
 * <p>Only the plain case takes the short way: a record that fits before the end of the ring and within the
 * consumer position the producer last saw (no padding record, no refresh of the head cache), and a committed
 * record of a whole message at the head. Anything else returns "not done", and the caller goes through Agrona's
 * ring buffer, which handles it.
 *
 * <p>The form, per Agrona 2.x: a record is an {@code int} length (negative while claimed, positive once committed;
 * header included) and an {@code int} type, then the message, aligned to 8 bytes; the producer zeroes the header
 * after each record it claims (so it always keeps room for one), and moves the tail with a release store before
 * writing the record; the consumer moves the head with a release store after reading it. The trailer after the
 * {@code capacity} bytes holds the tail, the head cache and the head
 * ({@link RingBufferDescriptor}).
 *
 * <p>Stateless. Callers hold their side's lock: one producer and one consumer per ring, as Agrona's.
 */
final class SmallRecords {
    private static final long BYTES = UnsafeApi.arrayBaseOffset(byte[].class);

    /**
     * What {@link #take} returns when the head holds no committed record: told apart by identity (an empty
     * message taken is a new array).
     */
    static final byte[] NOTHING = new byte[0];

    private SmallRecords() {
    }

    /**
     * Writes a whole message as one committed record, if it is the plain case.
     *
     * @param ring     the ring's buffer (capacity bytes, then the trailer).
     * @param capacity the ring's capacity, a power of two.
     * @param type     the record type.
     * @param src      the message.
     * @param offset   its first byte.
     * @param length   its length; at most the ring's maximum message length.
     * @return {@code true} if written and committed, {@code false} if nothing was written.
     */
    static boolean write(AtomicBuffer ring, int capacity, int type, byte[] src, int offset, int length) {
        Object base = ring.byteArray();
        long address = ring.addressOffset();
        long tailAt = address + capacity + RingBufferDescriptor.TAIL_POSITION_OFFSET;
        int recordLength = length + HEADER_LENGTH;
        int aligned = (recordLength + ALIGNMENT - 1) & -ALIGNMENT;
        int required = aligned + HEADER_LENGTH;
        long tail = UnsafeApi.getLong(base, tailAt);
        long headCache = UnsafeApi.getLong(base, address + capacity + RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET);
        int index = (int) tail & (capacity - 1);
        if (required > capacity - (int) (tail - headCache) || required > capacity - index) {
            return false;
        }
        long record = address + index;
        UnsafeApi.putLongRelease(base, tailAt, tail + aligned);
        UnsafeApi.putLong(base, record + aligned, 0L);               // the next record's header
        UnsafeApi.putIntRelease(base, record, -recordLength);         // claimed
        VarHandle.releaseFence();
        UnsafeApi.putInt(base, record + 4, type);
        UnsafeApi.copyMemory(src, BYTES + offset, base, record + HEADER_LENGTH, length);
        UnsafeApi.putIntRelease(base, record, recordLength);          // committed
        return true;
    }

    /**
     * Takes the record at the head into a new array, if it is a committed record of the given type.
     *
     * @param ring     the ring's buffer.
     * @param capacity the ring's capacity.
     * @param type     the record type wanted.
     * @return the message; {@link #NOTHING} if the head holds no committed record (the ring is empty, or its
     *         producer is still writing the record), so that a reader of the ring would find nothing either; or
     *         {@code null} if the head holds a committed record of another type (nothing taken).
     */
    static byte[] take(AtomicBuffer ring, int capacity, int type) {
        Object base = ring.byteArray();
        long address = ring.addressOffset();
        long headAt = address + capacity + RingBufferDescriptor.HEAD_POSITION_OFFSET;
        long head = UnsafeApi.getLong(base, headAt);
        long record = address + ((int) head & (capacity - 1));
        int recordLength = UnsafeApi.getIntVolatile(base, record);
        if (recordLength <= 0) {
            return NOTHING;
        }
        if (UnsafeApi.getInt(base, record + 4) != type) {
            return null;
        }
        byte[] message = new byte[recordLength - HEADER_LENGTH];
        UnsafeApi.copyMemory(base, record + HEADER_LENGTH, message, BYTES, message.length);
        UnsafeApi.putLongRelease(base, headAt, head + ((recordLength + ALIGNMENT - 1) & -ALIGNMENT));
        return message;
    }
}
