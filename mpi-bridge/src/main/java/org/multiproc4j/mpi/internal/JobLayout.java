package org.multiproc4j.mpi.internal;

import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The layout of a local job's shared segment: a header, one slot per rank, then one single-producer,
 * single-consumer ring per ordered pair of ranks (Agrona's {@code OneToOneRingBuffer}, a rank's ring to itself
 * included).
 *
 * <pre>
 *   0                   8                   16                  24
 *   +---------+---------+---------+---------+---------+---------+
 *   | magic   | version | size n  | ringCap | abort   | abortCode
 *   +---------+---------+---------+---------+---------+---------+
 *   64: rank slots, 16 bytes each: pid (long), state (int), pad
 *   then n * n rings, ring (src, dst) at ringsStart + (src * n + dst) * (ringCap + trailer)
 *   then the collective area (world collectives, see SharedColl): n control blocks of CTL_LENGTH bytes
 *   (arrive step and done step on one cache line | release step on its own | COLL_STEPS step headers: byte
 *   count, element type), then n data slots of collSlot(n) bytes, COLL_STEPS chunks each
 * </pre>
 * {@code abort} is 0, or 1 + the rank whose failure ends the job (the launcher or the failing rank writes it).
 * A rank's state is {@link #STATE_NEW}, {@link #STATE_RUNNING} or {@link #STATE_FINISHED}.
 */
public final class JobLayout {
    /** Magic number, written last by the creator. */
    public static final int MAGIC = 0x4d50494a; // "MPIJ"
    /** Version of this layout and of the rings' frame format (3: a whole message's frame has a 12-byte header). */
    public static final int VERSION = 3;
    /** Offset of the magic number. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 4;
    /** Offset of the rank count. */
    public static final int SIZE_OFFSET = 8;
    /** Offset of the ring capacity. */
    public static final int RING_CAPACITY_OFFSET = 12;
    /** Offset of the abort word. */
    public static final int ABORT_OFFSET = 16;
    /** Offset of the abort exit code. */
    public static final int ABORT_CODE_OFFSET = 20;
    /** Offset of the first rank slot. */
    public static final int SLOTS_OFFSET = 64;
    /** Size of a rank slot. */
    public static final int SLOT_LENGTH = 16;
    /** A rank that has not joined. */
    public static final int STATE_NEW = 0;
    /** A rank that joined and has not finished. */
    public static final int STATE_RUNNING = 1;
    /** A rank that finished (it may exit). */
    public static final int STATE_FINISHED = 2;

    private JobLayout() {
    }

    /**
     * Offset of a rank's pid.
     *
     * @param rank the rank.
     * @return the offset.
     */
    public static int pidOffset(int rank) {
        return SLOTS_OFFSET + rank * SLOT_LENGTH;
    }

    /**
     * Offset of a rank's state.
     *
     * @param rank the rank.
     * @return the offset.
     */
    public static int stateOffset(int rank) {
        return SLOTS_OFFSET + rank * SLOT_LENGTH + 8;
    }

    /**
     * Offset of the first ring.
     *
     * @param n the rank count.
     * @return the offset, 64-aligned.
     */
    public static long ringsStart(int n) {
        long end = SLOTS_OFFSET + (long) n * SLOT_LENGTH;
        return (end + 63) & ~63L;
    }

    /**
     * Length of one ring, trailer included.
     *
     * @param capacity the ring capacity.
     * @return the length.
     */
    public static int ringLength(int capacity) {
        return capacity + RingBufferDescriptor.TRAILER_LENGTH;
    }

    /**
     * Offset of the ring from {@code src} to {@code dst}.
     *
     * @param n        the rank count.
     * @param capacity the ring capacity.
     * @param src      the sending rank.
     * @param dst      the receiving rank.
     * @return the offset.
     */
    public static long ringOffset(int n, int capacity, int src, int dst) {
        return ringsStart(n) + ((long) src * n + dst) * ringLength(capacity);
    }

    /** Steps a rank may run ahead in world collectives: its data slot holds this many chunks. */
    public static final int COLL_STEPS = 16;
    /**
     * Length of a rank's control block in the collective area: the arrive line (with the done step of large
     * reductions), the release line, and a
     * 16-byte header (byte count, element type) per step in flight.
     */
    public static final int CTL_LENGTH = 128 + 16 * COLL_STEPS;

    /**
     * Offset of the collective area: the control blocks, then the data slots.
     *
     * @param n        the rank count.
     * @param capacity the ring capacity.
     * @return the offset, 64-aligned.
     */
    public static long collStart(int n, int capacity) {
        long end = ringsStart(n) + (long) n * n * ringLength(capacity);
        return (end + 63) & ~63L;
    }

    /**
     * Offset of the first data slot of the collective area.
     *
     * @param n        the rank count.
     * @param capacity the ring capacity.
     * @return the offset, 64-aligned.
     */
    public static long slotsStart(int n, int capacity) {
        return collStart(n, capacity) + (long) n * CTL_LENGTH;
    }

    /**
     * Size of each rank's data slot for world collectives: 1 MiB for up to 64 ranks, less beyond (at least
     * 64 KiB), so that all slots together stay under 64 MiB where they can.
     *
     * @param n the rank count.
     * @return a power of two.
     */
    public static int collSlot(int n) {
        long budget = (64L << 20) / n;
        int slot = 1 << 20;
        while (slot > (64 << 10) && slot > budget) {
            slot >>= 1;
        }
        return slot;
    }

    /**
     * Size of the whole segment.
     *
     * @param n        the rank count.
     * @param capacity the ring capacity.
     * @return the size.
     */
    public static long segmentSize(int n, int capacity) {
        return slotsStart(n, capacity) + (long) n * collSlot(n);
    }

    /**
     * The default ring capacity for {@code n} ranks: 1 MiB for up to 8 ranks, less beyond (at least 64 KiB).
     *
     * @param n the rank count.
     * @return a power of two.
     */
    public static int defaultCapacity(int n) {
        long budget = (64L << 20) / ((long) n * n);
        int cap = 1 << 20;
        while (cap > (64 << 10) && cap > budget) {
            cap >>= 1;
        }
        return cap;
    }
}
