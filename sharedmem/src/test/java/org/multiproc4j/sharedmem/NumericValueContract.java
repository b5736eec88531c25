package org.multiproc4j.sharedmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.LeakCheck;

/**
 * The contract of every numeric shared value ({@link SharedInt}, {@link SharedLong}, {@link SharedDouble}),
 * through a small adapter per type that speaks {@code long}.
 */
@ExtendWith(LeakCheck.class)
abstract class NumericValueContract {

    /** One shared value, seen as longs. */
    interface Value extends AutoCloseable {
        long get();

        void set(long v);

        long getAndAdd(long d);

        long addAndGet(long d);

        long getAndSet(long v);

        boolean compareAndSet(long expected, long v);

        long updateAndGet(long times);

        long getAndAccumulate(long x);

        String name();

        SharedObject object();

        @Override
        void close();
    }

    abstract Value create(long initial);

    abstract Value createWithLock(long initial);

    abstract Value attach(String name);

    abstract Value wrap(Object attached);

    abstract String typeName();

    abstract String otherTypeName();

    abstract SharedObject createOther();

    @Test
    void shouldHoldItsInitialValueAndSet() {
        try (Value v = create(4)) {
            assertEquals(4, v.get());
            v.set(-7);
            assertEquals(-7, v.get());
        }
    }

    @Test
    void shouldDoAtomicArithmetic() {
        try (Value v = create(10)) {
            assertEquals(10, v.getAndAdd(5));
            assertEquals(20, v.addAndGet(5));
            assertEquals(20, v.getAndSet(3));
            assertTrue(v.compareAndSet(3, 8));
            assertFalse(v.compareAndSet(3, 9));
            assertEquals(8, v.get());
            assertEquals(24, v.updateAndGet(3));
            assertEquals(24, v.getAndAccumulate(6));
            assertEquals(30, v.get());
        }
    }

    @Test
    void shouldSeeTheSameMemoryWhenAttached() {
        try (Value v = create(1); Value other = attach(v.name())) {
            other.set(99);
            assertEquals(99, v.get());
            v.addAndGet(1);
            assertEquals(100, other.get());
            assertFalse(other.object().segment.isCreator());
        }
    }

    @Test
    void shouldCountExactlyUnderContentionFromThreads() throws InterruptedException {
        try (Value v = create(0)) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Value mine = attach(v.name());
                threads.add(new Thread(() -> {
                    try (mine) {
                        for (int i = 0; i < 10_000; i++) {
                            mine.getAndAdd(1);
                        }
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(40_000, v.get());
        }
    }

    @Test
    void shouldHaveALockOnlyWhenCreatedWithOne() {
        try (Value plain = create(0); Value locked = createWithLock(0)) {
            assertFalse(plain.object().hasLock());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> plain.object().lock());
            assertEquals(typeName() + " " + plain.name() + " was created without a lock (use " + typeName()
                    + ".createWithLock)", e.getMessage());
            assertTrue(locked.object().hasLock());
            locked.object().lock().lock();
            try {
                locked.set(locked.get() + 1);
            } finally {
                locked.object().lock().unlock();
            }
            try (Value attached = attach(locked.name())) {
                assertTrue(attached.object().hasLock());
                assertEquals(locked.object().lock().name(), attached.object().lock().name());
            }
        }
    }

    @Test
    void shouldRemoveItsLockWithIt() {
        Value locked = createWithLock(0);
        java.nio.file.Path lockFile = ResourceTracker.directory().resolve(locked.object().lock().name());
        assertTrue(java.nio.file.Files.exists(lockFile));
        locked.close();
        assertFalse(java.nio.file.Files.exists(lockFile));
    }

    @Test
    void shouldRefuseToAttachAnotherType() {
        try (SharedObject other = createOther()) {
            SharedMemoryException e = assertThrows(SharedMemoryException.class, () -> attach(other.name()));
            assertEquals("cannot attach " + other.name() + " as a " + typeName() + ": it holds a shared "
                    + otherTypeName(), e.getMessage());
        }
    }

    @Test
    void shouldThrowIllegalStateAfterClose() {
        Value v = create(1);
        v.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, v::get);
        assertEquals(typeName() + " " + v.name() + " is closed", e.getMessage());
        v.close();
    }

    @Test
    void shouldTravelAsItsHandle() throws Exception {
        try (Value v = create(5)) {
            try (Value other = wrap(v.object().handle().attach())) {
                other.set(6);
                assertEquals(6, v.get());
            }
        }
    }
}
