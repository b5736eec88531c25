package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
import org.multiproc4j.sharedmem.internal.Segments;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
class ResourceTrackerTest {

    /** A pid that belonged to a process which has exited and been reaped. */
    static long deadPid() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("true").start();
        long pid = p.pid();
        p.waitFor();
        return pid;
    }

    /**
     * Rewrites a segment's header as if its creator, and every process the users table records (this JVM), were
     * the dead process {@code pid}.
     */
    static void forgeDeadCreatorAndUsers(Path file, long pid, boolean users) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, pid), SegmentDescriptor.CREATOR_PID_OFFSET);
            for (int i = 0; users && i < SegmentDescriptor.USERS; i++) {
                long at = SegmentDescriptor.USERS_TABLE_OFFSET + (long) i * SegmentDescriptor.USER_LENGTH
                        + SegmentDescriptor.USER_TOKEN;
                ByteBuffer token = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder());
                ch.read(token, at);
                if (token.getLong(0) == ProcessIdentity.SELF_TOKEN) {
                    ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, ProcessIdentity.token(pid, 1)), at);
                }
            }
        }
    }

    /** Makes a segment file that a sweep must remove, and cleans up after it. */
    private interface Stale {
        Path make() throws Exception;

        default void cleanUp() {
        }
    }

    /**
     * Checks that a sweep of this JVM removes what {@code stale} makes. Every JVM using shared memory on this
     * machine sweeps about once a second, and may remove the file between its making and this JVM's sweep: then
     * the check is made again, with a fresh file (this JVM's own sweeper is paused meanwhile).
     */
    private static void assertSweptHere(Stale stale) throws Exception {
        Segments.pauseSweeper(true);
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                Path file = stale.make();
                try {
                    List<String> removed = ResourceTracker.sweep();
                    assertFalse(Files.exists(file), file + " is left after a sweep: " + removed);
                    if (removed.contains(file.getFileName().toString())) {
                        return;
                    }
                } finally {
                    stale.cleanUp();
                }
            }
            throw new AssertionError("another JVM's sweep was always first: nothing tells this JVM's sweep works");
        } finally {
            Segments.pauseSweeper(false);
        }
    }

    @Test
    void shouldSweepAGeneratedNameWhoseCreatorIsDead() throws Exception {
        long dead = deadPid();
        assertSweptHere(() -> {
            Path stale = ResourceTracker.directory().resolve("mp4j-" + dead + "-1a2b-1");
            Files.write(stale, new byte[100]);
            return stale;
        });
    }

    @Test
    void shouldSweepAUserNamedSegmentWhoseHeaderNamesADeadCreatorAndDeadUsers() throws Exception {
        long dead = deadPid();
        assertSweptHere(new Stale() {
            private SharedMemory m;

            @Override
            public Path make() throws Exception {
                m = SharedMemory.create("tracker-" + UUID.randomUUID().toString().substring(0, 8), 64);
                Path file = ResourceTracker.directory().resolve(m.name());
                forgeDeadCreatorAndUsers(file, dead, true);
                return file;
            }

            @Override
            public void cleanUp() {
                m.close();
            }
        });
    }

    @Test
    void shouldNeverSweepASegmentALiveProcessUsesThoughItsCreatorIsDead() throws Exception {
        String name = "tracker-used-" + UUID.randomUUID().toString().substring(0, 8);
        SharedMemory m = SharedMemory.create(name, 64);
        Path file = ResourceTracker.directory().resolve(m.name());
        try {
            forgeDeadCreatorAndUsers(file, deadPid(), false); // the creator is dead, this JVM still uses it
            assertFalse(ResourceTracker.sweep().contains(m.name()));
            assertTrue(Files.exists(file));
        } finally {
            m.close();
        }
        assertFalse(Files.exists(file), "the last live user's close removes it");
    }

    @Test
    void shouldNeverSweepALiveCreatorsSegments() {
        try (SharedMemory named = SharedMemory.create("tracker-live-" + UUID.randomUUID().toString().substring(0, 8), 64);
             SharedInt generated = SharedInt.create(1)) {
            List<String> removed = ResourceTracker.sweep();
            assertFalse(removed.contains(named.name()));
            assertFalse(removed.contains(generated.name()));
            assertTrue(Files.exists(ResourceTracker.directory().resolve(named.name())));
            assertTrue(Files.exists(ResourceTracker.directory().resolve(generated.name())));
        }
    }

    @Test
    void shouldTakeOverTheNameOfADeadCreatorsSegment() throws Exception {
        String name = "tracker-takeover-" + UUID.randomUUID().toString().substring(0, 8);
        SharedMemory first = SharedMemory.create(name, 64);
        Path file = ResourceTracker.directory().resolve(first.name());
        forgeDeadCreatorAndUsers(file, deadPid(), false);
        SharedMemoryException used = assertThrows(SharedMemoryException.class, () -> SharedMemory.create(name, 128));
        assertTrue(used.getMessage().contains("already exists"), used.getMessage());
        forgeDeadCreatorAndUsers(file, deadPid(), true);
        try (SharedMemory second = SharedMemory.create(name, 128); SharedMemory again = SharedMemory.attach(name)) {
            assertEquals(128, again.size());
            assertTrue(second.isCreator());
        } finally {
            first.close();
        }
    }
}
