package org.multiproc4j.ipc.internal;

import static org.agrona.concurrent.ringbuffer.RingBufferDescriptor.TRAILER_LENGTH;

import org.multiproc4j.sharedmem.internal.ProcessIdentity;

/**
 * The layout of a pipe's segment data (after sharedmem's segment header, whose users table decides when the
 * segment goes): a header, the two ends' states and one Agrona ring per direction. Offsets and sizes only.
 *
 * <pre>
 *    0 +---------------------------------------------------------------+
 *      | magic "MP4JPIPE" (long)                                       |
 *    8 | version (int)                 | flags (int): bit 0 = duplex   |
 *   16 | ring capacity (int)           | unused                        |
 *   24 | creator identity (long)                                       |
 *  128 +---------------------------------------------------------------+
 *      | end 0: owner identity (long; bit 63 = not attached yet)       |
 *  136 | closed (int)                  | handed over (int)             |
 *  256 | end 1: same                                                   |
 *  384 +---------------------------------------------------------------+
 *      | ring 0: capacity bytes + Agrona trailer (768 bytes)           |
 *      | ring 1 (duplex only): same                                    |
 *      +---------------------------------------------------------------+
 * </pre>
 *
 * <p>An end's owner is the process whose liveness decides whether the end is alive: the process that attached
 * it; while a handle of it travels (bit 63 set), the process that wrote the handle, or, once
 * {@code JvmProcess.start()} named the process it was handed to (the handed-over flag set), that process.
 *
 * <p>In a duplex pipe end {@code e} writes ring {@code e} and reads ring {@code 1 - e}. In a one-way pipe end
 * 0 only reads and end 1 only writes, both on ring 0 (Python's {@code Pipe(duplex=False)} order: receiving end
 * first).
 */
public final class PipeDescriptor {
    /** "MP4JPIPE" in ASCII. */
    public static final long MAGIC = 0x4D50344A50495045L;
    /** Layout version. */
    public static final int VERSION = 2;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int VERSION_OFFSET = 8;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 12;
    /** Offset of the ring capacity. */
    public static final int CAPACITY_OFFSET = 16;
    /** Offset of the creator's identity. */
    public static final int CREATOR_OFFSET = 24;
    /** Offset of end 0's state. */
    public static final int END_OFFSET = 128;
    /** Bytes per end state. */
    public static final int END_LENGTH = 128;
    /** Offset of an end's owner within its state. */
    public static final int OWNER = 0;
    /** Offset of an end's closed flag within its state. */
    public static final int CLOSED = 8;
    /**
     * Offset of an end's handed-over flag within its state: 1 while the owner word names the process the end
     * was handed to (not the sender of a handle in flight), for messages.
     */
    public static final int HANDED = 12;
    /** Offset of ring 0. */
    public static final int RINGS_OFFSET = 384;

    /** Flag bit: duplex. */
    public static final int DUPLEX = 1;
    /**
     * Bit 63 of an owner word ({@link ProcessIdentity#FLAG}, a bit no token has): the end is on its way to another
     * process and not attached yet (the rest names the sender, or the recipient once it is known).
     */
    public static final long IN_TRANSIT = ProcessIdentity.FLAG;

    private PipeDescriptor() {
    }

    /**
     * Returns the offset of an end's state.
     *
     * @param end 0 or 1.
     * @return the offset.
     */
    public static int endOffset(int end) {
        return END_OFFSET + end * END_LENGTH;
    }

    /**
     * Returns the offset of a ring.
     *
     * @param ring     0 or 1.
     * @param capacity the ring capacity.
     * @return the offset.
     */
    public static int ringOffset(int ring, int capacity) {
        return RINGS_OFFSET + ring * (capacity + TRAILER_LENGTH);
    }

    /**
     * Returns the size of a pipe's segment.
     *
     * @param capacity the ring capacity.
     * @param duplex   whether there are two rings.
     * @return the size in bytes.
     */
    public static int segmentLength(int capacity, boolean duplex) {
        return RINGS_OFFSET + (duplex ? 2 : 1) * (capacity + TRAILER_LENGTH);
    }
}
