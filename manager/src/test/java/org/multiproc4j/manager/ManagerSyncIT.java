package org.multiproc4j.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.core.JvmProcess;
import org.multiproc4j.test.LeakCheck;
import org.multiproc4j.test.Timeouts;

/** The manager's queues and synchronisation objects, used from several child JVMs at once. */
@ExtendWith(LeakCheck.class)
@Timeout(600)
class ManagerSyncIT {
    static final Duration WAIT = Timeouts.scaled(Duration.ofSeconds(60));

    @Test
    void shouldCarryItemsFromSeveralProducersThroughAQueue() throws Exception {
        try (Manager manager = Manager.start()) {
            BlockingQueue<Integer> queue = manager.queue();
            List<JvmProcess> producers = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int me = p;
                producers.add(new JvmProcess(() -> {
                    for (int i = 0; i < 100; i++) {
                        queue.put(me * 1000 + i);
                    }
                }).start());
            }
            long sum = 0;
            for (int i = 0; i < 300; i++) {
                Integer item = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertTrue(item != null, "item " + i + " came");
                sum += item;
            }
            Children.joinAll(producers);
            assertEquals(3 * 4950 + 100 * (0 + 1000 + 2000), sum);
            BlockingQueue<String> small = manager.queue(1);
            assertTrue(small.offer("a"));
            assertFalse(small.offer("b"), "a bounded queue refuses beyond its capacity");
            assertFalse(small.offer("b", 50, TimeUnit.MILLISECONDS));
            List<String> drained = new ArrayList<>();
            assertEquals(1, small.drainTo(drained));
            assertEquals(List.of("a"), drained);
            assertThrows(IllegalArgumentException.class, () -> manager.queue(0));
        }
    }

    @Test
    void shouldEndAWaitInTheServerWhenTheWaitingThreadIsInterrupted() throws Exception {
        try (Manager manager = Manager.start()) {
            BlockingQueue<String> queue = manager.queue();
            ManagedLock lock = manager.lock();
            lock.lock();
            Object[] outcome = new Object[2];
            CountDownLatch connected = new CountDownLatch(1);
            CountDownLatch reconnected = new CountDownLatch(1);
            Thread waiter = new Thread(() -> {
                try {
                    queue.size();                               // this thread's connection, opened
                    connected.countDown();
                    outcome[0] = queue.take();
                } catch (Throwable t) {
                    outcome[0] = t;
                }
                try {
                    queue.size();                               // a new connection: the old one was dropped
                    reconnected.countDown();
                    outcome[1] = lock.tryLock(Duration.ofSeconds(60));
                } catch (Throwable t) {
                    outcome[1] = t;
                }
            });
            waiter.start();
            assertTrue(connected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            Thread.sleep(300);
            waiter.interrupt();                                 // ends the take
            assertTrue(reconnected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            Thread.sleep(300);
            waiter.interrupt();                                 // ends the tryLock
            waiter.join(WAIT.toMillis());
            assertTrue(outcome[0] instanceof InterruptedException, String.valueOf(outcome[0]));
            assertTrue(outcome[1] instanceof InterruptedException, String.valueOf(outcome[1]));
            queue.put("only");
            assertEquals("only", queue.poll(10, TimeUnit.SECONDS), "the interrupted take took nothing");
            lock.unlock();
            assertTrue(lock.tryLock(Duration.ofSeconds(10)), "the interrupted tryLock holds nothing");
            lock.unlock();
        }
    }

    @Test
    void shouldJoinAJoinableQueueOnceEveryItemIsDone() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedJoinableQueue<Integer> work = manager.joinableQueue();
            List<Integer> results = manager.list();
            List<JvmProcess> workers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                workers.add(new JvmProcess(() -> {
                    while (true) {
                        Integer n = work.take();
                        if (n < 0) {
                            work.taskDone();
                            return;
                        }
                        results.add(n * n);
                        work.taskDone();
                    }
                }).start());
            }
            for (int i = 1; i <= 20; i++) {
                work.put(i);
            }
            assertTrue(work.join(WAIT));
            assertEquals(20, results.size());
            work.put(-1);
            work.put(-1);
            Children.joinAll(workers);
            assertTrue(work.join(Duration.ZERO));
            assertThrows(IllegalStateException.class, work::taskDone);
        }
    }

    @Test
    void shouldExcludeOtherProcessesWithLocks() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedLock lock = manager.lock();
            ManagedLock rlock = manager.reentrantLock();
            Namespace ns = manager.namespace();
            ns.set("n", 0);
            List<JvmProcess> children = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                children.add(new JvmProcess(() -> {
                    for (int i = 0; i < 100; i++) {
                        ManagedLock l = i % 2 == 0 ? lock : rlock;
                        l.lock();
                        try {
                            if (l == rlock) {
                                rlock.lock();                  // reentrant
                                rlock.unlock();
                            }
                        } finally {
                            l.unlock();
                        }
                        lock.lock();
                        try {
                            int n = ns.get("n");               // a read-modify-write in two round trips
                            ns.set("n", n + 1);
                        } finally {
                            lock.unlock();
                        }
                    }
                }).start());
            }
            Children.joinAll(children);
            assertEquals(300, ns.<Integer>get("n"));
            lock.lock();
            try {
                assertTrue(lock.isHeldByCurrentThread());
                IllegalStateException e = assertThrows(IllegalStateException.class, lock::lock);
                assertTrue(e.getMessage().contains("not reentrant"), e.getMessage());
            } finally {
                lock.unlock();
            }
            assertThrows(IllegalMonitorStateException.class, rlock::unlock);
            assertThrows(UnsupportedOperationException.class, lock::newCondition);
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldCountPermitsWithSemaphores() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedSemaphore bounded = manager.boundedSemaphore(2);
            ManagedSemaphore plain = manager.semaphore(0);
            JvmProcess child = new JvmProcess(() -> {
                bounded.acquire();
                bounded.acquire();
                plain.release();
            }).start();
            assertTrue(plain.tryAcquire(WAIT));
            Children.joinAll(List.of(child));
            assertEquals(0, bounded.availablePermits());
            assertFalse(bounded.tryAcquire(Duration.ofMillis(50)));
            bounded.release();
            bounded.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, bounded::release);
            assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
            plain.release();
            plain.release();
            plain.release();
            assertEquals(3, plain.availablePermits());
        }
    }

    @Test
    void shouldWakeWaitersWithConditionsAndEvents() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedCondition cond = manager.condition();
            ManagedEvent started = manager.event();
            Namespace ns = manager.namespace();
            JvmProcess waiter = new JvmProcess(() -> {
                cond.lock();
                try {
                    started.set();
                    while (!ns.contains("go")) {
                        cond.await(Duration.ofSeconds(5));
                    }
                    ns.set("seen", ns.get("go"));
                } finally {
                    cond.unlock();
                }
            }).start();
            assertTrue(started.await(WAIT));
            cond.lock();
            try {
                ns.set("go", "yes");
                cond.signalAll();
            } finally {
                cond.unlock();
            }
            Children.joinAll(List.of(waiter));
            assertEquals("yes", ns.<String>get("seen"));
            assertThrows(IllegalMonitorStateException.class, cond::signal);
            cond.lock();
            try {
                assertFalse(cond.await(Duration.ofMillis(50)), "no signal: the wait times out");
                assertTrue(cond.isHeldByCurrentThread(), "the lock is held again after a wait");
            } finally {
                cond.unlock();
            }
            started.clear();
            assertFalse(started.isSet());
            assertFalse(started.await(Duration.ofMillis(20)));
        }
    }

    @Test
    void shouldReleaseABarrierOnceEveryPartyArrivesAndBreakItWhenOneDies() throws Exception {
        try (Manager manager = Manager.start()) {
            ManagedBarrier barrier = manager.barrier(3);
            List<Integer> order = manager.list();
            List<JvmProcess> children = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                children.add(new JvmProcess(() -> {
                    order.add(0);
                    barrier.await(Duration.ofSeconds(120));
                    order.add(1);
                }).start());
            }
            barrier.await(WAIT);
            Children.joinAll(children);
            assertEquals(4, order.size());
            assertEquals(List.of(0, 0), order.subList(0, 2), "nobody passed before all arrived");
            assertFalse(barrier.isBroken());
            assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(50)));
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofMillis(50)));
            barrier.reset();
            ManagedBarrier two = manager.barrier(2);
            JvmProcess dying = new JvmProcess(() -> two.await()).start();
            while (two.numberWaiting() == 0) {
                Thread.sleep(20);
            }
            dying.kill();
            dying.join(Timeouts.MEDIUM);
            for (int i = 0; i < 200 && !two.isBroken(); i++) {
                Thread.sleep(20);
            }
            assertTrue(two.isBroken(), "a party that died broke the barrier");
            assertThrows(BrokenBarrierException.class, () -> two.await(WAIT));
        }
    }
}
