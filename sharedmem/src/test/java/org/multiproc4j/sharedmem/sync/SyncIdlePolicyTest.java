package org.multiproc4j.sharedmem.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedLong;
import org.multiproc4j.test.LeakCheck;

/**
 * Every synchronizer waits as the {@link IdlePolicy} it was created with says, in every process its handle
 * reaches; one attached by name waits as the default does.
 */
@ExtendWith(LeakCheck.class)
@Timeout(60)
class SyncIdlePolicyTest {
    private static final IdlePolicy SLEEPING = IdlePolicy.sleeping(Duration.ofMillis(2));

    @Test
    void shouldCarryThePolicyWithTheHandleAndUseTheDefaultByName() throws Exception {
        try (SharedLock lock = SharedLock.create(IdlePolicy.busySpin());
             SharedReentrantLock rlock = SharedReentrantLock.create(SLEEPING);
             SharedSemaphore sem = SharedSemaphore.create(1, IdlePolicy.yielding());
             SharedBoundedSemaphore bsem = SharedBoundedSemaphore.create(1, SLEEPING);
             SharedEvent event = SharedEvent.create(IdlePolicy.busySpin());
             SharedBarrier barrier = SharedBarrier.create(2, SLEEPING);
             SharedCondition cond = SharedCondition.create(IdlePolicy.yielding());
             SharedCondition bound = SharedCondition.create(lock)) {
            List<AutoCloseable> attached = new ArrayList<>();
            try {
                assertEquals(IdlePolicy.busySpin(), viaHandle(lock, attached).idlePolicy());
                assertEquals(SLEEPING, viaHandle(rlock, attached).idlePolicy());
                assertEquals(IdlePolicy.yielding(), viaHandle(sem, attached).idlePolicy());
                assertEquals(SLEEPING, viaHandle(bsem, attached).idlePolicy());
                assertEquals(IdlePolicy.busySpin(), viaHandle(event, attached).idlePolicy());
                assertEquals(SLEEPING, viaHandle(barrier, attached).idlePolicy());
                assertEquals(IdlePolicy.yielding(), ((SharedReentrantLock) viaHandle(cond, attached).lock()).idlePolicy());
                assertEquals(IdlePolicy.busySpin(), ((SharedLock) viaHandle(bound, attached).lock()).idlePolicy(),
                        "a condition waits as its lock does");
                assertEquals(IdlePolicy.yielding(), ((SharedReentrantLock) cond.lock()).idlePolicy());
                SharedLock byName = SharedLock.attach(lock.name());
                attached.add(byName);
                assertEquals(IdlePolicy.defaultPolicy(), byName.idlePolicy());
                SharedEvent eventByName = SharedEvent.attach(event.name());
                attached.add(eventByName);
                assertEquals(IdlePolicy.defaultPolicy(), eventByName.idlePolicy());
            } finally {
                for (AutoCloseable c : attached) {
                    c.close();
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends org.multiproc4j.core.Shareable> T viaHandle(T object, List<AutoCloseable> attached)
            throws Exception {
        T copy = (T) object.handle().attach();
        attached.add((AutoCloseable) copy);
        return copy;
    }

    @Test
    void shouldExcludeThreadsWhateverThePolicy() throws InterruptedException {
        for (IdlePolicy policy : List.of(IdlePolicy.busySpin(), IdlePolicy.yielding(), SLEEPING,
                IdlePolicy.defaultPolicy())) {
            try (SharedLock lock = SharedLock.create(policy); SharedLong total = SharedLong.create(0)) {
                List<Thread> threads = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    threads.add(new Thread(() -> {
                        for (int i = 0; i < 2_000; i++) {
                            lock.lock();
                            try {
                                total.set(total.get() + 1);
                            } finally {
                                lock.unlock();
                            }
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread t : threads) {
                    t.join();
                }
                assertEquals(4_000, total.get(), policy.toString());
            }
        }
    }

    @Test
    void shouldRefuseANullPolicy() {
        assertEquals("idle", assertThrows(NullPointerException.class, () -> SharedLock.create(null)).getMessage());
        assertEquals("idle", assertThrows(NullPointerException.class, () -> SharedEvent.create(null)).getMessage());
        assertEquals("idle", assertThrows(NullPointerException.class, () -> SharedSemaphore.create(1, null)).getMessage());
        assertEquals("idle", assertThrows(NullPointerException.class, () -> SharedBarrier.create(2, null)).getMessage());
        assertEquals("idle", assertThrows(NullPointerException.class, () -> SharedCondition.create((IdlePolicy) null))
                .getMessage());
    }
}
