package org.multiproc4j.sharedmem.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.SharedMemoryException;

/**
 * The holder table of one shared object (see {@link HolderTableDescriptor}), as seen by this process. A
 * process uses one slot per object, however many Java objects in it have the object attached: slots are
 * claimed through a process-wide map, counted, and given back when the last of them is closed.
 */
public final class HolderTable {
    private static final Map<String, Claim> CLAIMS = new ConcurrentHashMap<>();

    private final Segment segment;
    private final long tableOffset;
    private final int slots;
    private final String key;
    private final String what;
    private volatile int slot = -1;
    private volatile boolean closed;

    /** What a process has claimed in one table, and how many open objects use the claim. */
    private static final class Claim {
        final int slot;
        int refs;

        Claim(int slot) {
            this.slot = slot;
        }
    }

    /** Told what a dead holder held, once per dead slot. */
    @FunctionalInterface
    public interface DeadHolder {
        /**
         * Receives a dead holder's count.
         *
         * @param token      the dead process.
         * @param count      what it held (net).
         * @param generation the generation of that count.
         */
        void onDead(long token, long count, long generation);
    }

    /**
     * Opens the table of an object.
     *
     * @param segment     the object's segment.
     * @param tableOffset where the table starts in its data.
     * @param slots       how many slots it has.
     * @param what        the object, for messages ("semaphore mp4j-...").
     */
    public HolderTable(Segment segment, long tableOffset, int slots, String what) {
        this.segment = segment;
        this.tableOffset = tableOffset;
        this.slots = slots;
        this.what = what;
        this.key = segment.name() + "@" + segment.createdMillis() + "/" + segment.creatorToken();
    }

    private long slotAddress(int i) {
        return segment.address(tableOffset + (long) i * HolderTableDescriptor.SLOT_LENGTH);
    }

    /**
     * Returns this process's slot, claiming one on first use.
     *
     * @return the slot's index.
     * @throws SharedMemoryException if every slot is held by a live process.
     * @throws IllegalStateException if this table was closed.
     */
    public int slot() {
        int s = slot;
        if (s >= 0) {
            return s;
        }
        synchronized (CLAIMS) {
            if (closed) {
                throw new IllegalStateException(what + " is closed");
            }
            if (slot >= 0) {
                return slot;
            }
            Claim c = CLAIMS.get(key);
            if (c == null || UnsafeApi.getLongVolatile(null, slotAddress(c.slot)) != ProcessIdentity.SELF_TOKEN) {
                c = new Claim(claim());
                CLAIMS.put(key, c);
            }
            c.refs++;
            slot = c.slot;
            return c.slot;
        }
    }

    private int claim() {
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < slots; i++) {
                if (UnsafeApi.getLongVolatile(null, slotAddress(i)) == ProcessIdentity.SELF_TOKEN) {
                    return i;
                }
            }
            for (int i = 0; i < slots; i++) {
                long a = slotAddress(i);
                if (UnsafeApi.getLongVolatile(null, a) == 0 && UnsafeApi.compareAndSetLong(null, a, 0, ProcessIdentity.SELF_TOKEN)) {
                    UnsafeApi.putLongVolatile(null, a + HolderTableDescriptor.COUNT_OFFSET, 0);
                    return i;
                }
            }
            recoverDead((token, count, generation) -> { });
        }
        throw new SharedMemoryException(what + ": all " + slots + " holder slots are taken by live processes");
    }

    /**
     * Adds to this process's count. Once this table is closed (also by a close racing with this call) it does
     * nothing: closing gave the slot back with its count, which then counts as consumed.
     *
     * @param delta what to add (negative to subtract).
     * @throws SharedMemoryException if every slot is held by a live process.
     */
    public void add(long delta) {
        if (closed) {
            return;
        }
        try {
            UnsafeApi.getAndAddLong(null, slotAddress(slot()) + HolderTableDescriptor.COUNT_OFFSET, delta);
        } catch (IllegalStateException e) {
            if (!closed && !segment.isClosed()) {
                throw e;
            }
        }
    }

    /**
     * Sets the generation of this process's count.
     *
     * @param generation the generation.
     */
    public void generation(long generation) {
        UnsafeApi.putLongVolatile(null, slotAddress(slot()) + HolderTableDescriptor.GENERATION_OFFSET, generation);
    }

    /**
     * Finds slots of dead processes, hands each one's count to {@code onDead} (once: recoverers race with a
     * compare-and-set on the holder) and frees the slot.
     *
     * @param onDead receives what each dead process held.
     * @return how many dead slots were recovered.
     */
    public int recoverDead(DeadHolder onDead) {
        Map<Long, Boolean> alive = new HashMap<>();
        int recovered = 0;
        for (int i = 0; i < slots; i++) {
            long a = slotAddress(i);
            long holder = UnsafeApi.getLongVolatile(null, a);
            if (holder == 0 || holder == ProcessIdentity.SELF_TOKEN || holder == ~ProcessIdentity.SELF_TOKEN) {
                continue;
            }
            long owner = holder < 0 ? ~holder : holder;
            Boolean live = alive.get(owner);
            if (live == null) {
                live = ProcessIdentity.isAlive(owner);
                alive.put(owner, live);
            }
            if (live || !UnsafeApi.compareAndSetLong(null, a, holder, ~ProcessIdentity.SELF_TOKEN)) {
                continue;
            }
            long count = UnsafeApi.getAndSetLong(null, a + HolderTableDescriptor.COUNT_OFFSET, 0);
            long generation = UnsafeApi.getLongVolatile(null, a + HolderTableDescriptor.GENERATION_OFFSET);
            try {
                if (count != 0) {
                    onDead.onDead(holder < 0 ? ~holder : holder, count, generation);
                }
            } finally {
                UnsafeApi.putLongVolatile(null, a, 0);
            }
            recovered++;
        }
        return recovered;
    }

    /**
     * Gives this object's use of the slot back; when no open object of this process uses it any more, the
     * slot is zeroed and freed (what the process held is then considered consumed).
     */
    public void close() {
        synchronized (CLAIMS) {
            closed = true; // under the lock: no slot() can claim after this
            if (slot < 0 || segment.isClosed()) {
                return;
            }
            Claim c = CLAIMS.get(key);
            if (c != null && c.slot == slot && --c.refs <= 0) {
                CLAIMS.remove(key);
                long a = slotAddress(slot);
                if (UnsafeApi.getLongVolatile(null, a) == ProcessIdentity.SELF_TOKEN) {
                    UnsafeApi.putLongVolatile(null, a + HolderTableDescriptor.COUNT_OFFSET, 0);
                    UnsafeApi.putLongVolatile(null, a, 0);
                }
            }
            slot = -1;
        }
    }

    /**
     * Sums the counts of live holders (for diagnostics and tests).
     *
     * @return the sum of all counts.
     */
    public long total() {
        long sum = 0;
        for (int i = 0; i < slots; i++) {
            long a = slotAddress(i);
            if (UnsafeApi.getLongVolatile(null, a) != 0) {
                sum += UnsafeApi.getLongVolatile(null, a + HolderTableDescriptor.COUNT_OFFSET);
            }
        }
        return sum;
    }
}
