package org.multiproc4j.sharedmem.internal;

import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USERS;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USERS_ENTRIES_OFFSET;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USERS_LOCK_OFFSET;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USERS_RETIRED_OFFSET;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USERS_TABLE_OFFSET;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USER_LENGTH;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USER_OPEN;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USER_PENDING;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USER_TOKEN;
import static org.multiproc4j.sharedmem.internal.SegmentDescriptor.USER_TRANSIT;

import org.agrona.UnsafeApi;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;

/**
 * The users table in a segment's header ({@link SegmentDescriptor}): which processes use the segment, so that
 * its name stays while any of them may still need it and is removed by the one that leaves no use behind.
 *
 * <p><b>The rule.</b> A segment is <em>in use</em> while a live process (pid and start time, see
 * {@link ProcessIdentity}) has it open, has been handed it and has not attached it yet, or wrote a handle of it
 * whose recipient is not known yet. Each process has one entry with three counts:
 * <ul>
 *   <li><em>open</em>: its objects mapping the segment (creating or attaching adds one, closing takes one);</li>
 *   <li><em>pending</em>: handles of it that {@code JvmProcess.start()} named this process as the recipient
 *       of ({@link #handedOver}); the process's attach of such a handle turns one pending into one open;</li>
 *   <li><em>in transit</em>: handles this process wrote (a task being started, a message) whose recipient is
 *       not known yet; {@link #handedOver} turns one into a pending use of the recipient (or drops it when
 *       there is none), and a receiver that attaches a handle it was not handed drops one of the sender's.</li>
 * </ul>
 * Entries of dead processes count for nothing, whatever their numbers say, and are reused: a process that died
 * before attaching what it was handed keeps nothing alive, nor does a sender that died with handles in flight.
 * The call that finds no use left marks the table retired (no process may join afterwards) and tells its
 * caller to remove the name; the sweep does the same for segments whose users all died.
 *
 * <p><b>Locking.</b> A process updates the table under its {@link LockWord}, which holds the updater's token: a
 * compare-and-set takes it, and a waiter that finds the holder dead takes it over (the table holds only counts,
 * each written by one store, so there is nothing to repair). Threads of one process exclude each other through
 * the same word. Updates are rare (create, attach, close, a task's start) and short; liveness checks read
 * {@code /proc} only for entries that still count.
 *
 * <p>All methods take the address of the mapped header (the segment's first byte).
 */
public final class SegmentUsers {
    private static final long NOBODY = 0;

    private SegmentUsers() {
    }

    /**
     * Writes the table of a new segment, before it is published: this process is its only user, with it open
     * once.
     *
     * @param header the header's address.
     */
    static void init(long header) {
        UnsafeApi.putInt(null, header + USERS_ENTRIES_OFFSET, USERS);
        long e = header + USERS_TABLE_OFFSET;
        UnsafeApi.putLong(null, e + USER_TOKEN, ProcessIdentity.SELF_TOKEN);
        UnsafeApi.putInt(null, e + USER_OPEN, 1);
    }

    /**
     * Records that one more object of this process has the segment open. When the object comes from a handle
     * ({@code sender} not 0), one use that kept the segment for it ends: this process's pending use if it was
     * handed the handle, otherwise the sender's transit.
     *
     * @param header the header's address.
     * @param sender the token of the process that wrote the handle, or 0 for an attach by name.
     * @param what   the segment, for messages ("mp4j-4242-1f3a-1 as a SharedInt").
     * @throws SharedMemoryException if the segment was removed meanwhile, or used by as many live processes as
     *                               the table holds.
     */
    static void join(long header, long sender, String what) {
        lock(header);
        try {
            if (UnsafeApi.getLongVolatile(null, header + USERS_RETIRED_OFFSET) != 0) {
                throw new SharedMemoryException("cannot attach " + what + ": it was removed (every process that "
                        + "used it has closed it or died)");
            }
            long e = entry(header, ProcessIdentity.SELF_TOKEN, true);
            if (e == 0) {
                throw new SharedMemoryException("cannot attach " + what + ": it is used by " + entries(header)
                        + " live processes, the most one segment can have");
            }
            add(e + USER_OPEN, 1);
            if (sender != NOBODY) {
                if (UnsafeApi.getInt(null, e + USER_PENDING) > 0) {
                    add(e + USER_PENDING, -1);
                } else {
                    takeOne(header, sender, USER_TRANSIT);
                }
            }
        } finally {
            unlock(header);
        }
    }

