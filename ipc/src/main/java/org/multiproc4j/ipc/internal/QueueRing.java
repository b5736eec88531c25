package org.multiproc4j.ipc.internal;

import static org.agrona.BitUtil.align;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.ALIGNMENT;
import static org.agrona.concurrent.ringbuffer.RecordDescriptor.HEADER_LENGTH;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.HEAD_POSITION_OFFSET;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TAIL_POSITION_OFFSET;
import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.checkCapacity;

import org.agrona.concurrent.AtomicBuffer;

/**
 * The queue's ring: Agrona's ring-buffer layout ({@code RingBufferDescriptor}, {@code RecordDescriptor}: records
 * of an 8-byte header, length then type, aligned to 8; a trailer holding the tail and head positions), written
 * by one producer and read by one consumer at a time, each side holding a cross-process lock. It is compatible
 * with Agrona's {@code OneToOneRingBuffer} (which can read what it writes, and the other way round), but its
 * producer writes in an order chosen so that a producer killed at <em>any</em> instant leaves a state that
 * {@link #repair} can finish exactly. Agrona's own {@code unblock()} cannot: it must guess the length of a record
 * whose header was never written and cannot tell a dead producer from a slow one.
 *
 * <p>Claiming a record of {@code length} payload bytes at tail position {@code t} (the caller has first recorded
 * {@code t}, the length and the type where a repairer finds them):
 * <ol>
 *   <li>pre-zero the header that will follow the record, and the record's own header when it wraps to index 0
 *       (so no stale header of an earlier lap is ever read as committed);</li>
 *   <li>advance the tail (release): the record is now claimed;</li>
 *   <li>if the record wraps, write the padding record that fills the end of the buffer;</li>
 *   <li>copy the payload, then commit: write the type, then the positive length (release).</li>
 * </ol>
 * A consumer reads the length at the head (acquire); a length that is zero means "not committed yet".
 * Consumers never write records: they only move the head, so a consumer killed at any instant corrupts
 * nothing.
 *
 * <p>Not thread-safe: the caller holds the producer lock for producer methods and the consumer lock for
 * consumer methods.
 */
public final class QueueRing {
    /** {@link #repair} found the fragment was never claimed. */
    public static final int NOT_CLAIMED = 0;
    /** {@link #repair} found the fragment committed: nothing was changed. */
    public static final int COMMITTED = 1;
    /** {@link #repair} turned the claimed, uncommitted fragment into padding. */
    public static final int PADDED = 2;

    private final AtomicBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int tailIndex;
    private final int headIndex;
    private final int maxRecordLength;

    /**
     * Wraps a ring.
     *
     * @param buffer {@code capacity + TRAILER_LENGTH} bytes, capacity a power of two.
     */
    public QueueRing(AtomicBuffer buffer) {
        this.buffer = buffer;
        this.capacity = checkCapacity(buffer.capacity(), 2 * HEADER_LENGTH);
        this.mask = capacity - 1;
        this.tailIndex = capacity + TAIL_POSITION_OFFSET;
        this.headIndex = capacity + HEAD_POSITION_OFFSET;
        this.maxRecordLength = capacity >> 3;
        buffer.verifyAlignment();
    }

    /**
     * Returns the ring's data capacity.
     *
     * @return bytes.
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Returns the largest payload of one record: an eighth of the capacity, minus the header (as Agrona).
     *
     * @return bytes.
     */
    public int maxPayload() {
        return maxRecordLength - HEADER_LENGTH;
    }

    /**
     * Returns the buffer.
     *
     * @return the ring's buffer.
     */
    public AtomicBuffer buffer() {
        return buffer;
    }

    /**
     * Returns the tail position (acquire).
     *
     * @return the position.
     */
    public long tail() {
        return buffer.getLongVolatile(tailIndex);
    }

    /**
     * Returns the head position (acquire).
     *
     * @return the position.
     */
    public long head() {
        return buffer.getLongVolatile(headIndex);
    }

    // ------------------------------------------------------------------------------------------- producer

    private int padding(long tail, int aligned) {
        int index = (int) tail & mask;
        int toEnd = capacity - index;
        return (aligned == toEnd || aligned + HEADER_LENGTH <= toEnd) ? 0 : toEnd;
    }

    /**
     * Tells whether a record of {@code length} payload bytes can be claimed now, leaving {@code reserve} bytes.
     *
     * @param length  the payload length.
     * @param reserve bytes that must stay free after it (for an ABORT record).
     * @return {@code true} if {@link #claim} will succeed.
     */
    public boolean hasRoom(int length, int reserve) {
        long tail = buffer.getLong(tailIndex);
        long head = buffer.getLongVolatile(headIndex);
        int aligned = align(length + HEADER_LENGTH, ALIGNMENT);
        return capacity - (tail - head) >= (long) padding(tail, aligned) + aligned + HEADER_LENGTH + reserve;
    }

