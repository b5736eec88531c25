package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.sharedmem.internal.Segments;
import org.multiproc4j.sharedmem.sync.SharedCondition;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;
import org.multiproc4j.sharedmem.sync.SharedSemaphore;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Segments of a creator that ends are removed when nobody else uses them: at close, at a normal exit or
 * {@code SIGTERM} (shutdown hook), and after {@code kill -9} by the sweep of any JVM using shared memory.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SegmentCleanupIT {

    @AfterEach
    void resumeSweeps() {
        Segments.pauseSweeper(false);
    }

    /** The task of a child that creates segments, reports their names and then waits to be ended. */
    static void createAndWait(SharedMemory names, boolean close) {
        SharedInt v = SharedInt.createWithLock(1);                  // two segments: the value and its lock
        SharedDoubleArray a = SharedDoubleArray.create(1000);
        SharedMemory named = SharedMemory.create("cleanup-" + ProcessHandle.current().pid(), 4096);
        SharedSemaphore s = SharedSemaphore.create(1);
        SharedCondition c = SharedCondition.create();               // two segments: the condition and its lock
        String all = String.join(" ", v.name(), v.lock().name(), a.name(), named.name(), s.name(), c.name(),
                ((SharedReentrantLock) c.lock()).name());
        byte[] bytes = all.getBytes(StandardCharsets.US_ASCII);
        names.write(4, bytes, 0, bytes.length);
        names.buffer().putIntVolatile(0, bytes.length);
        if (close) {
            return;                                                  // a normal exit without close()
        }
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Path> awaitNames(SharedMemory names) throws InterruptedException {
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        while (names.buffer().getIntVolatile(0) == 0) {
            assertTrue(System.nanoTime() < deadline, "the child never reported its segments");
            Thread.sleep(5);
        }
        byte[] bytes = new byte[names.buffer().getInt(0)];
        names.read(4, bytes, 0, bytes.length);
        List<Path> files = new ArrayList<>();
        for (String n : new String(bytes, StandardCharsets.US_ASCII).split(" ")) {
            files.add(ResourceTracker.directory().resolve(n));
        }
        assertEquals(7, files.size(), files.toString());
        for (Path f : files) {
            assertTrue(Files.exists(f), f + " exists while its creator lives");
        }
        return files;
    }

    private static long millisUntilGone(List<Path> files, long limitMs) throws InterruptedException {
        long t0 = System.nanoTime();
        while (files.stream().anyMatch(Files::exists)) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > limitMs) {
                return ms;
            }
            Thread.sleep(10);
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    @Test
    void shouldSweepTheSegmentsOfAKilledCreatorWithinSeconds() throws Exception {
        try (SharedMemory names = SharedMemory.create(4096)) {
            JvmProcess child = new JvmProcess(() -> createAndWait(names, false)).start();
            List<Path> files = awaitNames(names);
            child.kill();
            assertTrue(child.join(Timeouts.MEDIUM));
            long ms = millisUntilGone(files, 5000);
            System.out.println("SegmentCleanupIT: segments of the killed creator gone " + ms + " ms after it died");
            assertTrue(ms <= 3000, "segments left " + ms + " ms after the creator died: "
                    + files.stream().filter(Files::exists).toList());
        }
    }

    /** The task of a child that creates segments, writes their names to a file and waits to be killed. */
    static void createIntoAndWait(String namesFile) {
        try {
            SharedInt v = SharedInt.createWithLock(1);
            SharedMemory m = SharedMemory.create("next-start-" + ProcessHandle.current().pid(), 4096);
            String all = String.join(" ", v.name(), v.lock().name(), m.name());
            Files.writeString(Path.of(namesFile + ".tmp"), all);
            Files.move(Path.of(namesFile + ".tmp"), Path.of(namesFile));
            Thread.sleep(Long.MAX_VALUE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A child that created segments in a private directory, the options that use it, and the segment files. */
    private record PrivateCreator(JvmProcess process, JvmProcess.Options options, Path shm, List<Path> files) {
    }

    /**
     * Starts a child that creates segments in a private segment directory under {@code dir}: only the JVMs of this
     * test sweep it (not the other programs on this machine, which may even run an older multiproc4j).
     */
    private static PrivateCreator startPrivateCreator(Path dir) throws Exception {
        Path shm = Files.createDirectories(dir.resolve("shm"));
        JvmProcess.Options options = new JvmProcess.Options().jvmOptions("-D" + Segments.DIR_PROPERTY + "=" + shm);
        String namesFile = dir.resolve("names").toString();
        JvmProcess creator = new JvmProcess(() -> createIntoAndWait(namesFile), options).start();
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        while (!Files.exists(Path.of(namesFile))) {
            assertTrue(System.nanoTime() < deadline, "the creator never reported its segments");
            Thread.sleep(5);
        }
        List<Path> files = new ArrayList<>();
        for (String n : Files.readString(Path.of(namesFile)).split(" ")) {
            files.add(shm.resolve(n));
        }
        assertTrue(files.stream().allMatch(Files::exists), files.toString());
        return new PrivateCreator(creator, options, shm, files);
    }

    @Test
    void shouldSweepThemAtTheNextStartAtTheLatest(@TempDir Path dir) throws Exception {
        // no other JVM sweeps the private directory, so the next start is the first
        PrivateCreator made = startPrivateCreator(dir);
        JvmProcess creator = made.process();
        JvmProcess.Options options = made.options();
        Path shm = made.shm();
        List<Path> files = made.files();
        creator.kill();
        assertTrue(creator.join(Timeouts.MEDIUM));
        Thread.sleep(1500);
        assertTrue(files.stream().allMatch(Files::exists), "nobody swept the private directory yet");
        JvmProcess next = new JvmProcess(() -> {                      // the next program to use shared memory
            try (SharedInt any = SharedInt.create(0)) {
                any.incrementAndGet();
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, options).start();
        assertTrue(next.join(Timeouts.MEDIUM));
        assertEquals(0, next.exitCode());
        assertFalse(files.stream().anyMatch(Files::exists), "left: " + files.stream().filter(Files::exists).toList());
        try (java.util.stream.Stream<Path> left = Files.list(shm)) {
            assertEquals(List.of(), left.toList(), "the next program's own segment is gone too");
        }
    }

    @Test
    void shouldUnlinkAtANormalExitWithoutClose() throws Exception {
        Segments.pauseSweeper(true);
        try (SharedMemory names = SharedMemory.create(4096)) {
            JvmProcess child = new JvmProcess(() -> createAndWait(names, true)).start();
            assertTrue(child.join(Timeouts.MEDIUM));
            assertEquals(0, child.exitCode());
            List<Path> files = new ArrayList<>();
            byte[] bytes = new byte[names.buffer().getInt(0)];
            names.read(4, bytes, 0, bytes.length);
            Arrays.stream(new String(bytes, StandardCharsets.US_ASCII).split(" "))
                    .forEach(n -> files.add(ResourceTracker.directory().resolve(n)));
            assertFalse(files.stream().anyMatch(Files::exists), "left: " + files.stream().filter(Files::exists).toList());
        }
    }

    @Test
    void shouldUnlinkWhenTheCreatorIsTerminated() throws Exception {
        Segments.pauseSweeper(true);
        try (SharedMemory names = SharedMemory.create(4096)) {
            JvmProcess child = new JvmProcess(() -> createAndWait(names, false)).start();
            List<Path> files = awaitNames(names);
            child.terminate();                                        // SIGTERM: shutdown hooks run
            assertTrue(child.join(Timeouts.MEDIUM));
            assertFalse(files.stream().anyMatch(Files::exists), "left: " + files.stream().filter(Files::exists).toList());
        }
    }

    /** The task of a child that attaches a block, says so, and closes it when told to. */
    static void attachUntilTold(String name, String attachedFile, String closeFile) {
        try {
            SharedMemory m = SharedMemory.attach(name);
            m.buffer().putInt(0, 5);
            Files.writeString(Path.of(attachedFile), "attached");
            while (!Files.exists(Path.of(closeFile))) {
                Thread.sleep(10);
            }
            if (m.buffer().getInt(0) != 5) {
                throw new IllegalStateException("the block changed");
            }
            m.close();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldKeepWhatAKilledCreatorMadeForTheProcessesThatUseIt(@TempDir Path dir) throws Exception {
        // in a private directory: an older multiproc4j on this machine would sweep what a dead creator made,
        // whoever still uses it
        PrivateCreator made = startPrivateCreator(dir);
        JvmProcess creator = made.process();
        Path block = made.files().get(2);
        String blockName = block.getFileName().toString();
        List<Path> others = made.files().subList(0, 2);
        long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
        String attached = dir.resolve("attached").toString();
        String close = dir.resolve("close").toString();
        JvmProcess user = new JvmProcess(() -> attachUntilTold(blockName, attached, close), made.options()).start();
        while (!Files.exists(Path.of(attached))) {
            assertTrue(System.nanoTime() < deadline, "the user never attached");
            Thread.sleep(5);
        }
        creator.kill();
        assertTrue(creator.join(Timeouts.MEDIUM));
        long ms = millisUntilGone(others, 5000);
        assertTrue(ms <= 3000, "what only the dead creator used is swept by the user's JVM: " + others);
        assertTrue(Files.exists(block), "the block a live process uses keeps its name");
        Files.writeString(Path.of(close), "close");
        assertTrue(user.join(Timeouts.MEDIUM));
        assertEquals(0, user.exitCode(), () -> String.valueOf(user.failure()));
        assertFalse(Files.exists(block), "its last live user's close removes it");
    }
}
