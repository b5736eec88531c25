package org.multiproc4j.sharedmem.sync;

import java.io.IOException;

import org.agrona.UnsafeApi;
import org.multiproc4j.sharedmem.internal.HolderTableDescriptor;
import org.multiproc4j.sharedmem.internal.LockDescriptor;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.Segment;

/** Writes the state a dead process would have left, for in-process tests of recovery. */
final class Forge {
    private Forge() {
    }

    /** A token of a process that has exited and been reaped. */
    static long deadToken() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        return ProcessIdentity.token(pid, 12345);
    }

    static void lockHeldBy(String lockName, long token) {
        try (Segment s = Segment.attach(lockName, 0, 0, "raw")) {
            UnsafeApi.putLongVolatile(null, s.address(LockDescriptor.OWNER_OFFSET), token);
            UnsafeApi.putLongVolatile(null, s.address(LockDescriptor.THREAD_OFFSET), token);
            UnsafeApi.putLongVolatile(null, s.address(LockDescriptor.HOLDS_OFFSET), 3);
        }
    }

    static void holderSlot(String name, long tableOffset, int slot, long token, long count, long generation) {
        try (Segment s = Segment.attach(name, 0, 0, "raw")) {
            long a = s.address(tableOffset + (long) slot * HolderTableDescriptor.SLOT_LENGTH);
            UnsafeApi.putLongVolatile(null, a + HolderTableDescriptor.COUNT_OFFSET, count);
            UnsafeApi.putLongVolatile(null, a + HolderTableDescriptor.GENERATION_OFFSET, generation);
            UnsafeApi.putLongVolatile(null, a + HolderTableDescriptor.HOLDER_OFFSET, token);
        }
    }

    static void putLong(String name, long dataOffset, long value) {
        try (Segment s = Segment.attach(name, 0, 0, "raw")) {
            UnsafeApi.putLongVolatile(null, s.address(dataOffset), value);
        }
    }

    static long getLong(String name, long dataOffset) {
        try (Segment s = Segment.attach(name, 0, 0, "raw")) {
            return UnsafeApi.getLongVolatile(null, s.address(dataOffset));
        }
    }
}
