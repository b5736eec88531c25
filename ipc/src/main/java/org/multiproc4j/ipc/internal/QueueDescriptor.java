package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;

/**
 * The layout of a queue's segment data (after sharedmem's segment header, whose users table decides when the
 * segment goes): a header, the producer side's lock and progress markers, the consumer side's, the joinable
 * queue's counter, then the ring. Offsets and sizes only; the protocol that reads and writes them is
 * {@link QueueCore}'s: {@link QueueProducer} writes the producer side, {@link QueueConsumer} the consumer side.
 *
 * <pre>
 *    0 +----------------------------------------------------------------+
 *      | magic "MP4JQUEU" (long)                                        |
 *    8 | version (int)                  | kind (int): 0 queue, 1 simple, 2 joinable
 *   16 | ring capacity (int)            | max size (int), 0 = unbounded |
 *   24 | creator identity (long)                                        |
 *  128 +--- producer side (written only by the producer lock's holder) -+
 *      | producer lock word: holder identity (long)                     |
 *  136 | pState: puts << 2 | stage (IDLE, WRITING, COMMITTING, ABORTING) |
 *  144 | pMsgTail: ring tail where the current message started          |
 *  152 | pFragTail: ring tail where the current fragment's claim starts, -1 = none in flight
 *  160 | pFragMeta: fragment payload length << 32 | record type         |
 *  256 +--- consumer side (written only by the consumer lock's holder) -+
 *      | consumer lock word: holder identity (long)                     |
 *  264 | cState: takes << 2 | stage (IDLE, TAKING, FINISHING)           |
 *  272 | cMsgHead: ring head where the message being taken started      |
 *  280 | cEndHead: ring head after the message being finished           |
 *  384 +----------------------------------------------------------------+
 *      | tasks done (long), joinable queues only                        |
 *  512 +----------------------------------------------------------------+
 *      | ring: capacity bytes + Agrona ring trailer (tail, head, ...)   |
 *      +----------------------------------------------------------------+
 * </pre>
 */
public final class QueueDescriptor {
    /** "MP4JQUEU" in ASCII. */
    public static final long MAGIC = 0x4D50344A51554555L;
    /** Layout version. */
    public static final int VERSION = 2;

    /** Kind: {@code SharedQueue}. */
    public static final int KIND_QUEUE = 0;
    /** Kind: {@code SimpleSharedQueue}. */
    public static final int KIND_SIMPLE = 1;
    /** Kind: {@code JoinableSharedQueue}. */
    public static final int KIND_JOINABLE = 2;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the kind. */
    public static final int KIND_OFFSET = 12;
    /** Offset of the ring capacity. */
    public static final int CAPACITY_OFFSET = 16;
    /** Offset of the maximum size. */
    public static final int MAX_SIZE_OFFSET = 20;
    /** Offset of the creator's identity. */
    public static final int CREATOR_OFFSET = 24;

    /** Offset of the producer lock word. */
    public static final int PRODUCER_LOCK = 128;
    /** Offset of the producer state word. */
    public static final int P_STATE = 136;
    /** Offset of the tail at which the current message started. */
    public static final int P_MSG_TAIL = 144;
    /** Offset of the tail at which the current fragment's claim started. */
    public static final int P_FRAG_TAIL = 152;
    /** Offset of the current fragment's length and type. */
    public static final int P_FRAG_META = 160;

    /** Offset of the consumer lock word. */
    public static final int CONSUMER_LOCK = 256;
    /** Offset of the consumer state word. */
    public static final int C_STATE = 264;
    /** Offset of the head at which the message being taken started. */
    public static final int C_MSG_HEAD = 272;
    /** Offset of the head after the message being finished. */
    public static final int C_END_HEAD = 280;

    /** Offset of the joinable queue's count of finished tasks. */
    public static final int DONE = 384;
    /** Offset of the ring. */
    public static final int RING_OFFSET = 512;

    /** Producer stage: no message in progress. */
    public static final int P_IDLE = 0;
    /** Producer stage: writing the fragments of a message before its last. */
    public static final int P_WRITING = 1;
    /** Producer stage: writing a message's last (or only) record; it is already counted in puts. */
    public static final int P_COMMITTING = 2;
    /** Producer stage: writing an {@link Frames#ABORT} record for an abandoned message. */
    public static final int P_ABORTING = 3;

    /** Consumer stage: no message in progress. */
    public static final int C_IDLE = 0;
    /** Consumer stage: reading the fragments of a message. */
    public static final int C_TAKING = 1;
    /** Consumer stage: moving the head past a message already read; already counted in takes. */
    public static final int C_FINISHING = 2;

    private QueueDescriptor() {
    }

    /**
     * Returns the stage of a state word (pState or cState): its low two bits.
     *
     * @param state the state word.
     * @return {@link #P_IDLE} .. {@link #P_ABORTING}, or {@link #C_IDLE} .. {@link #C_FINISHING}.
     */
    public static int stage(long state) {
        return (int) (state & 3);
    }

    /**
     * Returns the count of a state word (puts in pState, takes in cState): all but its low two bits.
     *
     * @param state the state word.
     * @return the count.
     */
    public static long count(long state) {
        return state >>> 2;
    }

    /**
     * Returns the size of a queue's segment.
     *
     * @param capacity the ring capacity.
     * @return bytes.
     */
    public static int segmentLength(int capacity) {
        return RING_OFFSET + capacity + TRAILER_LENGTH;
    }
}
