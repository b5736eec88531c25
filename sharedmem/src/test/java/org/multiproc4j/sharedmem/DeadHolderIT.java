package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.core.SerializableCallable;
import org.multiproc4j.core.SerializableRunnable;
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

/**
 * A child is killed with {@code kill -9} while it holds a lock (or a permit, or waits at a barrier); a
 * survivor in another child, already waiting, proceeds within a second and learns what happened. Python's
 * multiprocessing deadlocks here.
 */
@ExtendWith(LeakCheck.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DeadHolderIT {
    private static final long SURVIVOR_LIMIT_MS = 1000;

    /** What the survivor reported, and how long after the kill it got through. */
    private record Outcome(String report, long afterKillMs, long holderPid) {
    }

    private static Outcome killHolderWhileSurvivorWaits(SerializableRunnable hold, SerializableCallable<String> survive)
            throws Exception {
        return killHolderWhileSurvivorWaits(hold, survive, false);
    }

    /**
     * Starts a holder child that runs {@code hold} and then sleeps until killed, and a survivor child that
     * runs {@code survive} (which blocks on what the holder holds); kills the holder once the survivor waits,
     * and returns what the survivor reported. The survivor starts second, or first if {@code survivorFirst}.
     */
    private static Outcome killHolderWhileSurvivorWaits(SerializableRunnable hold, SerializableCallable<String> survive,
                                                        boolean survivorFirst) throws Exception {
        try (SharedEvent held = SharedEvent.create();
             SharedEvent waiting = SharedEvent.create();
             SharedLong throughAt = SharedLong.create(0)) {
            SerializableRunnable holderTask = () -> {
                hold.run();
                held.set();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            SerializableCallable<String> survivorTask = () -> {
                waiting.set();
                String report = survive.call();
                throughAt.set(System.nanoTime());
                return report;
            };
            JvmProcess holder = null;
            TaskFuture<String> survivor = null;
            try {
                if (survivorFirst) {
                    survivor = JvmProcess.call(survivorTask);
                    assertTrue(waiting.await(Timeouts.MEDIUM), "the survivor never started");
                    holder = new JvmProcess(holderTask).start();
                    assertTrue(held.await(Timeouts.MEDIUM), "the holder never took hold");
                } else {
                    holder = new JvmProcess(holderTask).start();
                    assertTrue(held.await(Timeouts.MEDIUM), "the holder never took hold");
                    survivor = JvmProcess.call(survivorTask);
                    assertTrue(waiting.await(Timeouts.MEDIUM), "the survivor never started");
                }
                Thread.sleep(300);                                  // long enough for the survivor to park
                assertFalse(survivor.isDone(), "the survivor got through while the holder was alive");
                long killedAt = System.nanoTime();
                holder.kill();
                String report = survivor.get(Timeouts.MEDIUM);
                return new Outcome(report, (throughAt.get() - killedAt) / 1_000_000, holder.pid());
            } finally {
                if (holder != null) {
                    holder.close();
                }
                if (survivor != null) {
                    survivor.process().close();
                }
            }
        }
    }

    private static void assertQuick(Outcome o) {
        System.out.println("DeadHolderIT: survivor got through " + o.afterKillMs() + " ms after kill -9 of " + o.holderPid());
        assertTrue(o.afterKillMs() < SURVIVOR_LIMIT_MS, "survivor got through " + o.afterKillMs() + " ms after the kill");
    }

    @Test
    void shouldRecoverASharedLockWhoseHolderWasKilled() throws Exception {
        try (SharedLock lock = SharedLock.create()) {
            Outcome o = killHolderWhileSurvivorWaits(lock::lock, () -> {
                lock.lock();
                try {
                    return lock.ownerDied() ? "owner died, held=" + lock.isHeldByCurrentThread() : "acquired normally";
                } finally {
                    lock.unlock();
                }
            });
            assertEquals("owner died, held=true", o.report());
            assertQuick(o);
            assertFalse(lock.isLocked());
            assertTrue(lock.tryLock());
            lock.unlock();
        }
    }

    @Test
    void shouldRecoverASharedReentrantLockHeldTwiceByAKilledHolder() throws Exception {
        try (SharedReentrantLock lock = SharedReentrantLock.create()) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                lock.lock();
                lock.lock();
            }, () -> {
                lock.lock();
                try {
                    return lock.ownerDied() ? "owner died, holds=" + lock.holdCount() : "acquired normally";
                } finally {
                    lock.unlock();
                }
            });
            assertEquals("owner died, holds=1", o.report());
            assertQuick(o);
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldRecoverTheLockOfASharedValue() throws Exception {
        try (SharedInt counter = SharedInt.createWithLock(0)) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                counter.lock().lock();
                counter.set(-1);                                    // half-done work the survivor must repair
            }, () -> {
                counter.lock().lock();
                try {
                    String report = "acquired normally";
                    if (counter.lock().ownerDied()) {
                        counter.set(0);                             // repair
                        report = "repaired";
                    }
                    counter.set(counter.get() + 1);
                    return report;
                } finally {
                    counter.lock().unlock();
                }
            });
            assertEquals("repaired", o.report());
            assertQuick(o);
            assertEquals(1, counter.get());
        }
    }

    @Test
    void shouldGiveBackASemaphorePermitOfAKilledHolder() throws Exception {
        try (SharedSemaphore sem = SharedSemaphore.create(1)) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                try {
                    sem.acquire();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, () -> {
                sem.acquire();
                sem.release();
                return "acquired";
            });
            assertEquals("acquired", o.report());
            assertQuick(o);
            assertEquals(1, sem.availablePermits());
        }
    }

    @Test
    void shouldGiveBackBoundedSemaphorePermitsOfAKilledHolder() throws Exception {
        try (SharedBoundedSemaphore sem = SharedBoundedSemaphore.create(2)) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                try {
                    sem.acquire(2);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, () -> {
                sem.acquire(2);
                sem.release(2);
                return "acquired both";
            });
            assertEquals("acquired both", o.report());
            assertQuick(o);
            assertEquals(2, sem.availablePermits());
        }
    }

    @Test
    void shouldLetAConditionWaiterRetakeTheLockOfAKilledHolder() throws Exception {
        try (SharedCondition cond = SharedCondition.create(); SharedEvent awaiting = SharedEvent.create()) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                try {
                    if (!awaiting.await(Timeouts.MEDIUM)) {
                        throw new IllegalStateException("no waiter");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                cond.lock().lock();                                 // the waiter released it in await
                cond.signal();                                      // wake it, then die holding the lock
            }, () -> {
                cond.lock().lock();
                try {
                    awaiting.set();
                    cond.await();
                    return cond.ownerDied() ? "woke holding the lock of a dead owner" : "woke normally";
                } finally {
                    cond.lock().unlock();
                }
            }, true);
            assertEquals("woke holding the lock of a dead owner", o.report());
            assertQuick(o);
        }
    }

    @Test
    void shouldBreakABarrierWhenAWaitingPartyIsKilled() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(3)) {
            Outcome o = killHolderWhileSurvivorWaits(() -> {
                Thread t = new Thread(() -> {
                    try {
                        barrier.await();
                    } catch (Exception e) {
                        // killed before this matters
                    }
                });
                t.start();
                while (barrier.numberWaiting() < 1) {
                    Thread.onSpinWait();
                }
            }, () -> {
                try {
                    barrier.await(Duration.ofSeconds(30));
                    return "tripped";
                } catch (BrokenBarrierException e) {
                    return "broken";
                }
            });
            assertEquals("broken", o.report());
            assertQuick(o);
            assertTrue(barrier.isBroken());
        }
    }
}