    /**
     * Records that this process wrote a handle of the segment whose recipient is not known yet.
     *
     * @param header the header's address.
     * @return this process's token, which the handle carries as its sender.
     */
    static long sending(long header) {
        lock(header);
        try {
            long e = entry(header, ProcessIdentity.SELF_TOKEN, true);
            if (e != 0) {
                add(e + USER_TRANSIT, 1);
            }
            return ProcessIdentity.SELF_TOKEN;
        } finally {
            unlock(header);
        }
    }

    /**
     * Records who will attach a handle this process wrote: one of this process's transits becomes a pending use
     * of {@code recipient}; with no recipient (the handle will never be attached, or its process is dead) the
     * transit just ends. A second call for the same handle (a replacement recipient) adds a pending use only.
     *
     * @param header    the header's address.
     * @param recipient the recipient's token, or 0 for none.
     * @return {@code true} if no live use is left: the table is now retired and the caller removes the name.
     */
    static boolean handedOver(long header, long recipient) {
        lock(header);
        try {
            if (recipient != NOBODY) {
                long r = entry(header, recipient, true);
                if (r == 0) {
                    return false; // no room to record it (the recipient cannot attach either): keep the transit
                }
                add(r + USER_PENDING, 1);
            }
            takeOne(header, ProcessIdentity.SELF_TOKEN, USER_TRANSIT);
            return retireIfUnused(header);
        } finally {
            unlock(header);
        }
    }

    /**
     * Records that one object of this process closed the segment.
     *
     * @param header the header's address.
     * @return {@code true} if no live use is left: the table is now retired and the caller removes the name.
     */
    static boolean release(long header) {
        lock(header);
        try {
            takeOne(header, ProcessIdentity.SELF_TOKEN, USER_OPEN);
            return retireIfUnused(header);
        } finally {
            unlock(header);
        }
    }

    /**
     * Ends every use this process has (it is exiting): its open objects and the handles it wrote, which count
     * for nothing once it is dead anyway.
     *
     * @param header   the header's address.
     * @param deadline when to give up waiting for the table's lock ({@link System#nanoTime()} scale).
     * @return {@code true} if no live use is left: the table is now retired and the caller removes the name.
     */
    static boolean releaseAll(long header, long deadline) {
        if (!lock(header, deadline)) {
            return false;
        }
        try {
            long e = entry(header, ProcessIdentity.SELF_TOKEN, false);
            if (e != 0) {
                UnsafeApi.putInt(null, e + USER_OPEN, 0);
                UnsafeApi.putInt(null, e + USER_TRANSIT, 0);
            }
            return retireIfUnused(header);
        } finally {
            unlock(header);
        }
    }

    /**
     * Retires the table if no live process uses the segment (for the sweep).
     *
     * @param header the header's address.
     * @return {@code true} if no live use is left: the table is retired and the caller removes the name.
     */
    static boolean retireUnused(long header) {
        lock(header);
        try {
            return retireIfUnused(header);
        } finally {
            unlock(header);
        }
    }

    /**
     * Retires the table whatever the uses (the name is being removed on purpose): nobody may join afterwards.
     *
     * @param header the header's address.
     */
    static void retire(long header) {
        lock(header);
        try {
            UnsafeApi.putLongVolatile(null, header + USERS_RETIRED_OFFSET, 1);
        } finally {
            unlock(header);
        }
    }

