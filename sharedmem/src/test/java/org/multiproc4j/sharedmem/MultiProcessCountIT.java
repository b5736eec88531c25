package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableRunnable;
import org.multiproc4j.sharedmem.sync.SharedBarrier;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.multiproc4j.sharedmem.sync.SharedSemaphore;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Several child JVMs update shared memory at once, released together by a barrier so they contend; the
 * final counts are exact.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MultiProcessCountIT {
    private static final int CHILDREN = 3;
    private static final int N = 20_000;

    private static void runAll(SharedBarrier start, SerializableRunnable work) throws Exception {
        List<JvmProcess> children = new ArrayList<>();
        for (int c = 0; c < CHILDREN; c++) {
            children.add(new JvmProcess(() -> {
                try {
                    start.await(Timeouts.LONG);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                work.run();
            }).start());
        }
        start.await(Timeouts.LONG);
        work.run();                                  // the parent takes part too
        for (JvmProcess p : children) {
            assertTrue(p.join(Timeouts.LONG), p.toString());
            assertEquals(0, p.exitCode(), () -> p + " failed: " + p.failure());
        }
    }

    @Test
    void shouldCountLockedAndAtomicIncrementsExactly() throws Exception {
        try (SharedBarrier start = SharedBarrier.create(CHILDREN + 1);
             SharedInt locked = SharedInt.createWithLock(0);
             SharedLong atomic = SharedLong.create(0);
             SharedIntArray cells = SharedIntArray.create(4);
             SharedDouble sum = SharedDouble.create(0)) {
            runAll(start, () -> {
                for (int i = 0; i < N; i++) {
                    locked.lock().lock();
                    try {
                        locked.set(locked.get() + 1);            // a read-modify-write only the lock protects
                    } finally {
                        locked.lock().unlock();
                    }
                    atomic.getAndAdd(2);
                    cells.incrementAndGet(i & 3);
                    sum.addAndGet(0.5);
                }
            });
            int total = (CHILDREN + 1) * N;
            assertEquals(total, locked.get());
            assertEquals(2L * total, atomic.get());
            assertEquals(total, cells.stream().sum());
            assertEquals(total / 2.0, sum.get());
        }
    }

    @Test
    void shouldExcludeWithALockAndWithASemaphore() throws Exception {
        try (SharedBarrier start = SharedBarrier.create(CHILDREN + 1);
             SharedLock lock = SharedLock.create();
             SharedSemaphore mutex = SharedSemaphore.create(1);
             SharedLongArray plain = SharedLongArray.create(2)) {
            runAll(start, () -> {
                for (int i = 0; i < N; i++) {
                    lock.lock();
                    try {
                        plain.setPlain(0, plain.getPlain(0) + 1);
                    } finally {
                        lock.unlock();
                    }
                    try {
                        mutex.acquire();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    try {
                        plain.setPlain(1, plain.getPlain(1) + 1);
                    } finally {
                        mutex.release();
                    }
                }
            });
            assertEquals((CHILDREN + 1) * N, plain.get(0));
            assertEquals((CHILDREN + 1) * N, plain.get(1));
            assertEquals(1, mutex.availablePermits());
        }
    }
}
