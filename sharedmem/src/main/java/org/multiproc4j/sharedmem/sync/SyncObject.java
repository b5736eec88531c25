package org.multiproc4j.sharedmem.sync;

import java.util.Objects;

import org.multiproc4j.core.Handle;
import org.multiproc4j.core.Shareable;
import org.multiproc4j.sharedmem.IdlePolicy;
import org.multiproc4j.sharedmem.internal.Segment;

/**
 * What every synchroniser of this package is made of: a segment holding its state, the idle policy its waiters
 * follow, and the address of that state, which is {@code 0} once the object is closed in this process. Its name,
 * handle, hand-over and close are the same for all; a subclass adds its verbs and, where it keeps more than its
 * segment (a table of this process's waiters, a lock), extends {@link #close()}.
 *
 * <p>{@link #base} is a plain field: a thread that has not yet seen a concurrent {@code close()} still works on
 * mapped memory, because the segment stays mapped until this object is unreachable (see
 * {@link Segment#close()}); waiters also poll {@link Segment#isClosed()}.
 */
abstract class SyncObject implements Shareable, AutoCloseable {
    final Segment segment;
    final IdlePolicy idle;
    /** The address of the state in the segment; {@code 0} once closed in this process. */
    long base;

    SyncObject(Segment segment, IdlePolicy idle) {
        this.segment = segment;
        this.idle = Objects.requireNonNull(idle, "idle");
        this.base = segment.address(0);
    }

    /**
     * Returns the address of the state.
     *
     * @throws IllegalStateException if this object is closed in this process.
     */
    final long base() {
        long b = base;
        if (b == 0) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + segment.name() + " is closed");
        }
        return b;
    }

    /** The exception a waiter of this process throws when another thread closed the object under it. */
    final IllegalStateException closedWhileWaiting() {
        return new IllegalStateException(getClass().getSimpleName() + " " + segment.name()
                + " was closed while this thread waited for it");
    }

    /**
     * Returns the name of this object's segment, by which its class's {@code attach(String)} finds it in any
     * process.
     *
     * @return the name.
     */
    public String name() {
        return segment.name();
    }

    /**
     * Returns how this object's waiting threads idle: the policy it was created with, or, for an object attached
     * by name, {@link IdlePolicy#defaultPolicy()}. It travels with the object's handle to a child process.
     *
     * @return the policy.
     */
    public IdlePolicy idlePolicy() {
        return idle;
    }

    /**
     * Closes the object in this process; the close that leaves no live process using it also removes its name
     * (see the lifetime rule in the {@linkplain org.multiproc4j.sharedmem package summary}). Closing twice is
     * harmless. Threads of this process waiting on it wake within their current pause (at most the idle
     * policy's longest park, 1 ms by default) and throw {@link IllegalStateException}; every later call throws
     * it at once. A call racing with the close may still complete: the memory stays mapped until this object
     * is unreachable, so no call ever touches unmapped memory.
     */
    @Override
    public void close() {
        if (base == 0) {
            return;
        }
        closing();
        base = 0;
        segment.close();
    }

    /** Called once by the first {@link #close()}, before the state's address is cleared. */
    void closing() {
    }

    /**
     * Returns the descriptor this object travels as to a child JVM: its kind, its name and its idle policy.
     * Until the handle is attached, or its recipient is named ({@link #handedOver}) and dies, the object stays
     * attachable.
     *
     * @return the handle; attaching it in another process gives the same object.
     * @throws IllegalStateException if the object is closed.
     */
    @Override
    public Handle handle() {
        return new SyncHandle(segment.kind(), name(), segment.sending(), idle);
    }

    /**
     * Keeps the object attachable for the process a task carrying its handle was sent to, until that process
     * attaches it or dies ({@code null}: the task will never arrive, nothing is kept). Called by
     * {@code JvmProcess.start()}; see {@link Shareable#handedOver}.
     *
     * @param recipient the process that will attach the handle, or {@code null}.
     */
    @Override
    public void handedOver(ProcessHandle recipient) {
        segment.handedOver(recipient);
    }
}
