package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.internal.BarrierDescriptor;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedBarrierTest {

    @Test
    void shouldReleaseAllPartiesTogetherRoundAfterRound() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(3)) {
            Set<Integer> indexes = new ConcurrentSkipListSet<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                SharedBarrier mine = SharedBarrier.attach(barrier.name());
                threads.add(new Thread(() -> {
                    try (mine) {
                        for (int round = 0; round < 50; round++) {
                            int i = mine.await();
                            if (round == 0) {
                                indexes.add(i);
                            }
                        }
                    } catch (InterruptedException | BrokenBarrierException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(new TreeSet<>(Set.of(0, 1, 2)), new TreeSet<>(indexes));
            assertEquals(0, barrier.numberWaiting());
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void shouldBreakForEveryoneWhenOnePartyTimesOut() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(3)) {
            CompletableFuture<Throwable> other = CompletableFuture.supplyAsync(() -> {
                try {
                    barrier.await();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            TimeoutException timeout = assertThrows(TimeoutException.class, () -> barrier.await(Duration.ofMillis(100)));
            assertTrue(timeout.getMessage().contains("the barrier is now broken"), timeout.getMessage());
            assertTrue(other.get(5, TimeUnit.SECONDS) instanceof BrokenBarrierException);
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await, "stays broken");
            barrier.reset();
            assertFalse(barrier.isBroken());
        }
    }

    @Test
    void shouldBreakWhenAWaitingProcessDies() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(3)) {
            Forge.putLong(barrier.name(), BarrierDescriptor.STATE_OFFSET, 1);     // generation 0, one arrived...
            Forge.holderSlot(barrier.name(), BarrierDescriptor.TABLE_OFFSET, 9, Forge.deadToken(), 1, 0); // ...and died
            long t0 = System.nanoTime();
            assertThrows(BrokenBarrierException.class, () -> barrier.await(Duration.ofSeconds(10)));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000);
        }
    }

    @Test
    void shouldAbortAndNameBadParties() {
        assertEquals("barrier parties must be at least 1: parties=0",
                assertThrows(IllegalArgumentException.class, () -> SharedBarrier.create(0)).getMessage());
        try (SharedBarrier barrier = SharedBarrier.create(2)) {
            barrier.abort();
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, barrier::await);
            assertEquals("SharedBarrier[" + barrier.name() + ", 0 of 2 waiting, broken]", barrier.toString());
        }
    }

    @Test
    void shouldTripAtOnceWithOneParty() throws Exception {
        try (SharedBarrier barrier = SharedBarrier.create(1)) {
            assertEquals(0, barrier.await());
            assertEquals(0, barrier.await());
        }
    }
}
