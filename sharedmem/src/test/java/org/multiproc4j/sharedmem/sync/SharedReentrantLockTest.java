package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

@ExtendWith(LeakCheck.class)
@Timeout(60)
class SharedReentrantLockTest {

    @Test
    void shouldCountHolds() throws Exception {
        try (SharedReentrantLock lock = SharedReentrantLock.create()) {
            assertEquals(0, lock.holdCount());
            lock.lock();
            lock.lock();
            assertTrue(lock.tryLock());
            assertEquals(3, lock.holdCount());
            assertFalse(CompletableFuture.supplyAsync(lock::tryLock).get(), "another thread cannot take it");
            lock.unlock();
            lock.unlock();
            assertTrue(lock.isLocked());
            lock.unlock();
            assertFalse(lock.isLocked());
            assertEquals(0, lock.holdCount());
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        }
    }

    @Test
    void shouldHoldOnceAfterTakingOverFromADeadOwner() throws Exception {
        try (SharedReentrantLock lock = SharedReentrantLock.create()) {
            Forge.lockHeldBy(lock.name(), Forge.deadToken());
            lock.lock();
            assertEquals(1, lock.holdCount());
            assertTrue(lock.ownerDied());
            lock.lock();
            assertTrue(lock.ownerDied(), "through every hold");
            lock.unlock();
            assertTrue(lock.ownerDied(), "until the last hold is released");
            lock.unlock();
            assertFalse(lock.isLocked());
            assertFalse(lock.ownerDied());
        }
    }
}
