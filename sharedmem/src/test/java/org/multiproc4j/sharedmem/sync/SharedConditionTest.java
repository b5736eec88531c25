package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.SharedInt;
import org.multiproc4j.sharedmem.internal.ConditionDescriptor;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedConditionTest {

    @Test
    void shouldHandItemsFromProducerToConsumers() throws Exception {
        try (SharedCondition ready = SharedCondition.create(); SharedInt items = SharedInt.create(0);
             SharedInt consumed = SharedInt.create(0)) {
            List<Thread> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                SharedCondition mine = SharedCondition.attach(ready.name());
                consumers.add(new Thread(() -> {
                    try (mine) {
                        for (int n = 0; n < 100; n++) {
                            mine.lock().lock();
                            try {
                                while (items.get() == 0) {
                                    mine.await();
                                }
                                items.decrementAndGet();
                                consumed.incrementAndGet();
                            } finally {
                                mine.lock().unlock();
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            consumers.forEach(Thread::start);
            for (int n = 0; n < 300; n++) {
                ready.lock().lock();
                try {
                    items.incrementAndGet();
                    ready.signal();
                } finally {
                    ready.lock().unlock();
                }
            }
            for (Thread t : consumers) {
                t.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(t.isAlive(), "a consumer is stuck");
            }
            assertEquals(300, consumed.get());
            assertEquals(0, items.get());
        }
    }

    @Test
    void shouldTimeOutAndKeepTheLock() throws Exception {
        try (SharedReentrantLock lock = SharedReentrantLock.create(); SharedCondition c = lock.newCondition()) {
            lock.lock();
            lock.lock();
            long t0 = System.nanoTime();
            assertFalse(c.await(Duration.ofMillis(50)));
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(45));
            assertEquals(2, lock.holdCount(), "every hold is back after await");
            assertTrue(c.awaitNanos(1_000_000) <= 0);
            lock.unlock();
            lock.unlock();
        }
    }

    @Test
    void shouldWakeEveryWaiterOnSignalAll() throws Exception {
        try (SharedLock lock = SharedLock.create(); SharedCondition c = SharedCondition.create(lock);
             SharedInt woken = SharedInt.create(0)) {
            List<Thread> waiters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                waiters.add(new Thread(() -> {
                    lock.lock();
                    try {
                        if (c.await(30, TimeUnit.SECONDS)) {
                            woken.incrementAndGet();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        lock.unlock();
                    }
                }));
            }
            waiters.forEach(Thread::start);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (waitingCount(lock, c) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            lock.lock();
            c.signalAll();
            lock.unlock();
            for (Thread t : waiters) {
                t.join();
            }
            assertEquals(4, woken.get());
        }
    }

    private static long waitingCount(SharedLock lock, SharedCondition c) {
        return Forge.getLong(c.name(), ConditionDescriptor.WAITERS_OFFSET);
    }

    @Test
    void shouldRequireTheLock() {
        try (SharedCondition c = SharedCondition.create()) {
            IllegalMonitorStateException e = assertThrows(IllegalMonitorStateException.class, c::signal);
            assertTrue(e.getMessage().startsWith("signal of SharedReentrantLock["), e.getMessage());
            assertThrows(IllegalMonitorStateException.class, c::await);
        }
    }
    @Test
    void shouldReturnFromAwaitHoldingALockTakenOverFromADeadSignaller() throws Exception {
        for (int round = 0; round < 5; round++) {
            try (SharedCondition cond = SharedCondition.create(); SharedInt ready = SharedInt.create(0)) {
                CompletableFuture<String> waiter = new CompletableFuture<>();
                Thread t = new Thread(() -> {
                    cond.lock().lock();
                    try {
                        ready.set(1);
                        cond.await();
                        waiter.complete("ownerDied=" + cond.ownerDied() + " held="
                                + ((SharedReentrantLock) cond.lock()).isHeldByCurrentThread());
                    } catch (Throwable e) {
                        waiter.completeExceptionally(e);
                    } finally {
                        cond.lock().unlock();
                    }
                });
                t.start();
                while (true) {                            // the waiter is in await once it let the lock go
                    cond.lock().lock();
                    if (ready.get() == 1) {
                        break;
                    }
                    cond.lock().unlock();
                }
                cond.signal();
                assertFalse(cond.ownerDied());
                Forge.lockHeldBy(((SharedReentrantLock) cond.lock()).name(), Forge.deadToken()); // we "die" holding it
                assertEquals("ownerDied=true held=true", waiter.get(10, TimeUnit.SECONDS), "round " + round);
                t.join();
                assertFalse(((SharedReentrantLock) cond.lock()).isLocked(), "the waiter's finally released it");
            }
        }
    }
}
