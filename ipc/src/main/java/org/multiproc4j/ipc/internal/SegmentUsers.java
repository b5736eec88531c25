package org.multiproc4j.ipc.internal;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

/**
 * Who uses a pipe's or a queue's segment, so that the last user out unlinks it: a table in the segment header
 * of the processes holding it open and of the handles they sent to other processes that have not arrived yet.
 *
 * <pre>
 *   0  lock word (a {@link SharedLockWord})
 *   8  retired (long): 1 once the segment was unlinked; nobody may join after that
 *  16  entry[0..ENTRIES): identity (long), open count (int), handles in transit (int)
 * </pre>
 *
 * <p>A handle written for another process counts as a use of the sender until the receiver attaches, so that
 * the sender may close its own object right after starting the child (Python's idiom) without the segment
 * disappearing under the child. Entries of dead processes count for nothing, whatever their numbers say, and
 * are reused. The segment is unlinked by the process whose {@link #release} leaves no live use.
 *
 * <p>Known limit: a handle sent to a process that dies before attaching keeps the segment until its sender
 * closes everything or exits.
 */
public final class SegmentUsers {
    /** Processes that can use one segment at once. */
    public static final int ENTRIES = 64;
    /** Bytes this table occupies. */
    public static final int LENGTH = 16 + ENTRIES * 16;

    /** Offset of the retired flag within the table. */
    public static final int RETIRED = 8;
    private static final int TABLE = 16;

    private final AtomicBuffer buffer;
    private final int offset;
    private final SharedLockWord lock;

    /**
     * Wraps the table at {@code offset}.
     *
     * @param buffer the segment.
     * @param offset where the table starts (8-byte aligned).
     */
    public SegmentUsers(AtomicBuffer buffer, int offset) {
        this.buffer = buffer;
        this.offset = offset;
        this.lock = new SharedLockWord(buffer, offset);
    }

    /**
     * Records one more open object of this process.
     *
     * @param what the segment, for the error message.
     * @throws IllegalStateException if the segment was already retired or the table is full.
     */
    public void join(String what) {
        join(what, 0);
    }

    /**
     * Records an open object of this process that arrived as a handle sent by {@code sender}, and ends that
     * handle's transit.
     *
     * @param what   the segment, for the error message.
     * @param sender the sending process's identity, 0 if none.
     * @throws IllegalStateException if the segment was already retired or the table is full.
     */
    public void join(String what, long sender) {
        locked(() -> {
            if (buffer.getLong(offset + RETIRED) != 0) {
                throw new IllegalStateException(what + " was closed by all its users and removed");
            }
            int e = entryFor(ProcessIdentity.current(), true);
            if (e < 0) {
                throw new IllegalStateException(what + " is already used by " + ENTRIES + " live processes");
            }
            buffer.putInt(e + 8, buffer.getInt(e + 8) + 1);
            if (sender != 0) {
                int s = entryFor(sender, false);
                if (s >= 0 && buffer.getInt(s + 12) > 0) {
                    buffer.putInt(s + 12, buffer.getInt(s + 12) - 1);
                }
            }
            return null;
        });
    }

    /** Records that this process wrote a handle for another process (one more use until it attaches). */
    public void sending() {
        locked(() -> {
            int e = entryFor(ProcessIdentity.current(), true);
            if (e >= 0) {
                buffer.putInt(e + 12, buffer.getInt(e + 12) + 1);
            }
            return null;
        });
    }

    /**
     * Records that one open object of this process was closed.
     *
     * @return {@code true} if no live use is left: the caller must unlink the segment (it is marked retired).
     */
    public boolean release() {
        return locked(() -> {
            int e = entryFor(ProcessIdentity.current(), false);
            if (e >= 0 && buffer.getInt(e + 8) > 0) {
                buffer.putInt(e + 8, buffer.getInt(e + 8) - 1);
            }
            for (int i = 0; i < ENTRIES; i++) {
                int at = offset + TABLE + i * 16;
                long id = buffer.getLong(at);
                if (id != 0 && (buffer.getInt(at + 8) > 0 || buffer.getInt(at + 12) > 0)
                        && ProcessIdentity.isAlive(id)) {
                    return false;
                }
            }
            buffer.putLong(offset + RETIRED, 1);
            return true;
        });
    }

    private int entryFor(long id, boolean create) {
        int free = -1;
        for (int i = 0; i < ENTRIES; i++) {
            int at = offset + TABLE + i * 16;
            long cur = buffer.getLong(at);
            if (cur == id) {
                return at;
            }
            if (free < 0 && create && (cur == 0 || !ProcessIdentity.isAlive(cur))) {
                free = at;
            }
        }
        if (free >= 0) {
            buffer.putLong(free, id);
            buffer.putInt(free + 8, 0);
            buffer.putInt(free + 12, 0);
        }
        return free;
    }

    private <T> T locked(java.util.function.Supplier<T> body) {
        IdleStrategy idle = new SleepingMillisIdleStrategy(0);
        try {
            if (!lock.tryLock()) {
                lock.lock(idle, Long.MAX_VALUE); // a dead holder only held the table: nothing to repair
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating the users of a segment", e);
        }
        try {
            return body.get();
        } finally {
            lock.unlock();
        }
    }
}
