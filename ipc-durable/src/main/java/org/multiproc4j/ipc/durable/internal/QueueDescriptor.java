package org.multiproc4j.ipc.durable.internal;

/**
 * The files multiproc4j keeps next to Chronicle Queue's in a durable queue's directory: offsets, sizes and the
 * encoding of a message's consumption marker. Nothing else.
 *
 * <pre>
 *  mp4j-queue.dat: one per queue, created whole (written aside, then hard-linked into place)
 *  0          8          12         16                         24                 4096
 *  +----------+----------+----------+--------------------------+------------------+
 *  | magic    | version  | slots    | lowWater                 | (reserved)       |
 *  | MP4JDQ01 | int = 1  | int=1024 | long, CAS max            |                  |
 *  +----------+----------+----------+--------------------------+------------------+
 *  4096 + 16 * s: consumer slot s
 *  +-------------------------------------------+------------------------------+
 *  | word: epoch (high 32 bits) | pid (low 32) | start of the owner, ms epoch |
 *  +-------------------------------------------+------------------------------+
 *  The owner of slot s holds an fcntl lock on the first byte of its slot for as long as it lives: the
 *  kernel drops it when the process dies, however it dies, which is how others learn it is gone.
 *  lowWater: a Chronicle index such that it and every message before it are consumed (0: none known).
 *
 *  mp4j-marks/&lt;cycle&gt;.marks: one per roll cycle, sparse, grown in chunks of 1 MiB
 *  chunk k = 131071 markers (8 bytes each) for sequence numbers [131071 k, 131071 (k + 1)), then 8 bytes
 *  of padding that are always zero, so any process grows the file to cover chunk k by writing zeros
 *  there: the file never shrinks and no marker is ever overwritten by growth.
 *
 *  marker (native byte order, changed only by compare-and-set)
 *  63  62 61          48 47                                    0
 *  +------+--------------+---------------------------------------+
 *  |state | slot         | epoch of the slot's owner             |
 *  +------+--------------+---------------------------------------+
 *  state: 00 FREE (not taken), 01 CLAIMED (delivered, not acknowledged), 10 DONE (consumed),
 *         11 RELEASED (delivered, then given back: free again, flagged as a redelivery; slot and epoch 0)
 * </pre>
 */
public final class QueueDescriptor {
    /** The claim file's name. */
    public static final String CLAIM_FILE = "mp4j-queue.dat";
    /** The directory of the marker files. */
    public static final String MARKS_DIR = "mp4j-marks";
    /** The suffix of a marker file. */
    public static final String MARKS_SUFFIX = ".marks";

    /** "MP4JDQ01" in ASCII, as a big-endian long. */
    public static final long MAGIC = 0x4D50344A44513031L;
    /** The layout's version. */
    public static final int VERSION = 1;
    /** Consumer slots in a claim file. */
    public static final int SLOTS = 1024;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the slot count. */
    public static final int SLOTS_OFFSET = 12;
    /** Offset of the low-water index. */
    public static final int LOW_WATER_OFFSET = 16;
    /** Offset of the first slot. */
    public static final int SLOT_BASE = 4096;
    /** Bytes per slot. */
    public static final int SLOT_SIZE = 16;
    /** Offset of the owner's start time within a slot. */
    public static final int SLOT_START_OFFSET = 8;
    /** Size of the claim file. */
    public static final int CLAIM_FILE_SIZE = SLOT_BASE + SLOTS * SLOT_SIZE;

    /** Bytes per chunk of a marker file. */
    public static final int CHUNK_BYTES = 1 << 20;
    /** Markers per chunk (the chunk's last 8 bytes are padding). */
    public static final int MARKS_PER_CHUNK = CHUNK_BYTES / 8 - 1;

    /** State of a message nobody has taken. */
    public static final long FREE = 0;
    private static final long CLAIMED_BITS = 1L << 62;
    private static final long DONE_BITS = 2L << 62;
    private static final long STATE_MASK = 3L << 62;
    /** State of a message given back by its consumer before it was consumed: takeable, and a redelivery. */
    public static final long RELEASED = STATE_MASK;
    private static final long EPOCH_MASK = (1L << 48) - 1;

    private QueueDescriptor() {
    }

    /**
     * Returns the offset of slot {@code s}.
     *
     * @param s the slot.
     * @return its offset in the claim file.
     */
    public static int slotOffset(int s) {
        return SLOT_BASE + s * SLOT_SIZE;
    }

    /**
     * Builds the marker of a message delivered to a consumer and not yet acknowledged.
     *
     * @param slot  the consumer's slot.
     * @param epoch the slot's epoch.
     * @return the marker.
     */
    public static long claimed(int slot, long epoch) {
        return CLAIMED_BITS | ((long) slot << 48) | (epoch & EPOCH_MASK);
    }

    /**
     * Builds the marker of a consumed message.
     *
     * @param slot  the consumer that consumed it.
     * @param epoch the slot's epoch.
     * @return the marker.
     */
    public static long done(int slot, long epoch) {
        return DONE_BITS | ((long) slot << 48) | (epoch & EPOCH_MASK);
    }

    /**
     * Tells whether a marker says "delivered, not acknowledged".
     *
     * @param marker the marker.
     * @return {@code true} if CLAIMED.
     */
    public static boolean isClaimed(long marker) {
        return (marker & STATE_MASK) == CLAIMED_BITS;
    }

    /**
     * Tells whether a marker says "consumed".
     *
     * @param marker the marker.
     * @return {@code true} if DONE.
     */
    public static boolean isDone(long marker) {
        return (marker & STATE_MASK) == DONE_BITS;
    }

    /**
     * Returns the slot named by a CLAIMED or DONE marker.
     *
     * @param marker the marker.
     * @return the slot.
     */
    public static int slot(long marker) {
        return (int) ((marker >>> 48) & 0x3FFF);
    }

    /**
     * Returns the epoch named by a CLAIMED or DONE marker.
     *
     * @param marker the marker.
     * @return the epoch.
     */
    public static long epoch(long marker) {
        return marker & EPOCH_MASK;
    }

    /**
     * Describes a marker for messages and diagnostics.
     *
     * @param marker the marker.
     * @return e.g. {@code "DONE by slot 3 epoch 7"}.
     */
    public static String describe(long marker) {
        if (marker == FREE) {
            return "FREE";
        }
        if (marker == RELEASED) {
            return "RELEASED";
        }
        String state = isDone(marker) ? "DONE" : isClaimed(marker) ? "CLAIMED" : "?" + Long.toHexString(marker);
        return state + " by slot " + slot(marker) + " epoch " + epoch(marker);
    }
}
