package org.multiproc4j.sharedmem.internal;

/**
 * The header every multiproc4j segment file starts with. Integers are in the machine's native byte order
 * (every process attaching runs on the same machine).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   Magic "MP4JSHM1" (written last)             |   0
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |        Layout version         |        Header length          |   8
 *  +-------------------------------+-------------------------------+
 *  |                         Data length                           |  16
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          Creator pid                          |  24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Creator start stamp (see ProcessIdentity)     |  32
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                  Creation time, epoch milliseconds            |  40
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |             Kind              |         Kind version          |  48
 *  +-------------------------------+-------------------------------+
 *  |                           Reserved                            |  56
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |            Kind header: 192 bytes, laid out by the kind's     |  64
 *  |            descriptor (ValueDescriptor, ArrayDescriptor, ...) |
 *  ...                                                           ...
 *  +---------------------------------------------------------------+
 *  |     Users lock: the token of the process updating the table   | 256
 *  |                 (0 when free; see SegmentUsers)               |
 *  +---------------------------------------------------------------+
 *  |     Retired: non-zero once the name was removed               | 264
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |     Entries (int): 128        |           Reserved            | 272
 *  +-------------------------------+-------------------------------+
 *  ...                          Reserved                         ...
 *  +---------------------------------------------------------------+
 *  |     Entry 0: process token                                    | 320
 *  |                                                               |
 *  +-------------------------------+-------------------------------+
 *  |  Open count: objects of the   |  Pending count: handed over   | 328
 *  |  process that have it open    |  to it, not attached yet      |
 *  +-------------------------------+-------------------------------+
 *  |  In-transit count: handles it |           Reserved            | 336
 *  |  wrote, recipient not known   |                               |
 *  +-------------------------------+-------------------------------+
 *  ...              Entries 1 .. 127, 24 bytes each              ...
 *  +---------------------------------------------------------------+
 *  ...                          Reserved                         ...  3392
 *  +---------------------------------------------------------------+
 *  |                 Data (Data length bytes)                      | 4096
 *  ...                                                           ...
 * </pre>
 *
 * <p>The creator writes every field, then the magic with release semantics: a process that reads the
 * magic (with acquire semantics) sees a complete header. The magic, the layout version, the creator pid, its
 * start stamp and the creation time stay at these offsets in every future layout version, so a sweep can
 * always tell whose a segment is and whether it can read the rest.
 *
 * <p>The users table (version 2) says which processes use the segment, so that its name is removed when the
 * last of them is done with it, whoever that is ({@link SegmentUsers}). The data starts on a page of its own.
 */
public final class SegmentDescriptor {
    /** "MP4JSHM1" as a little-endian long. */
    public static final long MAGIC = 0x314D_4853_4A34_504DL;
    /** The layout version this code writes and reads. */
    public static final int VERSION = 2;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 8;
    public static final int HEADER_LENGTH_OFFSET = 12;
    public static final int DATA_LENGTH_OFFSET = 16;
    public static final int CREATOR_PID_OFFSET = 24;
    public static final int CREATOR_STAMP_OFFSET = 32;
    public static final int CREATED_MILLIS_OFFSET = 40;
    public static final int KIND_OFFSET = 48;
    public static final int KIND_VERSION_OFFSET = 52;
    /** Where the kind header starts. */
    public static final int KIND_HEADER_OFFSET = 64;
    /** How long the kind header is. */
    public static final int KIND_HEADER_LENGTH = 192;
    /** Where the users table starts: its lock word. */
    public static final int USERS_LOCK_OFFSET = 256;
    /** The users table's retired flag. */
    public static final int USERS_RETIRED_OFFSET = 264;
    /** How many entries the users table has (an int). */
    public static final int USERS_ENTRIES_OFFSET = 272;
    /** Where the first entry of the users table starts. */
    public static final int USERS_TABLE_OFFSET = 320;
    /** The length of one users table entry. */
    public static final int USER_LENGTH = 24;
    /** Within an entry: the process's token (see {@link ProcessIdentity}), 0 for a free entry. */
    public static final int USER_TOKEN = 0;
    /** Within an entry: how many objects of the process have the segment open (an int). */
    public static final int USER_OPEN = 8;
    /** Within an entry: how many handles were handed over to the process and are not yet attached (an int). */
    public static final int USER_PENDING = 12;
    /** Within an entry: how many handles the process wrote whose recipient is not known yet (an int). */
    public static final int USER_TRANSIT = 16;
    /** How many processes the users table holds. */
    public static final int USERS = 128;
    /** The header's length: the data starts here, on a page boundary. */
    public static final int HEADER_LENGTH = 4096;

    /** A raw {@code SharedMemory} block. */
    public static final int KIND_RAW = 1;
    /** A typed value ({@code SharedInt}, ...). */
    public static final int KIND_VALUE = 2;
    /** A typed array ({@code SharedIntArray}, ...). */
    public static final int KIND_ARRAY = 3;
    /** A {@code SharedLock}. */
    public static final int KIND_LOCK = 4;
    /** A {@code SharedReentrantLock}. */
    public static final int KIND_REENTRANT_LOCK = 5;
    /** A {@code SharedSemaphore} or {@code SharedBoundedSemaphore}. */
    public static final int KIND_SEMAPHORE = 6;
    /** A {@code SharedEvent}. */
    public static final int KIND_EVENT = 7;
    /** A {@code SharedCondition}. */
    public static final int KIND_CONDITION = 8;
    /** A {@code SharedBarrier}. */
    public static final int KIND_BARRIER = 9;
    /** A pipe of module {@code ipc} (its layout is ipc's {@code PipeDescriptor}). */
    public static final int KIND_PIPE = 10;
    /** A queue of module {@code ipc} (its layout is ipc's {@code QueueDescriptor}). */
    public static final int KIND_QUEUE = 11;

    static {
        if (USERS_TABLE_OFFSET + USERS * USER_LENGTH > HEADER_LENGTH
                || KIND_HEADER_OFFSET + KIND_HEADER_LENGTH > USERS_LOCK_OFFSET) {
            throw new AssertionError("segment header fields overlap");
        }
    }

    private SegmentDescriptor() {
    }

    /**
     * Names a kind for messages.
     *
     * @param kind a kind constant.
     * @return e.g. {@code "a SharedLock"}.
     */
    public static String kindName(int kind) {
        switch (kind) {
            case KIND_RAW:
                return "a raw SharedMemory block";
            case KIND_VALUE:
                return "a shared value";
            case KIND_ARRAY:
                return "a shared array";
            case KIND_LOCK:
                return "a SharedLock";
            case KIND_REENTRANT_LOCK:
                return "a SharedReentrantLock";
            case KIND_SEMAPHORE:
                return "a shared semaphore";
            case KIND_EVENT:
                return "a SharedEvent";
            case KIND_CONDITION:
                return "a SharedCondition";
            case KIND_BARRIER:
                return "a SharedBarrier";
            case KIND_PIPE:
                return "a pipe";
            case KIND_QUEUE:
                return "a shared queue";
            default:
                return "an unknown kind (" + kind + ")";
        }
    }
}
