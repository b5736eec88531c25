package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.ProcessException;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializationException;
import org.multiproc4j.core.StartMethod;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.sync.SharedCondition;
import org.multiproc4j.sharedmem.sync.SharedEvent;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;
import org.multiproc4j.sharedmem.sync.SharedSemaphore;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * The lifetime rule (see the package summary): what a started task captured stays attachable until that child
 * attached it or died, whatever its creator does after {@code start()}; then the last user's close, or the sweep
 * for the dead, removes it.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class LifetimeIT {
    private static final long SEED = Long.getLong("multiproc4j.test.seed", System.nanoTime());
    /** A fresh JVM each time: it attaches long after the creator's close (a warm spare could attach before). */
    private static final JvmProcess.Options SPAWN = new JvmProcess.Options().startMethod(StartMethod.SPAWN);
    private static final int RUNS = 3;

    private static Path file(String name) {
        return ResourceTracker.directory().resolve(name);
    }

    /** Waits (a bounded time) until none of the segments exists, and fails naming those left. */
    static void assertRemoved(List<String> names) throws InterruptedException {
        long deadline = System.nanoTime() + 3 * Timeouts.SHORT.toNanos();
        while (names.stream().anyMatch(n -> Files.exists(file(n))) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of(), names.stream().filter(n -> Files.exists(file(n))).toList(), "segments left");
    }

    /**
     * Starts {@code task} in a fresh child, closes {@code created} at once (the creator's last word on it), and
     * checks that the child still attached and used it, and that nothing is left once the child has ended. The
     * child runs its task only once this process has looked (a descheduled parent must not see a child that
     * already finished), but it attaches whenever it boots: usually long after the close.
     */
    private static <V> void closeRightAfterStart(AutoCloseable created, List<String> names,
                                                 SerializableCallable<V> task, V expected) throws Exception {
        try (SharedEvent looked = SharedEvent.create()) {
            TaskFuture<V> child = JvmProcess.call(() -> {
                looked.await();
                return task.call();
            }, SPAWN);
            created.close();
            for (String n : names) {
                assertTrue(Files.exists(file(n)), n + " is kept for the child, which has not closed it");
            }
            looked.set();
            assertEquals(expected, child.get(Timeouts.MEDIUM));
        }
        assertRemoved(names);
    }

    @Test
    void shouldKeepASharedMemoryBlockForTheChildItWasHandedTo() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            SharedMemory block = SharedMemory.create(4096);
            block.buffer().putLong(64, 4242L + run);
            long expected = 4242L + run;
            closeRightAfterStart(block, List.of(block.name()), () -> block.buffer().getLong(64), expected);
        }
    }

    @Test
    void shouldKeepATypedValueAndItsLockForTheChildItWasHandedTo() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            SharedLong counter = SharedLong.createWithLock(7);
            closeRightAfterStart(counter, List.of(counter.name(), counter.lock().name()), () -> {
                counter.lock().lock();
                try {
                    return counter.incrementAndGet();
                } finally {
                    counter.lock().unlock();
                }
            }, 8L);
        }
    }

    @Test
    void shouldKeepATypedArrayForTheChildItWasHandedTo() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            SharedIntArray a = SharedIntArray.create(100);
            a.set(99, 41);
            closeRightAfterStart(a, List.of(a.name()), () -> a.incrementAndGet(99), 42);
        }
    }

    @Test
    void shouldKeepLocksSemaphoresEventsAndConditionsForTheChildTheyWereHandedTo() throws Exception {
        for (int run = 0; run < RUNS; run++) {
            SharedLock lock = SharedLock.create();
            closeRightAfterStart(lock, List.of(lock.name()), () -> {
                boolean got = lock.tryLock();
                lock.unlock();
                return got;
            }, true);
            SharedSemaphore semaphore = SharedSemaphore.create(2);
            closeRightAfterStart(semaphore, List.of(semaphore.name()), () -> {
                semaphore.acquire();
                return semaphore.availablePermits();
            }, 1);
            SharedEvent event = SharedEvent.create();
            event.set();
            closeRightAfterStart(event, List.of(event.name()), event::isSet, true);
            SharedCondition condition = SharedCondition.create();
            String lockName = ((SharedReentrantLock) condition.lock()).name();
            closeRightAfterStart(condition, List.of(condition.name(), lockName), () -> {
                condition.lock().lock();
                try {
                    condition.signalAll();
                    return "signalled";
                } finally {
                    condition.lock().unlock();
                }
            }, "signalled");
        }
    }

    static int attachAndCloseRepeatedly(SharedMemory block, int times) {
        for (int i = 0; i < times; i++) {
            try (SharedMemory again = SharedMemory.attach(block.name())) {
                again.buffer().getAndAddInt(0, 1);
            }
        }
        return block.buffer().getAndAddInt(4, 1);
    }

    @Test
    void shouldKeepTheCountsRightWhileManyProcessesAttachAndCloseAtOnce() throws Exception {
        int children = 3;
        int times = 300;
        for (int run = 0; run < 2; run++) {
            SharedMemory block = SharedMemory.create(64);
            String name = block.name();
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int c = 0; c < children; c++) {
                futures.add(JvmProcess.call(() -> attachAndCloseRepeatedly(block, times)));
            }
            SharedMemory mine = SharedMemory.attach(name);
            block.close(); // the creator's own object goes at once: the children and this attacher keep the name
            Thread[] threads = new Thread[2];
            for (int t = 0; t < threads.length; t++) {
                threads[t] = new Thread(() -> attachAndCloseRepeatedly(mine, times));
                threads[t].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            for (TaskFuture<Integer> f : futures) {
                f.get(Timeouts.LONG);
            }
            assertEquals((children + threads.length) * times, mine.buffer().getIntVolatile(0), "no attach failed");
            assertTrue(Files.exists(file(name)), "kept while this process still has it open");
            mine.close();
            assertFalse(Files.exists(file(name)), "the last user's close removes it (run " + run + ")");
        }
    }

    static long sleepThenGet(SharedLong v) throws InterruptedException {
        Thread.sleep(60_000);
        return v.get();
    }

    @Test
    void shouldRemoveWhatAChildKilledBeforeAttachingWasHanded() throws Exception {
        Random random = new Random(SEED);
        System.out.println("seed " + SEED);
        for (int run = 0; run < 4; run++) {
            SharedLong v = SharedLong.createWithLock(1);
            List<String> names = List.of(v.name(), v.lock().name());
            JvmProcess child = JvmProcess.call(() -> sleepThenGet(v), SPAWN).process();
            boolean closeFirst = run % 2 == 0;
            if (closeFirst) {
                v.close(); // the name now lives only for the child, until it attaches or dies
            }
            Thread.sleep(50 + random.nextInt(251));
            child.kill();
            assertTrue(child.join(Timeouts.MEDIUM));
            if (!closeFirst) {
                v.close(); // the last live user's close removes it, though a handed-over child never attached
                for (String n : names) {
                    assertFalse(Files.exists(file(n)), n + " is removed by the close (seed " + SEED + ")");
                }
            }
            assertRemoved(names);
        }
    }

    @Test
    void shouldRemoveWhatATaskThatCouldNotBeSentCaptured() throws Exception {
        SharedLong v = SharedLong.createWithLock(1);
        SharedMemory block = SharedMemory.create(64);
        Object notSerializable = new Object();
        assertThrows(SerializationException.class,
                () -> JvmProcess.call(() -> v.get() + block.size() + notSerializable.hashCode()));
        JvmProcess.Options noJava = new JvmProcess.Options().javaExecutable(Paths.get("/no/such/java"));
        assertThrows(ProcessException.class, () -> JvmProcess.call(() -> v.get() + block.size(), noJava));
        List<String> names = new ArrayList<>(List.of(v.name(), v.lock().name(), block.name()));
        v.close();
        block.close();
        for (String n : names) {
            assertFalse(Files.exists(file(n)), n + " is removed by its creator's close: the handles never left");
        }
    }
}