    /**
     * Claims a record at the current tail (the caller checked {@link #hasRoom} and recorded the tail, the
     * length and the type for a repairer).
     *
     * @param length the payload length, at most {@link #maxPayload()}.
     * @return the index of the payload's first byte.
     */
    public int claim(int length) {
        long tail = buffer.getLong(tailIndex);
        int aligned = align(length + HEADER_LENGTH, ALIGNMENT);
        int index = (int) tail & mask;
        int padding = padding(tail, aligned);
        int writeIndex = padding == 0 ? index : 0;
        int next = (writeIndex + aligned) & mask;
        buffer.putLong(next, 0L);
        CrashPoints.hit(CrashPoints.R_NEXT_ZEROED);
        if (padding != 0) {
            buffer.putLong(0, 0L);
            CrashPoints.hit(CrashPoints.R_WRAP_ZEROED);
        }
        buffer.putLongRelease(tailIndex, tail + padding + aligned);
        CrashPoints.hit(CrashPoints.R_TAIL);
        if (padding != 0) {
            buffer.putInt(index + 4, Frames.PADDING);
            CrashPoints.hit(CrashPoints.R_PADDING_TYPE);
            buffer.putIntRelease(index, padding);
            CrashPoints.hit(CrashPoints.R_PADDING);
        }
        return writeIndex + HEADER_LENGTH;
    }

    /**
     * Commits a claimed record: it becomes visible to consumers.
     *
     * @param payloadIndex what {@link #claim} returned.
     * @param type         the record type.
     * @param length       the payload length.
     */
    public void commit(int payloadIndex, int type, int length) {
        int record = payloadIndex - HEADER_LENGTH;
        buffer.putInt(record + 4, type);
        CrashPoints.hit(CrashPoints.R_TYPE);
        buffer.putIntRelease(record, length + HEADER_LENGTH);
        CrashPoints.hit(CrashPoints.R_COMMITTED);
    }

    /**
     * Finishes the fragment a dead producer was writing, so consumers never wait for it. The caller holds the
     * producer lock (taken over from the dead holder).
     *
     * @param fragTail the tail recorded before the claim.
     * @param length   the payload length recorded.
     * @param type     the type recorded.
     * @return {@link #NOT_CLAIMED}, {@link #COMMITTED} or {@link #PADDED}.
     */
    public int repair(long fragTail, int length, int type) {
        long tail = buffer.getLong(tailIndex);
        if (tail == fragTail) {
            return NOT_CLAIMED;
        }
        int aligned = align(length + HEADER_LENGTH, ALIGNMENT);
        int index = (int) fragTail & mask;
        int padding = padding(fragTail, aligned);
        if (tail != fragTail + padding + aligned) {
            throw new IllegalStateException("queue ring inconsistent: fragment of " + length + " bytes claimed at "
                    + fragTail + " but tail is " + tail);
        }
        int writeIndex = padding == 0 ? index : 0;
        buffer.putLong((writeIndex + aligned) & mask, 0L);
        int status;
        if (buffer.getIntVolatile(writeIndex) == length + HEADER_LENGTH && buffer.getInt(writeIndex + 4) == type) {
            status = COMMITTED;
        } else {
            buffer.putInt(writeIndex + 4, Frames.PADDING);
            buffer.putIntRelease(writeIndex, aligned);
            status = PADDED;
        }
        if (padding != 0) {
            buffer.putInt(index + 4, Frames.PADDING);
            buffer.putIntRelease(index, padding);
        }
        return status;
    }

    // ------------------------------------------------------------------------------------------- consumer

    /**
     * Returns the index in the buffer of a position.
     *
     * @param position a head or tail position.
     * @return the index.
     */
    public int index(long position) {
        return (int) position & mask;
    }

    /**
     * Returns the committed record length at a position (acquire), or zero or less if none.
     *
     * @param position the head.
     * @return the record length including its header.
     */
    public int recordLength(long position) {
        return buffer.getIntVolatile((int) position & mask);
    }

    /**
     * Returns the record type at a position (read after {@link #recordLength}).
     *
     * @param position the head.
     * @return the type.
     */
    public int recordType(long position) {
        return buffer.getInt(((int) position & mask) + 4);
    }

    /**
     * Moves the head (release): the space before it may be reused by the producer.
     *
     * @param position the new head.
     */
    public void advance(long position) {
        buffer.putLongRelease(headIndex, position);
    }

    /**
     * Tells whether a committed record waits at the head (padding counts).
     *
     * @return {@code true} if so.
     */
    public boolean hasRecord() {
        return recordLength(head()) > 0;
    }

    /**
     * Returns the space a record of that length takes, aligned.
     *
     * @param recordLength the record length including its header.
     * @return bytes.
     */
    public static int aligned(int recordLength) {
        return align(recordLength, ALIGNMENT);
    }
}
