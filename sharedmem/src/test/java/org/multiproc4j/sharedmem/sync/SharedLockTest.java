package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.SharedLong;
import org.multiproc4j.sharedmem.internal.ProcessIdentity;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedLockTest {

    @Test
    void shouldExcludeThreadsUsingSeparatelyAttachedObjects() throws InterruptedException {
        try (SharedLock lock = SharedLock.create(); SharedLong total = SharedLong.create(0)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                SharedLock mine = SharedLock.attach(lock.name());
                threads.add(new Thread(() -> {
                    try (mine) {
                        for (int i = 0; i < 20_000; i++) {
                            mine.lock();
                            try {
                                total.set(total.get() + 1);     // not atomic: only the lock makes it exact
                            } finally {
                                mine.unlock();
                            }
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(80_000, total.get());
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldReportItsState() {
        try (SharedLock lock = SharedLock.create()) {
            assertEquals(OptionalLong.empty(), lock.ownerPid());
            assertEquals("SharedLock[" + lock.name() + ", unlocked]", lock.toString());
            lock.lock();
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(OptionalLong.of(ProcessHandle.current().pid()), lock.ownerPid());
            assertEquals("SharedLock[" + lock.name() + ", locked by pid " + ProcessHandle.current().pid() + "]", lock.toString());
            lock.unlock();
            assertFalse(lock.isHeldByCurrentThread());
        }
    }

    @Test
    void shouldTimeOutAndSucceedWithTryLock() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                lock.lock();
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lock.unlock();
            });
            holder.start();
            held.await();
            assertFalse(lock.tryLock());
            long t0 = System.nanoTime();
            assertFalse(lock.tryLock(Duration.ofMillis(100)));
            long waited = System.nanoTime() - t0;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(95), "waited " + waited + " ns");
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.countDown();
            });
            assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
            assertTrue(lock.isHeldByCurrentThread());
            lock.unlock();
            holder.join();
        }
    }

    @Test
    void shouldRefuseUnlockByANonOwner() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            IllegalMonitorStateException notLocked = assertThrows(IllegalMonitorStateException.class, lock::unlock);
            assertEquals("unlock of " + lock + " by a thread that does not hold it (it is not locked)", notLocked.getMessage());
            lock.lock();
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    lock.unlock();
                    return null;
                } catch (IllegalMonitorStateException e) {
                    return e;
                }
            });
            assertEquals("unlock of " + lock + " by a thread that does not hold it (it is held by another thread of "
                    + "this process)", other.get().getMessage());
            assertTrue(lock.isHeldByCurrentThread(), "still held");
            lock.unlock();
        }
    }

    @Test
    void shouldRefuseToDeadlockOnASecondLock() throws InterruptedException {
        try (SharedLock lock = SharedLock.create()) {
            lock.lock();
            IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
            assertEquals(lock + " is already held by this thread and is not reentrant: lock() would wait forever "
                    + "(use SharedReentrantLock to lock it again)", e.getMessage());
            assertFalse(lock.tryLock());
            assertFalse(lock.tryLock(Duration.ofSeconds(10)), "returns at once");
            lock.unlock();
        }
    }

    @Test
    void shouldBeInterruptible() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            lock.lock();
            CompletableFuture<Object> result = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                try {
                    lock.lockInterruptibly();
                    result.complete("acquired");
                } catch (InterruptedException e) {
                    result.complete(e);
                }
            });
            waiter.start();
            Thread.sleep(50);
            waiter.interrupt();
            assertTrue(result.get(5, TimeUnit.SECONDS) instanceof InterruptedException);
            lock.unlock();
        }
    }

    @Test
    void shouldRememberAnInterruptDuringAnUninterruptibleLock() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            lock.lock();
            CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
            Thread waiter = new Thread(() -> {
                lock.lock();
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
                lock.unlock();
            });
            waiter.start();
            Thread.sleep(30);
            waiter.interrupt();
            Thread.sleep(30);
            assertFalse(interruptedAfter.isDone(), "lock() kept waiting");
            lock.unlock();
            assertTrue(interruptedAfter.get(5, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldTakeOverALockWhoseOwnerIsDeadAndSaySoUntilUnlocked() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            long dead = Forge.deadToken();
            Forge.lockHeldBy(lock.name(), dead);
            assertEquals("SharedLock[" + lock.name() + ", locked by pid " + ProcessIdentity.pid(dead) + "]", lock.toString());
            assertFalse(lock.ownerDied(), "not held by this thread yet");
            long t0 = System.nanoTime();
            lock.lock();                                        // returns normally, holding the lock
            long tookMs = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(tookMs < 1000, "took " + tookMs + " ms");
            assertTrue(lock.isHeldByCurrentThread());
            assertTrue(lock.ownerDied(), "the holder learns of the takeover");
            assertTrue(lock.ownerDied(), "and keeps knowing until it unlocks");
            assertFalse(CompletableFuture.supplyAsync(lock::ownerDied).get(), "another thread does not hold it");
            assertEquals(1, lock.recoveries());
            lock.unlock();
            assertFalse(lock.ownerDied());
            lock.lock();
            assertFalse(lock.ownerDied(), "a free lock taken normally");
            lock.unlock();
            assertEquals(1, lock.recoveries());
        }
    }

    @Test
    void shouldReleaseATakenOverLockInTheIdiomaticPattern() throws Exception {
        try (SharedLock lock = SharedLock.create(); SharedLong balance = SharedLong.create(100)) {
            for (int round = 0; round < 20; round++) {
                Forge.lockHeldBy(lock.name(), Forge.deadToken());
                balance.set(-1);                                // what the dead holder left half-done
                boolean repaired = false;
                lock.lock();
                try {
                    if (lock.ownerDied()) {
                        balance.set(100);
                        repaired = true;
                    }
                    balance.set(balance.get() - 10);
                } finally {
                    lock.unlock();
                }
                assertTrue(repaired, "round " + round);
                assertEquals(90, balance.get());
                assertFalse(lock.isLocked(), "round " + round + ": lock(); try ... finally unlock() released it");
                assertTrue(CompletableFuture.supplyAsync(() -> {
                    boolean got = lock.tryLock();
                    if (got) {
                        lock.unlock();
                    }
                    return got;
                }).get(5, TimeUnit.SECONDS), "another thread can take it");
            }
            assertEquals(20, lock.recoveries());
        }
    }

    @Test
    void shouldTakeOverADeadOwnersLockWithTryLock() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            Forge.lockHeldBy(lock.name(), Forge.deadToken());
            assertTrue(lock.tryLock());
            assertTrue(lock.isHeldByCurrentThread());
            assertTrue(lock.ownerDied());
            lock.unlock();
            Forge.lockHeldBy(lock.name(), Forge.deadToken());
            assertTrue(lock.tryLock(Duration.ofSeconds(5)));
            assertTrue(lock.ownerDied());
            lock.unlock();
            Forge.lockHeldBy(lock.name(), Forge.deadToken());
            lock.lockInterruptibly();
            assertTrue(lock.ownerDied());
            lock.unlock();
            assertEquals(3, lock.recoveries());
        }
    }

    @Test
    void shouldNotTakeOverALockHeldByALiveProcess() throws Exception {
        Process other = new ProcessBuilder("sleep", "30").start();
        try (SharedLock lock = SharedLock.create()) {
            long token = ProcessIdentity.tokenOf(other.pid());
            assertTrue(ProcessIdentity.isAlive(token));
            Forge.lockHeldBy(lock.name(), token);
            assertFalse(lock.tryLock(Duration.ofMillis(50)), "a live holder keeps its lock past liveness checks");
            assertFalse(lock.tryLock());
            assertFalse(lock.isHeldByCurrentThread());
            assertEquals(0, lock.recoveries());
            Forge.lockHeldBy(lock.name(), 0);
        } finally {
            other.destroyForcibly().waitFor();
        }
    }

    @Test
    void shouldTravelAsItsHandleAndThrowWhenClosed() throws Exception {
        SharedLock lock = SharedLock.create();
        try (SharedLock other = (SharedLock) lock.handle().attach()) {
            other.lock();
            assertTrue(lock.isHeldByCurrentThread(), "the same lock through two objects");
            lock.unlock();
        }
        lock.close();
        assertEquals("SharedLock " + lock.name() + " is closed",
                assertThrows(IllegalStateException.class, lock::lock).getMessage());
        lock.close();
    }
}
