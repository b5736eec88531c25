package org.multiproc4j.sharedmem.sync;

import java.time.Duration;

import java.util.Objects;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.IdleStrategy;
import org.multiproc4j.core.internal.Deadlines;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.SharedMemoryException;
import org.multiproc4j.sharedmem.internal.EventDescriptor;
import org.multiproc4j.sharedmem.internal.Segment;
import org.multiproc4j.sharedmem.internal.SegmentDescriptor;

/**
 * A flag shared by processes that threads can wait for: Python's {@code multiprocessing.Event}. It starts
 * clear; {@link #set()} sets it and releases every waiter, {@link #clear()} clears it again.
 * (Python's {@code wait} is {@link #await()} here: {@code wait} is {@link Object}'s.)
 *
 * <pre>{@code
 * try (SharedEvent ready = SharedEvent.create()) {
 *     JvmProcess child = new JvmProcess(() -> {
 *         System.out.println("preparing");
 *         ready.set();
 *     }).start();
 *     if (!ready.await(Duration.ofSeconds(10))) {
 *         throw new TimeoutException("child not ready");
 *     }
 *     child.join();
 * }
 * }</pre>
 *
 * <p>A waiter waits as the event's {@link IdlePolicy} says; by default it spins briefly, then parks with pauses
 * growing to 1 ms: it sees {@code set()} within a fraction of a microsecond while spinning, within its current
 * pause (at most about 1 ms) once parked.
 *
 * <p><b>Thread and process safety.</b> All methods may be called from any thread of any process that has
 * the event.
 *
 * <p><b>Memory consistency effects.</b> Actions in a thread prior to {@link #set()} happen-before actions
 * subsequent to the return of an {@code await} (or an {@link #isSet()} returning {@code true}) that observes it,
 * in any process (a volatile write and read of the flag): see
 * <a href="{@docRoot}/org/multiproc4j/core/package-summary.html#memory-consistency">memory consistency across
 * processes</a>.
 *
 * <p><b>Failure.</b> An event has no holder: a process that dies changes nothing. Use after
 * {@link #close()} throws {@link IllegalStateException}.
 */
public final class SharedEvent extends SyncObject {
    private SharedEvent(Segment segment, IdlePolicy idle) {
        super(segment, idle);
    }

    /**
     * Creates a new, clear event, whose waiters idle as {@link IdlePolicy#defaultPolicy()} says.
     *
     * @return the event; this process is its creator.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedEvent create() {
        return create(IdlePolicy.defaultPolicy());
    }

    /**
     * Creates a new, clear event, whose waiters idle as {@code idle} says (in every process the event's handle
     * reaches; one attached by name uses the default).
     *
     * @param idle how waiting threads idle.
     * @return the event; this process is its creator.
     * @throws NullPointerException  if {@code idle} is {@code null}.
     * @throws SharedMemoryException if the segment cannot be created.
     */
    public static SharedEvent create(IdlePolicy idle) {
        Objects.requireNonNull(idle, "idle");
        return new SharedEvent(Segment.create(null, SegmentDescriptor.KIND_EVENT, EventDescriptor.VERSION,
                EventDescriptor.LENGTH, null), idle);
    }

    /**
     * Attaches an event created by another process (or this one), by name; its waiters idle as
     * {@link IdlePolicy#defaultPolicy()} says.
     *
     * @param name the event's name ({@link #name()}).
     * @return the event.
     * @throws SharedMemoryException if there is no such segment or it is not an event.
     */
    public static SharedEvent attach(String name) {
        return attach(name, IdlePolicy.defaultPolicy());
    }

    static SharedEvent attach(String name, IdlePolicy idle) {
        return new SharedEvent(Segment.attach(name, SegmentDescriptor.KIND_EVENT, EventDescriptor.VERSION,
                "a SharedEvent"), idle);
    }

    /**
     * Tells whether the flag is set.
     *
     * @return {@code true} if set.
     * @throws IllegalStateException if the event is closed.
     */
    public boolean isSet() {
        return UnsafeApi.getIntVolatile(null, base() + EventDescriptor.FLAG_OFFSET) != 0;
    }

    /**
     * Sets the flag: every waiter, of every process, returns.
     *
     * @throws IllegalStateException if the event is closed.
     */
    public void set() {
        long b = base();
        UnsafeApi.putIntVolatile(null, b + EventDescriptor.FLAG_OFFSET, 1);
        UnsafeApi.getAndAddLong(null, b + EventDescriptor.SETS_OFFSET, 1);
    }

    /**
     * Clears the flag: later waiters wait until it is set again.
     *
     * @throws IllegalStateException if the event is closed.
     */
    public void clear() {
        UnsafeApi.putIntVolatile(null, base() + EventDescriptor.FLAG_OFFSET, 0);
    }

    /**
     * Waits until the flag is set.
     *
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws IllegalStateException if the event is closed (also by another thread while this one waits).
     */
    public void await() throws InterruptedException {
        awaitUntil(Long.MAX_VALUE);
    }

    /**
     * Waits until the flag is set or the timeout elapses.
     *
     * @param timeout the longest wait.
     * @return {@code true} if the flag is set, {@code false} if the time elapsed first (Python's
     *         {@code wait(timeout)} returns the same).
     * @throws InterruptedException  if the thread is interrupted before or while waiting.
     * @throws IllegalStateException if the event is closed (also by another thread while this one waits).
     */
    public boolean await(Duration timeout) throws InterruptedException {
        return awaitUntil(Deadlines.of(timeout));
    }

    private boolean awaitUntil(long deadline) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long flag = base() + EventDescriptor.FLAG_OFFSET;
        IdleStrategy strategy = null;
        while (UnsafeApi.getIntVolatile(null, flag) == 0) {
            if (segment.isClosed()) {
                throw closedWhileWaiting();
            }
            if (Deadlines.expired(deadline)) {
                return false;
            }
            if (strategy == null) {
                strategy = idle.newIdleStrategy();
            }
            strategy.idle();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        return true;
    }

    /**
     * Describes the event.
     *
     * @return e.g. {@code SharedEvent[mp4j-4242-1f3a-5, set]}.
     */
    @Override
    public String toString() {
        long b = base;
        return "SharedEvent[" + segment.name() + ", "
                + (b == 0 ? "closed" : UnsafeApi.getIntVolatile(null, b) != 0 ? "set" : "clear") + "]";
    }
}
