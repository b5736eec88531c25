package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.TaskFuture;
import org.multiproc4j.sharedmem.sync.SharedBarrier;
import org.multiproc4j.sharedmem.sync.SharedBoundedSemaphore;
import org.multiproc4j.sharedmem.sync.SharedCondition;
import org.multiproc4j.sharedmem.sync.SharedEvent;
import org.multiproc4j.sharedmem.sync.SharedLock;
import org.multiproc4j.sharedmem.sync.SharedReentrantLock;
import org.multiproc4j.sharedmem.sync.SharedSemaphore;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** Every shared type, captured by a task, reaches a child JVM as its name and is the same memory there. */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedObjectsInChildIT {

    @Test
    void shouldShareValuesArraysAndBlocksWithAChild() throws Exception {
        try (SharedInt i = SharedInt.create(4);
             SharedLong l = SharedLong.createWithLock(1L << 40);
             SharedDouble d = SharedDouble.create(0.5);
             SharedBoolean b = SharedBoolean.create(false);
             SharedIntArray ia = SharedIntArray.create(3);
             SharedLongArray la = SharedLongArray.create(2);
             SharedDoubleArray da = SharedDoubleArray.create(2);
             SharedFloatArray fa = SharedFloatArray.create(2);
             SharedShortArray sa = SharedShortArray.create(2);
             SharedByteArray ba = SharedByteArray.create(2);
             SharedCharArray ca = SharedCharArray.create(2);
             SharedMemory m = SharedMemory.create(64)) {
            m.buffer().putInt(0, 5);
            JvmProcess child = new JvmProcess(() -> {
                i.set(i.get() * i.get() * i.get());
                l.lock().lock();
                try {
                    l.set(l.get() + 1);
                } finally {
                    l.lock().unlock();
                }
                d.addAndGet(1.0);
                b.set(true);
                for (long k = 0; k < ia.length(); k++) {
                    ia.incrementAndGet(k);
                }
                la.set(1, Long.MIN_VALUE);
                da.set(0, Math.PI);
                fa.set(1, 2.5f);
                sa.set(0, (short) -3);
                ba.set(1, (byte) 7);
                ca.set(0, 'z');
                m.buffer().putInt(4, m.buffer().getInt(0) * 2);
                if (m.isCreator() || i.segment.isCreator()) {
                    throw new IllegalStateException("the child must be an attacher");
                }
            }).start();
            assertTrue(child.join(Timeouts.MEDIUM));
            assertEquals(0, child.exitCode(), () -> String.valueOf(child.failure()));
            assertEquals(64, i.get());
            assertEquals((1L << 40) + 1, l.get());
            assertEquals(1.5, d.get());
            assertTrue(b.get());
            assertEquals("[1, 1, 1]", ia.toString());
            assertEquals(Long.MIN_VALUE, la.get(1));
            assertEquals(Math.PI, da.get(0));
            assertEquals(2.5f, fa.get(1));
            assertEquals(-3, sa.get(0));
            assertEquals(7, ba.get(1));
            assertEquals('z', ca.get(0));
            assertEquals(10, m.buffer().getInt(4));
        }
    }

    @Test
    void shouldSynchroniseWithAChild() throws Exception {
        try (SharedLock lock = SharedLock.create();
             SharedReentrantLock rlock = SharedReentrantLock.create();
             SharedSemaphore sem = SharedSemaphore.create(0);
             SharedBoundedSemaphore bsem = SharedBoundedSemaphore.create(1);
             SharedEvent started = SharedEvent.create();
             SharedCondition cond = SharedCondition.create();
             SharedInt ready = SharedInt.create(0);
             SharedBarrier barrier = SharedBarrier.create(2)) {
            lock.lock();
            bsem.acquire();
            JvmProcess child = new JvmProcess(() -> {
                try {
                    started.set();
                    if (!lock.tryLock(Duration.ofSeconds(20))) {          // waits for the parent's unlock
                        throw new IllegalStateException("never got the lock");
                    }
                    lock.unlock();
                    rlock.lock();
                    rlock.lock();
                    rlock.unlock();
                    rlock.unlock();
                    sem.release(2);
                    bsem.acquire();                                      // the parent releases its permit
                    bsem.release();
                    cond.lock().lock();
                    try {
                        ready.set(1);
                        cond.signalAll();
                    } finally {
                        cond.lock().unlock();
                    }
                    barrier.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).start();
            assertTrue(started.await(Timeouts.MEDIUM));
            Thread.sleep(50);
            assertTrue(lock.isLocked());
            lock.unlock();
            assertTrue(sem.tryAcquire(2, Timeouts.MEDIUM));
            bsem.release();
            cond.lock().lock();
            try {
                long deadline = System.nanoTime() + Timeouts.MEDIUM.toNanos();
                while (ready.get() == 0 && System.nanoTime() < deadline) {
                    cond.await(Duration.ofMillis(100));
                }
            } finally {
                cond.lock().unlock();
            }
            assertEquals(1, ready.get());
            barrier.await(Timeouts.MEDIUM);
            assertTrue(child.join(Timeouts.MEDIUM));
            assertEquals(0, child.exitCode(), () -> String.valueOf(child.failure()));
            assertFalse(lock.isLocked());
            assertFalse(rlock.isLocked());
            assertEquals(1, bsem.availablePermits());
        }
    }

    @Test
    void shouldWaitInAChildAsTheObjectsIdlePolicySays() throws Exception {
        try (SharedLock lock = SharedLock.create(IdlePolicy.busySpin());
             SharedBarrier barrier = SharedBarrier.create(2, IdlePolicy.sleeping(Duration.ofMillis(1)))) {
            TaskFuture<String> child = JvmProcess.call(() -> {
                barrier.await(Duration.ofSeconds(20));
                return lock.idlePolicy() + " / " + barrier.idlePolicy();
            });
            barrier.await(Timeouts.MEDIUM);
            assertEquals("busy-spin / sleeping(1000us)", child.get(Timeouts.MEDIUM));
        }
    }

    @Test
    void shouldComputeInAChildFromSharedMemory() throws Exception {
        try (SharedDoubleArray data = SharedDoubleArray.create(1000)) {
            for (long k = 0; k < 1000; k++) {
                data.set(k, k);
            }
            double sum = JvmProcess.call(() -> data.stream().sum()).get(Timeouts.MEDIUM);
            assertEquals(999 * 1000 / 2.0, sum);
            double[] copy = JvmProcess.call(() -> {
                double[] out = new double[3];
                data.copyTo(997, out, 0, 3);
                return out;
            }).get(Timeouts.MEDIUM);
            assertArrayEquals(new double[] {997, 998, 999}, copy);
        }
    }
}
