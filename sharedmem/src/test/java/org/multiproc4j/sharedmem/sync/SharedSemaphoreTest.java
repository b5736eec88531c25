package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.SemaphoreDescriptor;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedSemaphoreTest {

    @Test
    void shouldCountPermits() throws Exception {
        try (SharedSemaphore sem = SharedSemaphore.create(2)) {
            sem.acquire();
            assertTrue(sem.tryAcquire());
            assertFalse(sem.tryAcquire());
            assertEquals(0, sem.availablePermits());
            assertFalse(sem.tryAcquire(Duration.ofMillis(30)));
            CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sem.release(2);
            });
            assertTrue(sem.tryAcquire(2, 5, TimeUnit.SECONDS));
            sem.release(5);                                   // unbounded: more than it started with is fine
            assertEquals(5, sem.availablePermits());
            assertEquals(5, sem.drainPermits());
            assertEquals("SharedSemaphore[" + sem.name() + ", permits=0]", sem.toString());
        }
    }

    @Test
    void shouldNameBadCounts() {
        assertEquals("semaphore permits must not be negative: permits=-1",
                assertThrows(IllegalArgumentException.class, () -> SharedSemaphore.create(-1)).getMessage());
        try (SharedSemaphore sem = SharedSemaphore.create(1)) {
            assertEquals("permit count must not be negative: n=-2",
                    assertThrows(IllegalArgumentException.class, () -> sem.acquire(-2)).getMessage());
        }
    }

    @Test
    void shouldRefuseAReleaseBeyondTheBound() throws Exception {
        try (SharedBoundedSemaphore sem = SharedBoundedSemaphore.create(1)) {
            sem.acquire();
            sem.release();
            IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
            assertEquals("SharedBoundedSemaphore " + sem.name() + " released too many times: permits would be 2, bound is 1",
                    e.getMessage());
            assertEquals(1, sem.availablePermits());
            try (SharedSemaphore attached = SharedSemaphore.attach(sem.name())) {
                assertTrue(attached instanceof SharedBoundedSemaphore);
            }
        }
        try (SharedSemaphore plain = SharedSemaphore.create(1)) {
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> SharedBoundedSemaphore.attach(plain.name()));
            assertEquals("cannot attach " + plain.name() + " as a SharedBoundedSemaphore: it is an unbounded SharedSemaphore",
                    e.getMessage());
        }
    }

    @Test
    void shouldGiveBackWhatADeadProcessHeld() throws Exception {
        try (SharedBoundedSemaphore sem = SharedBoundedSemaphore.create(2)) {
            Forge.putLong(sem.name(), SemaphoreDescriptor.PERMITS_OFFSET, 0);          // a dead process holds both
            Forge.holderSlot(sem.name(), SemaphoreDescriptor.TABLE_OFFSET, 7, Forge.deadToken(), 2, 0);
            long t0 = System.nanoTime();
            assertTrue(sem.tryAcquire(Duration.ofSeconds(5)));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000);
            assertEquals(1, sem.availablePermits());
            assertEquals(2, sem.recoveredPermits());
            sem.release();
            assertEquals(2, sem.availablePermits());
        }
    }

    @Test
    void shouldNeverRecoverAboveTheBound() throws Exception {
        try (SharedBoundedSemaphore sem = SharedBoundedSemaphore.create(1)) {
            Forge.putLong(sem.name(), SemaphoreDescriptor.PERMITS_OFFSET, 0);
            Forge.holderSlot(sem.name(), SemaphoreDescriptor.TABLE_OFFSET, 3, Forge.deadToken(), 5, 0);
            assertTrue(sem.tryAcquire(Duration.ofSeconds(5)));
            sem.release();
            assertEquals(1, sem.availablePermits());
        }
    }
}
