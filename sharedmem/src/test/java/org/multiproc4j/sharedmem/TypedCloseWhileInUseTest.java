package org.multiproc4j.sharedmem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.multiproc4j.test.CloseRace;
import org.multiproc4j.test.LeakCheck;

/**
 * Closing a shared value or array while other threads of this JVM call it: every caller ends, within a
 * bounded time, with {@link IllegalStateException}, and none touches unmapped memory (which would crash the
 * JVM and the test fork with it). Public API only, so that it holds however the typed classes are written.
 */
@ExtendWith(LeakCheck.class)
@Timeout(300)
class TypedCloseWhileInUseTest {
    private static final int ROUNDS = 64;
    private static final int LENGTH = 1 << 14;

    @Test
    void shouldFailIntCallersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedInt", () -> SharedInt.createWithLock(0))
                .user("get+set+getAndAdd", v -> {
                    v.set(v.get() + 1);
                    v.getAndAdd(1);
                })
                .user("compareAndSet", v -> v.compareAndSet(v.get(), 7))
                .user("updateAndGet+accumulateAndGet", v -> {
                    v.updateAndGet(x -> x * 3 + 1);
                    v.accumulateAndGet(2, Integer::sum);
                })
                .user("lock", v -> {
                    v.lock().lock();
                    try {
                        v.set(v.get() * 2);
                    } finally {
                        v.lock().unlock();
                    }
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldFailLongCallersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedLong", () -> SharedLong.create(0))
                .user("get+setRelease", v -> v.setRelease(v.get() + 1))
                .user("incrementAndGet", SharedLong::incrementAndGet)
                .user("getAndUpdate", v -> v.getAndUpdate(x -> x ^ 0x5555))
                .user("getAndSet", v -> v.getAndSet(3))
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldFailDoubleAndBooleanCallersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedDouble", () -> SharedDouble.create(0))
                .user("getAndAdd", v -> v.getAndAdd(0.5))
                .user("compareAndSet", v -> v.compareAndSet(v.get(), 1.5))
                .user("accumulateAndGet", v -> v.accumulateAndGet(2, Math::max))
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
        CloseRace.of("SharedBoolean", () -> SharedBoolean.create(false))
                .user("get+set", v -> v.set(!v.get()))
                .user("compareAndSet", v -> v.compareAndSet(false, true))
                .user("getAndSet", v -> v.getAndSet(false))
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldFailIntArrayCallersWithIllegalStateWhenClosed() throws Exception {
        ByteBuffer direct = ByteBuffer.allocateDirect(LENGTH * 4).order(ByteOrder.nativeOrder());
        CloseRace.of("SharedIntArray", () -> SharedIntArray.create(LENGTH))
                .user("get+set+getAndAdd+plain", a -> {
                    a.set(LENGTH - 1, a.get(0) + 1);
                    a.getAndAdd(17, 1);
                    a.setPlain(5, a.getPlain(6));
                })
                .user("updateAndGet", a -> a.updateAndGet(3, x -> x + 2))
                .user("copyTo+copyFrom(ByteBuffer)", a -> {
                    a.copyTo(0, new int[LENGTH], 0, LENGTH);
                    a.copyFrom(direct.duplicate().order(ByteOrder.nativeOrder()), 0);
                })
                .user("stream+forEach", a -> {
                    a.stream().sum();
                    a.forEach(x -> { });
                })
                .user("fill+toArray", a -> {
                    a.fill(2);
                    a.toArray();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldFailLongAndDoubleArrayCallersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedLongArray", () -> SharedLongArray.createWithLock(LENGTH))
                .user("incrementAndGet", a -> a.incrementAndGet(9))
                .user("accumulateAndGet", a -> a.accumulateAndGet(1, 5, Long::sum))
                .user("copyTo", a -> a.copyTo(0, new long[LENGTH], 0, LENGTH))
                .user("stream", a -> a.stream().max())
                .user("lock", a -> {
                    a.lock().lock();
                    a.lock().unlock();
                })
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
        CloseRace.of("SharedDoubleArray", () -> SharedDoubleArray.create(LENGTH))
                .user("getAndAdd", a -> a.getAndAdd(2, 1.0))
                .user("getAndAccumulate", a -> a.getAndAccumulate(4, 3.0, Math::min))
                .user("copyFrom", a -> a.copyFrom(new double[LENGTH], 0, 0, LENGTH))
                .user("stream", a -> a.stream().sum())
                .expectMessageContaining("closed")
                .rounds(ROUNDS)
                .run();
    }

    @Test
    void shouldFailSmallElementArrayCallersWithIllegalStateWhenClosed() throws Exception {
        CloseRace.of("SharedByteArray", () -> SharedByteArray.create(LENGTH))
                .user("getAndAdd", a -> a.getAndAdd(1, (byte) 1))
                .user("copyTo(ByteBuffer)", a -> a.copyTo(0, ByteBuffer.allocate(LENGTH)))
                .user("stream", a -> a.stream().sum())
                .expectMessageContaining("closed")
                .rounds(ROUNDS / 2)
                .run();
        CloseRace.of("SharedShortArray", () -> SharedShortArray.create(LENGTH))
                .user("compareAndSet", a -> a.compareAndSet(0, a.get(0), (short) 3))
                .user("copyFrom", a -> a.copyFrom(new short[LENGTH], 0, 0, LENGTH))
                .expectMessageContaining("closed")
                .rounds(ROUNDS / 2)
                .run();
        CloseRace.of("SharedCharArray", () -> SharedCharArray.create(LENGTH))
                .user("getAndSet", a -> a.getAndSet(7, 'x'))
                .user("toArray", SharedCharArray::toArray)
                .expectMessageContaining("closed")
                .rounds(ROUNDS / 2)
                .run();
        CloseRace.of("SharedFloatArray", () -> SharedFloatArray.create(LENGTH))
                .user("addAndGet", a -> a.addAndGet(8, 1f))
                .user("forEach", a -> a.forEach(x -> { }))
                .expectMessageContaining("closed")
                .rounds(ROUNDS / 2)
                .run();
    }
}
