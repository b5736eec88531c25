package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.sharedmem.internal.Segments;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

@ExtendWith(LeakCheck.class)
class CreateCloseCyclesTest {

    private static List<String> ours() throws IOException {
        String prefix = "mp4j-" + ProcessIdentity.SELF_PID + "-";
        try (Stream<Path> files = Files.list(ResourceTracker.directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).collect(Collectors.toList());
        }
    }

    private static long mappings() throws IOException {
        Path maps = Paths.get("/proc/self/maps");
        if (!Files.exists(maps)) {
            return 0;
        }
        try (Stream<String> lines = Files.lines(maps)) {
            return lines.filter(l -> l.contains("/mp4j-")).count();
        }
    }

    @Test
    void shouldLeaveNothingAfterTenThousandCreateCloseCycles() throws IOException, InterruptedException {
        List<String> before = ours();
        long mapsBefore = mappings();
        int trackedBefore = Segments.openInThisJvm();
        for (int i = 0; i < 10_000; i++) {
            switch (i % 4) {
                case 0:
                    try (SharedInt v = SharedInt.create(i)) {
                        v.incrementAndGet();
                    }
                    break;
                case 1:
                    try (SharedDoubleArray a = SharedDoubleArray.createWithLock(16)) {
                        a.set(3, i);
                    }
                    break;
                case 2:
                    try (SharedLock l = SharedLock.create()) {
                        l.lock();
                        l.unlock();
                    }
                    break;
                default:
                    try (SharedMemory m = SharedMemory.create("cycle-" + ProcessIdentity.SELF_PID, 4096)) {
                        m.buffer().putInt(0, i);
                    }
            }
        }
        assertEquals(before, ours(), "segment files left behind");
        assertEquals(0, Files.list(ResourceTracker.directory())
                .filter(p -> p.getFileName().toString().startsWith("mp4j-cycle-" + ProcessIdentity.SELF_PID)).count());
        // closed segments are unmapped once unreachable (see RetiredMappings): give the collector the chance
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        while (mappings() > mapsBefore && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        long left = mappings();
        assertTrue(left <= mapsBefore, "mappings left behind: " + left + ", " + mapsBefore + " before");
        assertEquals(trackedBefore, Segments.openInThisJvm(), "created segments still tracked for the shutdown hook");
    }
}
