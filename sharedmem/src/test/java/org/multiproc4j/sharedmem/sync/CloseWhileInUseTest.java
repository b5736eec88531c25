package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.CloseRace;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/**
 * Closing a synchronizer while threads of this JVM wait on it or call it: every one of them ends, within a
 * bounded time, with {@link IllegalStateException}, and none touches unmapped memory (which would crash the
 * JVM and with it the test fork). Hundreds of rounds each, the close landing at random points: before the
 * waiters start waiting, while they spin, while they are parked in their longest pauses.
 */
@ExtendWith(LeakCheck.class)
@Timeout(300)
class CloseWhileInUseTest {
    private static final int ROUNDS = 64;
    private static final Duration LONG_WAIT = Duration.ofMinutes(5);

    @Test
    void shouldWakeLockWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedLock", SharedLock::create)
                .prepare(SharedLock::lock)                      // held by the closing thread: the users wait
                .user("lock", SharedLock::lock)
                .user("lockInterruptibly", SharedLock::lockInterruptibly)
                .user("tryLock(timeout)", l -> l.tryLock(LONG_WAIT))
                .user("tryLock(long, unit)", l -> l.tryLock(5, TimeUnit.MINUTES))
                .user("tryLock+isLocked", l -> {
                    l.tryLock();
                    l.isLocked();
                    l.ownerPid();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeReentrantLockWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedReentrantLock", SharedReentrantLock::create)
                .prepare(SharedReentrantLock::lock)
                .user("lock", SharedReentrantLock::lock)
                .user("lockInterruptibly", SharedReentrantLock::lockInterruptibly)
                .user("tryLock(timeout)", l -> l.tryLock(LONG_WAIT))
                .user("holdCount+isHeld", l -> {
                    l.holdCount();
                    l.isHeldByCurrentThread();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeSemaphoreWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedSemaphore", () -> SharedSemaphore.create(0))
                .user("acquire", SharedSemaphore::acquire)
                .user("acquire(2)", s -> s.acquire(2))
                .user("tryAcquire(timeout)", s -> s.tryAcquire(LONG_WAIT))
                .user("tryAcquire(n, long, unit)", s -> s.tryAcquire(3, 5, TimeUnit.MINUTES))
                .user("tryAcquire+available", s -> {
                    s.tryAcquire();
                    s.availablePermits();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeBoundedSemaphoreWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedBoundedSemaphore", () -> SharedBoundedSemaphore.create(1))
                .prepare(SharedSemaphore::acquire)
                .user("acquire", SharedSemaphore::acquire)
                .user("tryAcquire(timeout)", s -> s.tryAcquire(LONG_WAIT))
                .user("release+drain", s -> {
                    s.release();
                    s.drainPermits();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeEventWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedEvent", SharedEvent::create)
                .user("await", SharedEvent::await)
                .user("await(timeout)", e -> e.await(LONG_WAIT))
                .user("await(short)", e -> e.await(Duration.ofMillis(1)))
                .user("isSet", SharedEvent::isSet)
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldWakeConditionWaitersWithIllegalStateWhenClosedWithItsLock() throws Exception {
        CloseRace.of("SharedCondition", SharedCondition::create)
                .user("await", c -> awaitHolding(c, false))
                .user("await(timeout)", c -> awaitHolding(c, true))
                .user("signal", c -> {
                    c.lock().lock();
                    try {
                        c.signal();
                    } finally {
                        c.lock().unlock();
                    }
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    /** A condition bound to a lock of the caller's: closing the condition leaves the lock usable. */
    record Bound(SharedCondition condition, SharedLock lock) {
        static Bound create() {
            SharedLock lock = SharedLock.create();
            return new Bound(SharedCondition.create(lock), lock);
        }
    }

    @Test
    void shouldWakeConditionWaitersWithIllegalStateHoldingTheLockWhenClosedAlone() throws Exception {
        CloseRace.of("SharedCondition(lock)", Bound::create)
                .user("await", b -> awaitHolding(b.condition(), false))
                .user("awaitUninterruptibly", b -> {
                    b.lock().lock();
                    try {
                        b.condition().awaitUninterruptibly();
                    } finally {
                        assertTrue(b.lock().isHeldByCurrentThread(), "await must end holding the lock");
                        b.lock().unlock();
                    }
                })
                .user("awaitNanos", b -> {
                    b.lock().lock();
                    try {
                        b.condition().awaitNanos(LONG_WAIT.toNanos());
                    } finally {
                        b.lock().unlock();
                    }
                })
                .closeWith(b -> b.condition().close())
                .cleanup(b -> {
                    b.condition().close();
                    b.lock().close();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    private static void awaitHolding(SharedCondition c, boolean timed) throws InterruptedException {
        c.lock().lock();
        try {
            if (timed) {
                c.await(LONG_WAIT);
            } else {
                c.await();
            }
        } finally {
            c.lock().unlock();
        }
    }

    @Test
    void shouldWakeBarrierWaitersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedBarrier", () -> SharedBarrier.create(5))    // never complete: 3 waiters of 5
                .user("await", SharedBarrier::await)
                .user("await(timeout)", b -> b.await(LONG_WAIT))
                .user("await again", SharedBarrier::await)
                .user("numberWaiting+isBroken", b -> {
                    b.numberWaiting();
                    b.isBroken();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldBreakTheBarrierForOtherProcessesWhenAWaiterIsClosedOut() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(3)) {
            SharedBarrier other = SharedBarrier.attach(barrier.name());
            CountDownLatch waiting = new CountDownLatch(1);
            CompletableFuture<Throwable> closedOut = CompletableFuture.supplyAsync(() -> {
                waiting.countDown();
                try {
                    other.await();
                    return null;
                } catch (Throwable e) {
                    return e;
                }
            });
            assertTrue(waiting.await(Timeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS));
            long deadline = System.nanoTime() + Timeouts.SHORT.toNanos();
            while (barrier.numberWaiting() == 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            other.close();
            assertTrue(closedOut.get(Timeouts.SHORT.toMillis(), TimeUnit.MILLISECONDS) instanceof IllegalStateException);
            // a party that left by a close breaks the round, as an interrupted one would: the others do not hang
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Timeouts.SHORT));
        }
    }
}
