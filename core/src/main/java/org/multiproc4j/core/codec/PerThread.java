package org.multiproc4j.core.codec;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Hands out per-call state (a configured Kryo, a scratch buffer) without locks: a platform thread keeps its
 * own instance in a {@link ThreadLocal}; a virtual thread, or a re-entrant call on a thread whose instance is
 * busy (a {@code Handle.attach()} that decodes with the same codec), borrows one from a small shared pool, so
 * that thousands of short-lived virtual threads do not each build their own.
 */
final class PerThread<T> {

    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();
    private static final int MAX_POOLED = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final Supplier<T> factory;
    private final ThreadLocal<Slot<T>> local;
    private final ConcurrentLinkedQueue<T> pool = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pooled = new AtomicInteger();

    PerThread(Supplier<T> factory) {
        this.factory = factory;
        this.local = new ThreadLocal<>() {
            @Override
            protected Slot<T> initialValue() {
                return new Slot<>(factory.get());
            }
        };
    }

    T acquire() {
        if (!isVirtual()) {
            Slot<T> slot = local.get();
            if (!slot.busy) {
                slot.busy = true;
                if (slot.value == null) {
                    slot.value = factory.get();
                }
                return slot.value;
            }
        }
        T value = pool.poll();
        if (value != null) {
            pooled.decrementAndGet();
            return value;
        }
        return factory.get();
    }

    void release(T value) {
        if (!isVirtual()) {
            Slot<T> slot = local.get();
            if (slot.value == value) {
                slot.busy = false;
                return;
            }
        }
        if (pooled.incrementAndGet() <= MAX_POOLED) {
            pool.offer(value);
        } else {
            pooled.decrementAndGet();
        }
    }

    /** Gives back a value that must not be used again (its state may be broken by a failure). */
    void discard(T value) {
        if (!isVirtual()) {
            Slot<T> slot = local.get();
            if (slot.value == value) {
                slot.value = null;
                slot.busy = false;
            }
        }
    }

    private static boolean isVirtual() {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(Thread.currentThread());
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle isVirtualHandle() {
        if (Runtime.version().feature() < 21) {
            return null; // no virtual threads; and no method-handle machinery on a codec's start-up path
        }
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null;
        }
    }

    private static final class Slot<T> {
        T value;
        boolean busy;

        Slot(T value) {
            this.value = value;
        }
    }
}
