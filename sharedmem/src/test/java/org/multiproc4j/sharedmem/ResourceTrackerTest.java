package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;
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

    @Test
    void shouldSweepAGeneratedNameWhoseCreatorIsDead() throws Exception {
        Path stale = ResourceTracker.directory().resolve("mp4j-" + deadPid() + "-1a2b-1");
        Files.write(stale, new byte[100]);
        List<String> removed = ResourceTracker.sweep();
        assertTrue(removed.contains(stale.getFileName().toString()), removed.toString());
        assertFalse(Files.exists(stale));
    }

    @Test
    void shouldSweepAUserNamedSegmentWhoseHeaderNamesADeadCreator() throws Exception {
        String name = "tracker-" + UUID.randomUUID().toString().substring(0, 8);
        SharedMemory m = SharedMemory.create(name, 64);
        Path file = ResourceTracker.directory().resolve(m.name());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, deadPid()), SegmentDescriptor.CREATOR_PID_OFFSET);
        }
        try {
            List<String> removed = ResourceTracker.sweep();
            assertTrue(removed.contains(m.name()), removed.toString());
            assertFalse(Files.exists(file));
        } finally {
            m.close();
        }
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
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, deadPid()), SegmentDescriptor.CREATOR_PID_OFFSET);
        }
        try (SharedMemory second = SharedMemory.create(name, 128); SharedMemory again = SharedMemory.attach(name)) {
            assertEquals(128, again.size());
            assertTrue(second.isCreator());
        } finally {
            first.close();
        }
    }
}