    /**
     * Describes the live uses, for messages and tests.
     *
     * @param header the header's address.
     * @return e.g. {@code "pid 4242: 1 open, 0 pending, 0 in transit; pid 4243: 0 open, 1 pending, 0 in transit"},
     *         or {@code "none"}.
     */
    static String describe(long header) {
        StringBuilder b = new StringBuilder();
        lock(header);
        try {
            int n = entries(header);
            for (int i = 0; i < n; i++) {
                long e = header + USERS_TABLE_OFFSET + (long) i * USER_LENGTH;
                long token = UnsafeApi.getLong(null, e + USER_TOKEN);
                if (token != NOBODY && uses(e) > 0 && ProcessIdentity.isAlive(token)) {
                    b.append(b.length() == 0 ? "" : "; ").append(ProcessIdentity.describe(token)).append(": ")
                            .append(UnsafeApi.getInt(null, e + USER_OPEN)).append(" open, ")
                            .append(UnsafeApi.getInt(null, e + USER_PENDING)).append(" pending, ")
                            .append(UnsafeApi.getInt(null, e + USER_TRANSIT)).append(" in transit");
                }
            }
        } finally {
            unlock(header);
        }
        return b.length() == 0 ? "none" : b.toString();
    }

    // ------------------------------------------------------------------------------------------ under the lock

    private static boolean retireIfUnused(long header) {
        int n = entries(header);
        for (int i = 0; i < n; i++) {
            long e = header + USERS_TABLE_OFFSET + (long) i * USER_LENGTH;
            long token = UnsafeApi.getLong(null, e + USER_TOKEN);
            if (token != NOBODY && uses(e) > 0 && ProcessIdentity.isAlive(token)) {
                return false;
            }
        }
        UnsafeApi.putLongVolatile(null, header + USERS_RETIRED_OFFSET, 1);
        return true;
    }

    private static long uses(long e) {
        return (long) UnsafeApi.getInt(null, e + USER_OPEN) + UnsafeApi.getInt(null, e + USER_PENDING)
                + UnsafeApi.getInt(null, e + USER_TRANSIT);
    }

    private static int entries(long header) {
        int n = UnsafeApi.getInt(null, header + USERS_ENTRIES_OFFSET);
        return n < 0 || n > USERS ? USERS : n;
    }

    /** The entry of {@code token}, optionally claiming a free or dead one; 0 if none. */
    private static long entry(long header, long token, boolean create) {
        int n = entries(header);
        long free = 0;
        for (int i = 0; i < n; i++) {
            long e = header + USERS_TABLE_OFFSET + (long) i * USER_LENGTH;
            long t = UnsafeApi.getLong(null, e + USER_TOKEN);
            if (t == token) {
                return e;
            }
            if (free == 0 && t == NOBODY) {
                free = e;
            }
        }
        if (!create) {
            return 0;
        }
        if (free == 0) {
            for (int i = 0; i < n && free == 0; i++) {
                long e = header + USERS_TABLE_OFFSET + (long) i * USER_LENGTH;
                if (!ProcessIdentity.isAlive(UnsafeApi.getLong(null, e + USER_TOKEN))) {
                    free = e; // a dead process's entry counts for nothing: reuse it
                }
            }
            if (free == 0) {
                return 0;
            }
        }
        // counts first: a taker-over after our death finds either the old dead token or ours with zeros
        UnsafeApi.putInt(null, free + USER_OPEN, 0);
        UnsafeApi.putInt(null, free + USER_PENDING, 0);
        UnsafeApi.putInt(null, free + USER_TRANSIT, 0);
        UnsafeApi.putLongVolatile(null, free + USER_TOKEN, token);
        return free;
    }

    /** Takes one from a count ({@code USER_OPEN}, ...) of {@code token}'s entry, if it has one above zero. */
    private static void takeOne(long header, long token, int count) {
        long e = entry(header, token, false);
        if (e != 0 && UnsafeApi.getInt(null, e + count) > 0) {
            add(e + count, -1);
        }
    }

    private static void add(long address, int delta) {
        UnsafeApi.putIntVolatile(null, address, UnsafeApi.getInt(null, address) + delta);
    }

    // ------------------------------------------------------------------------------------------ the lock word

    private static void lock(long header) {
        lock(header, Deadlines.NEVER);
    }

    private static boolean lock(long header, long deadline) {
        long word = header + USERS_LOCK_OFFSET;
        // a takeover from a dead holder needs no repair: the table holds only counts, each written by one store
        return LockWord.tryLock(word) || LockWord.lockUninterruptibly(word,
                IdlePolicy.defaultPolicy().newIdleStrategy(), deadline, LockWord.NEVER_CLOSED).held();
    }

    private static void unlock(long header) {
        LockWord.unlock(header + USERS_LOCK_OFFSET);
    }
}
